package staff

import (
	"net/http"
	"time"

	"tipline"
	"tipline/password"
)

// changePassword replaces the caller's password after checking the
// current one. Every other session of the login ends; this browser gets a
// fresh session.
func (db *Dashboard) changePassword(c *reqCtx) error {
	cur, next := c.r.PostFormValue("current"), c.r.PostFormValue("new")
	if ok, err := password.Verify(c.staff.PasswordHash, cur); err != nil || !ok {
		return tipline.Errorf(tipline.EInvalid, "the current password is wrong")
	}
	if len(next) < password.MinLength || len(next) > 1024 {
		return tipline.Errorf(tipline.EInvalid, "a new password needs at least %d characters", password.MinLength)
	}
	if next != c.r.PostFormValue("confirm") {
		return tipline.Errorf(tipline.EInvalid, "the two new passwords differ")
	}
	hash, err := password.Hash(next)
	if err != nil {
		return err
	}
	tok, tokHash := newToken("")
	if err := db.store.ChangePassword(c.ctx(), c.actor(), hash, tokHash, c.now.Add(SessionLifetime)); err != nil {
		return err
	}
	http.SetCookie(c.w, db.cookies.cookie(tok, int(SessionLifetime/time.Second)))
	return c.redirect("/staff/account?done=password")
}
