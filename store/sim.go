package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SimConversation is the simulator conversation of one sim session.
type SimConversation struct {
	ID       int64
	PublicID string
	Alias    string
	Kind     string // unknown, youth, tipster
	HighRisk bool
}

// SimMessage is one message of a simulator conversation, as the /sim/ page
// and `tipline chat` show it.
type SimMessage struct {
	ID        int64
	Direction string // in, out
	Kind      string // user, bot, staff
	Body      string
	Reply     json.RawMessage // outbound rows: the tipline.Reply
	Status    string
	CreatedAt time.Time
}

// SimConversationByHash finds the simulated conversation of the sim contact
// whose keyed hash is one of hashes (the current key's first). found is
// false when the session has not sent anything yet, or was erased.
func SimConversationByHash(ctx context.Context, db DBTX, hashes [][]byte) (c SimConversation, found bool, err error) {
	err = db.QueryRow(ctx, `SELECT v.id, v.public_id, k.alias, v.kind, v.high_risk
		FROM contacts k JOIN conversations v ON v.contact_id = k.id
		WHERE k.channel = 'sim' AND k.id_hash = ANY($1) AND v.simulated
		ORDER BY v.id DESC LIMIT 1`, hashes).Scan(&c.ID, &c.PublicID, &c.Alias, &c.Kind, &c.HighRisk)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("sim conversation: %w", err)
	}
	return c, true, nil
}

// SimMessages returns the newest limit user, bot and staff messages of a
// simulated conversation with an id above afterID, oldest first.
func SimMessages(ctx context.Context, db DBTX, conversationID, afterID int64, limit int) ([]SimMessage, error) {
	rows, err := db.Query(ctx, `SELECT id, direction, kind, body, reply, status, created_at FROM (
			SELECT m.id, m.direction, m.kind, m.body, m.reply, m.status, m.created_at
			FROM messages m JOIN conversations v ON v.id = m.conversation_id
			WHERE m.conversation_id = $1 AND v.simulated AND m.id > $2 AND m.kind IN ('user', 'bot', 'staff')
			ORDER BY m.id DESC LIMIT $3
		) newest ORDER BY id`, conversationID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sim messages: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SimMessage, error) {
		var m SimMessage
		err := r.Scan(&m.ID, &m.Direction, &m.Kind, &m.Body, &m.Reply, &m.Status, &m.CreatedAt)
		return m, err
	})
}

// DeliverSim does for one simulated conversation what a delivery worker
// with the simulator sender does: its queued outbound rows are marked sent
// (or expired, past their validity). Rows of any other channel or
// conversation are never touched, nor rows a worker has claimed. erase
// reports that one of them asked for the conversation to be erased once
// sent (DELETE); the caller then erases it.
func DeliverSim(ctx context.Context, db DBTX, conversationID int64, now time.Time) (erase bool, err error) {
	rows, err := db.Query(ctx, `UPDATE messages m SET
			status = CASE WHEN m.expires_at IS NOT NULL AND m.expires_at < $2 THEN 'expired' ELSE 'sent' END,
			sent_at = CASE WHEN m.expires_at IS NOT NULL AND m.expires_at < $2 THEN NULL ELSE $2 END,
			claimed_until = NULL
		FROM conversations v
		WHERE m.conversation_id = $1 AND v.id = m.conversation_id AND v.simulated
		  AND m.channel = 'sim' AND m.direction = 'out' AND m.status = 'queued'
		RETURNING m.after_send`, conversationID, now)
	if err != nil {
		return false, fmt.Errorf("deliver sim: %w", err)
	}
	after, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return false, fmt.Errorf("deliver sim: %w", err)
	}
	for _, a := range after {
		if a == "erase" {
			erase = true
		}
	}
	return erase, nil
}
