package staff

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/password"
	"tipline/store"
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
	err = c.change("account.password", "staff", idString(c.staff.ID), nil, func(tx pgx.Tx) error {
		if err := store.SetStaffPassword(c.ctx(), tx, c.staff.ID, hash); err != nil {
			return err
		}
		return store.CreateSession(c.ctx(), tx, tokHash, c.staff.ID, true, c.now, c.now.Add(SessionLifetime), c.addr)
	})
	if err != nil {
		return err
	}
	http.SetCookie(c.w, db.cookies.cookie(tok, int(SessionLifetime/time.Second)))
	return c.redirect("/staff/account?done=password")
}
