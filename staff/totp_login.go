package staff

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// totpForm asks a session that owes its second factor for a code.
func (db *Dashboard) totpForm(c *reqCtx) error {
	if !c.session.HasTOTP || c.session.MFAOK {
		return c.redirect("/staff/tips")
	}
	c.render(http.StatusOK, "totp", "Second factor", map[string]string{"Next": safeNext(c.r.URL.Query().Get("next"))})
	return nil
}

// totpLogin accepts a TOTP code (each step once) or an unused recovery
// code, counted and refused inside a delay like passwords (throttle.go),
// and completes the session.
func (db *Dashboard) totpLogin(c *reqCtx) error {
	if !c.session.HasTOTP || c.session.MFAOK {
		return c.redirect("/staff/tips")
	}
	code := c.r.PostFormValue("code")
	next := safeNext(c.r.PostFormValue("next"))
	leave, ok := enterLogin(c.ctx())
	if !ok {
		c.w.Header().Set("Retry-After", strconv.Itoa(int(hashWait/time.Second)))
		c.render(http.StatusServiceUnavailable, "totp", "Second factor", map[string]string{
			"Error": "Sign-in is busy. Try again in a few seconds.", "Next": next})
		return nil
	}
	defer leave()
	keys := throttleKeys(c.staff.Email, c.addr)
	res := db.reserve(c.ctx(), keys, c.now)
	if res.Wait > 0 {
		secs := int((res.Wait + time.Second - 1) / time.Second)
		c.w.Header().Set("Retry-After", strconv.Itoa(secs))
		c.render(http.StatusTooManyRequests, "totp", "Second factor", map[string]string{
			"Error": fmt.Sprintf("Too many wrong codes. Wait %d seconds, then try again.", secs), "Next": next})
		return nil
	}
	method, ok, err := db.checkSecondFactor(c, code)
	if err != nil {
		return err
	}
	if !ok {
		if err := c.record("login.totp_failed", "staff", idString(c.staff.ID), nil); err != nil {
			return err
		}
		c.render(http.StatusUnauthorized, "totp", "Second factor", map[string]string{"Error": "That code is not valid.", "Next": next})
		return nil
	}
	db.clearFailures(c.ctx(), res, keys)
	if err := db.store.CompleteSecondFactor(c.ctx(), c.actor(), c.session.TokenHash, method); err != nil {
		return err
	}
	return c.redirect(next)
}

// checkSecondFactor tries code as a TOTP code, then as a recovery code.
func (db *Dashboard) checkSecondFactor(c *reqCtx, code string) (string, bool, error) {
	f, err := db.store.SecondFactor(c.ctx(), c.staff.ID)
	if err != nil || f.Secret == nil {
		return "", false, err
	}
	secret, err := db.d.Keys.Open(f.Secret, totpAAD)
	if err != nil {
		return "", false, err
	}
	if step, ok := totpVerify(secret, code, c.now); ok {
		fresh, err := db.store.UseTOTPStep(c.ctx(), c.staff.ID, step)
		return "totp", fresh, err
	}
	used, err := db.store.UseRecoveryCode(c.ctx(), c.staff.ID, recoveryHash(code))
	return "recovery_code", used, err
}
