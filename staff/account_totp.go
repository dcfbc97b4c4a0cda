package staff

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"rsc.io/qr"

	"tipline"
)

// totpStart creates a new TOTP key (kept sealed and pending until a code
// from it is confirmed) and shows it as text and as a QR code.
func (db *Dashboard) totpStart(c *reqCtx) error {
	secret := newTOTPSecret()
	sealed, err := db.d.Keys.Seal(secret, totpAAD)
	if err != nil {
		return err
	}
	if err := db.store.StartTOTP(c.ctx(), c.actor(), sealed); err != nil {
		return err
	}
	uri := totpURI(secret, c.staff.Email)
	data := map[string]any{
		"Warning": "Add this key to your authenticator app, then enter the code it shows. Anyone who sees this key can make codes.",
		"Secrets": []string{b32.EncodeToString(secret)}, "Form": "/staff/account/totp/confirm", "Back": "/staff/account",
	}
	if code, err := qr.Encode(uri, qr.M); err == nil {
		data["Image"] = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(code.PNG()))
	}
	c.render(http.StatusOK, "secret", "Set up a second factor", data)
	return nil
}

// totpConfirm turns the pending key on once a code from it checks, and
// shows ten recovery codes once.
func (db *Dashboard) totpConfirm(c *reqCtx) error {
	f, err := db.store.SecondFactor(c.ctx(), c.staff.ID)
	if err != nil {
		return err
	}
	if f.Pending == nil {
		return tipline.Errorf(tipline.EConflict, "start the set-up again")
	}
	secret, err := db.d.Keys.Open(f.Pending, totpAAD)
	if err != nil {
		return err
	}
	step, ok := totpVerify(secret, c.r.PostFormValue("code"), c.now)
	if !ok {
		return tipline.Errorf(tipline.EInvalid, "that code does not match; start the set-up again")
	}
	codes, hashes := newRecoveryCodes(10)
	if err := db.store.EnableTOTP(c.ctx(), c.actor(), step, hashes, c.session.TokenHash); err != nil {
		return err
	}
	c.render(http.StatusOK, "secret", "Recovery codes", map[string]any{
		"Warning": "Second factor on. Keep these recovery codes somewhere safe: each signs in once if you lose your phone. They are not shown again.",
		"Secrets": codes, "Back": "/staff/account",
	})
	return nil
}
