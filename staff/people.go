package staff

import (
	"net/http"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/password"
	"tipline/store"
)

// people lists staff logins for admins.
func (db *Dashboard) people(c *reqCtx) error {
	staff, err := store.ListStaff(c.ctx(), db.d.Pool)
	if err != nil {
		return err
	}
	totp, err := store.StaffHasTOTP(c.ctx(), db.d.Pool)
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "people", "Staff", map[string]any{"Staff": staff, "TOTP": totp, "MyID": c.staff.ID})
	return nil
}

// personCreate adds a login with a generated password, shown once.
func (db *Dashboard) personCreate(c *reqCtx) error {
	email, role := c.r.PostFormValue("email"), c.r.PostFormValue("role")
	pw := password.Generate()
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	var st store.Staff
	err = c.inTx(func(tx pgx.Tx) error {
		if st, err = store.CreateStaff(c.ctx(), tx, email, role, hash); err != nil {
			return err
		}
		return c.audit(tx, "staff.create", "staff", idString(st.ID), map[string]any{"role": role})
	})
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "secret", "Login created", map[string]any{
		"Warning": "Give this password to " + st.Email + " in person or by phone. It is not shown again.",
		"Secrets": []string{pw}, "Back": "/staff/people",
	})
	return nil
}

// personPassword resets a login's password to a generated one, shown
// once, and ends its sessions.
func (db *Dashboard) personPassword(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	pw := password.Generate()
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	err = c.change("staff.password_reset", "staff", idString(id), nil, func(tx pgx.Tx) error {
		return store.SetStaffPassword(c.ctx(), tx, id, hash)
	})
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "secret", "Password reset", map[string]any{
		"Warning": "The new password, shown once. Every session of that login has ended.",
		"Secrets": []string{pw}, "Back": "/staff/people",
	})
	return nil
}

// personTOTP removes a login's second factor (lost phone).
func (db *Dashboard) personTOTP(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	err = c.change("staff.totp_reset", "staff", idString(id), nil, func(tx pgx.Tx) error {
		return store.ResetSecondFactor(c.ctx(), tx, id)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/people?done=totp")
}

// personRole changes a login's role. Admins cannot demote themselves, so
// there is always one admin left who can undo it.
func (db *Dashboard) personRole(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	role := c.r.PostFormValue("role")
	if id == c.staff.ID {
		return tipline.Errorf(tipline.EConflict, "you cannot change your own role")
	}
	err = c.change("staff.role", "staff", idString(id), map[string]any{"role": role}, func(tx pgx.Tx) error {
		return store.SetStaffRole(c.ctx(), tx, id, role)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/people?done=role")
}

// personDisable disables a login (ending its sessions) or enables it.
func (db *Dashboard) personDisable(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	disabled := c.r.PostFormValue("disabled") == "1"
	if id == c.staff.ID && disabled {
		return tipline.Errorf(tipline.EConflict, "you cannot disable your own login")
	}
	err = c.change("staff.disable", "staff", idString(id), map[string]any{"disabled": disabled}, func(tx pgx.Tx) error {
		return store.SetStaffDisabledByID(c.ctx(), tx, id, disabled)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/people?done=disabled")
}
