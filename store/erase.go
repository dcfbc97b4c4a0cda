package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
)

// ChatRef is a provider's id of a chat message, kept so DELETE can remove
// the messages from the user's Telegram chat too.
type ChatRef struct {
	Ref string
	At  time.Time
}

// ChatRefs lists the chat message ids of a conversation (inbound and
// outbound) on channel newer than since, for a provider that can delete
// them from the person's device (tipline.Traits.ErasesChat).
func ChatRefs(ctx context.Context, db DBTX, conversationID int64, channel tipline.Channel, since time.Time) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT coalesce(nullif(chat_message_ref, ''), provider_message_id) FROM messages
		WHERE conversation_id = $1 AND channel = $3 AND created_at >= $2
		  AND coalesce(nullif(chat_message_ref, ''), provider_message_id) IS NOT NULL ORDER BY id`, conversationID, since, channel)
	if err != nil {
		return nil, fmt.Errorf("chat refs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// EraseConversation carries out docs/design.md rule 6: the sender's messages, flow
// state, locations and unfinished drafts are deleted; submitted tips stay,
// detached from the sender (also under legal hold); the contact is deleted,
// or reduced to its keyed hash and opt-out state when they had opted out.
func EraseConversation(ctx context.Context, db DBTX, conversationID int64) error {
	var contactID *int64
	err := db.QueryRow(ctx, `SELECT contact_id FROM conversations WHERE id = $1`, conversationID).Scan(&contactID)
	if err != nil {
		return notFound(err, "conversation")
	}
	stmts := []string{
		`DELETE FROM tips WHERE conversation_id = $1 AND submitted_at IS NULL AND NOT legal_hold`,
		`UPDATE tips SET conversation_id = NULL, contact_id = NULL WHERE conversation_id = $1`,
		`DELETE FROM conversations WHERE id = $1`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(ctx, s, conversationID); err != nil {
			return fmt.Errorf("erase conversation: %w", err)
		}
	}
	if contactID == nil {
		return nil
	}
	if _, err := db.Exec(ctx, `UPDATE tips SET contact_id = NULL WHERE contact_id = $1`, *contactID); err != nil {
		return fmt.Errorf("erase contact: %w", err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM contacts WHERE id = $1 AND NOT opted_out`, *contactID); err != nil {
		return fmt.Errorf("erase contact: %w", err)
	}
	_, err = db.Exec(ctx, `UPDATE contacts SET id_sealed = NULL, alias = '' WHERE id = $1`, *contactID)
	return err
}

// EraseConversationNow erases a conversation in a transaction of its own
// (the outbox, once DELETE's confirmation is out).
func EraseConversationNow(ctx context.Context, pool *pgxpool.Pool, conversationID int64) error {
	return InTx(ctx, pool, func(tx pgx.Tx) error { return EraseConversation(ctx, tx, conversationID) })
}
