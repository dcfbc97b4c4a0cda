package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/password"
	"tipline/store"
)

// changePassword replaces the caller's password after checking the
// current one; every session of the login ends, this one included.
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
	err = c.change("account.password", "staff", idString(c.staff.ID), nil, func(tx pgx.Tx) error {
		return store.SetStaffPassword(c.ctx(), tx, c.staff.ID, hash)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/login")
}
