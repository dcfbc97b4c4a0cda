package staff

import (
	"net/http"
	"strings"
)

// tokenCreate makes a personal API token, shown once; only its hash is
// kept. It carries the creator's role.
func (db *Dashboard) tokenCreate(c *reqCtx) error {
	label := strings.TrimSpace(c.r.PostFormValue("label"))
	if len(label) > 100 {
		label = label[:100]
	}
	tok, hash := newToken("tlk_")
	if _, err := db.store.CreateAPIToken(c.ctx(), c.actor(), hash, label); err != nil {
		return err
	}
	c.render(http.StatusOK, "secret", "New API token", map[string]any{
		"Warning": "Copy this token now: it is not shown again. Send it as 'Authorization: Bearer <token>'.",
		"Secrets": []string{tok}, "Back": "/staff/account",
	})
	return nil
}

// tokenRevoke revokes one of the caller's tokens.
func (db *Dashboard) tokenRevoke(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := db.store.RevokeAPIToken(c.ctx(), c.actor(), id); err != nil {
		return err
	}
	return c.redirect("/staff/account?done=revoked")
}
