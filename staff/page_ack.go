package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// pageAck acknowledges a staff page, which stops its re-sending.
func (db *Dashboard) pageAck(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	err = c.change("page.ack", "page", idString(id), nil, func(tx pgx.Tx) error {
		return store.AckPage(c.ctx(), tx, id, c.staff.ID, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/chats?done=ack")
}
