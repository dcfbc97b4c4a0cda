package webchat

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/store"
)

// row is one message of a session's conversation as the stream reads it.
type row struct {
	ID        int64
	Direction string // in, out
	Kind      string // user, bot, staff
	Body      string
	Reply     json.RawMessage // outbound rows: the tipline.Reply
	Status    string
}

// settled reports whether the row will not change what the page shows:
// an inbound row, or an outbound one the outbox is done with.
func (r row) settled() bool {
	return r.Direction == "in" || (r.Status != "queued" && r.Status != "claimed" && r.Status != "sending")
}

// visible reports whether the page shows the row: what the person sent,
// and the replies the outbox delivered (never one still queued, nor one
// dropped past its validity).
func (r row) visible() bool {
	if r.Direction == "in" {
		return true
	}
	switch r.Status {
	case "sent", "delivered", "read":
		return true
	}
	return false
}

// readMessages returns up to limit user, bot and staff messages above
// after of the web chat conversation of the session whose keyed hash is
// one of hashes (the current key's first), oldest first. No conversation
// (nothing sent yet, or erased) is no rows.
func readMessages(ctx context.Context, db store.DBTX, hashes [][]byte, after int64, limit int) ([]row, error) {
	rows, err := db.Query(ctx, `SELECT m.id, m.direction, m.kind, m.body, m.reply, m.status
		FROM messages m
		WHERE m.conversation_id = (
			SELECT v.id FROM contacts k JOIN conversations v ON v.contact_id = k.id
			WHERE k.channel = $1 AND k.id_hash = ANY($2) ORDER BY v.id DESC LIMIT 1)
		  AND m.id > $3 AND m.kind IN ('user', 'bot', 'staff')
		ORDER BY m.id LIMIT $4`, string(tipline.ChannelWebChat), hashes, after, limit)
	if err != nil {
		return nil, fmt.Errorf("webchat messages: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var m row
		err := r.Scan(&m.ID, &m.Direction, &m.Kind, &m.Body, &m.Reply, &m.Status)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("webchat messages: %w", err)
	}
	return out, nil
}
