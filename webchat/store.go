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
// one of hashes (the current key's first), oldest first. found is false
// when the session has no conversation: nothing sent yet, or erased
// (DELETE, retention).
func readMessages(ctx context.Context, db store.DBTX, hashes [][]byte, after int64, limit int) (out []row, found bool, err error) {
	rows, err := db.Query(ctx, `SELECT m.id, coalesce(m.direction, ''), coalesce(m.kind, ''), coalesce(m.body, ''),
			m.reply, coalesce(m.status, '')
		FROM (SELECT v.id FROM contacts k JOIN conversations v ON v.contact_id = k.id
		      WHERE k.channel = $1 AND k.id_hash = ANY($2) ORDER BY v.id DESC LIMIT 1) c
		LEFT JOIN LATERAL (
			SELECT id, direction, kind, body, reply, status FROM messages
			WHERE conversation_id = c.id AND id > $3 AND kind IN ('user', 'bot', 'staff')
			ORDER BY id LIMIT $4) m ON true
		ORDER BY m.id`, string(tipline.ChannelWebChat), hashes, after, limit)
	if err != nil {
		return nil, false, fmt.Errorf("webchat messages: %w", err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*row, error) {
		var id *int64
		var m row
		if err := r.Scan(&id, &m.Direction, &m.Kind, &m.Body, &m.Reply, &m.Status); err != nil || id == nil {
			return nil, err // id nil: the conversation, with nothing new
		}
		m.ID = *id
		return &m, nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("webchat messages: %w", err)
	}
	for _, m := range all {
		if m != nil {
			out = append(out, *m)
		}
	}
	return out, len(all) > 0, nil
}
