package staff

import (
	"net/http"
	"strconv"
)

// account shows the caller's own settings: password, second factor and
// API tokens.
func (db *Dashboard) account(c *reqCtx) error {
	f, err := db.store.SecondFactor(c.ctx(), c.staff.ID)
	if err != nil {
		return err
	}
	tokens, err := db.store.APITokens(c.ctx(), c.staff.ID)
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "account", "Your account", map[string]any{
		"HasTOTP": f.Secret != nil, "Required": db.mustEnrol(f.Secret != nil), "RecoveryLeft": len(f.RecoveryCodes), "Tokens": tokens, "Loc": db.d.Location,
	})
	return nil
}

// idString formats an id for the audit log ("" for none).
func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
