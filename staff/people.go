package staff

import (
	"net/http"

	"tipline"
	"tipline/password"
)

// people lists staff logins for admins.
func (db *Dashboard) people(c *reqCtx) error {
	staff, err := db.store.Staff(c.ctx())
	if err != nil {
		return err
	}
	totp, err := db.store.StaffHasTOTP(c.ctx())
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
	st, err := db.store.CreateStaff(c.ctx(), c.actor(), email, role, hash)
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
	if err := db.store.ResetPassword(c.ctx(), c.actor(), id, hash); err != nil {
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
	if err := db.store.ResetSecondFactor(c.ctx(), c.actor(), id); err != nil {
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
	if err := db.store.SetRole(c.ctx(), c.actor(), id, role); err != nil {
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
	if err := db.store.SetDisabled(c.ctx(), c.actor(), id, disabled); err != nil {
		return err
	}
	return c.redirect("/staff/people?done=disabled")
}
