package staff

import (
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// tokenCreate makes a personal API token, shown once; only its hash is
// kept. It carries the creator's role.
func (db *Dashboard) tokenCreate(c *reqCtx) error {
	label := strings.TrimSpace(c.r.PostFormValue("label"))
	if len(label) > 100 {
		label = label[:100]
	}
	tok, hash := newToken("tlk_")
	var id int64
	err := c.inTx(func(tx pgx.Tx) error {
		var err error
		if id, err = store.CreateAPIToken(c.ctx(), tx, c.staff.ID, hash, label); err != nil {
			return err
		}
		return c.audit(tx, "account.token_create", "api_token", idString(id), nil)
	})
	if err != nil {
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
	err = c.change("account.token_revoke", "api_token", idString(id), nil, func(tx pgx.Tx) error {
		return store.RevokeAPIToken(c.ctx(), tx, c.staff.ID, id, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/account?done=revoked")
}
