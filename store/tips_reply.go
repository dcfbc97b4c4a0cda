package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// Why a staff reply cannot reach a tipster (docs/design.md rule 5). Each is an
// EConflict error; compare with errors.Is.
var (
	ErrNoFollowUp = tipline.Errorf(tipline.EConflict, "the tipster asked not to be contacted")
	ErrNoTipster  = tipline.Errorf(tipline.EConflict, "the tipster's conversation was deleted")
	ErrNoReplyID  = tipline.Errorf(tipline.EConflict, "the identifier needed to reply is no longer kept")
	ErrOptedOut   = tipline.Errorf(tipline.EConflict, "the tipster sent STOP")
)

// ReplyTarget is where a staff reply to a tip goes: the tipster's
// conversation, locked for the rest of the transaction so the reply and
// the flow state change together with the tipster's own turns.
type ReplyTarget struct {
	TipCode        string
	ConversationID int64
	Channel        tipline.Channel
	Lang           string
	State          json.RawMessage
}

// LockReplyTarget finds and locks the conversation a staff reply to tip
// tipID goes to, or says why there is none: the tipster said no
// follow-up, their conversation was erased, the sealed identifier was
// dropped, or they opted out.
func LockReplyTarget(ctx context.Context, db DBTX, tipID int64) (ReplyTarget, error) {
	var r ReplyTarget
	var mayContact, sealed, optedOut bool
	var convID *int64
	var channel *tipline.Channel
	var lang *string
	err := db.QueryRow(ctx, `SELECT t.code, t.may_contact, v.id, v.channel, v.lang,
		coalesce(k.id_sealed IS NOT NULL, false), coalesce(k.opted_out, false)
		FROM tips t
		LEFT JOIN conversations v ON v.id = t.conversation_id
		LEFT JOIN contacts k ON k.id = v.contact_id
		WHERE t.id = $1
		FOR UPDATE OF t`, tipID).Scan(&r.TipCode, &mayContact, &convID, &channel, &lang, &sealed, &optedOut)
	if err != nil {
		return r, notFound(err, "tip")
	}
	switch {
	case !mayContact:
		return r, ErrNoFollowUp
	case convID == nil:
		return r, ErrNoTipster
	case !sealed:
		return r, ErrNoReplyID
	case optedOut:
		return r, ErrOptedOut
	}
	r.ConversationID, r.Channel, r.Lang = *convID, *channel, *lang
	if err := db.QueryRow(ctx, `SELECT state FROM conversations WHERE id = $1 FOR UPDATE`,
		r.ConversationID).Scan(&r.State); err != nil {
		return r, fmt.Errorf("lock conversation: %w", err)
	}
	return r, nil
}

// SetConversationState saves a conversation's flow state outside a turn
// (after a staff reply, the tipster's next messages land on the tip).
func SetConversationState(ctx context.Context, db DBTX, conversationID int64, state any, now time.Time) error {
	_, err := db.Exec(ctx, `UPDATE conversations SET state = $2, kind = 'tipster', updated_at = $3 WHERE id = $1`,
		conversationID, state, now)
	if err != nil {
		return fmt.Errorf("conversation state: %w", err)
	}
	return nil
}

// ConversationStateOf returns the flow state of the conversation of the
// contact with that keyed hash, or nil when there is none yet. It reads
// without locking: the bot uses it before a turn's transaction to decide
// whether attachments are worth downloading.
func ConversationStateOf(ctx context.Context, db DBTX, channel tipline.Channel, idHash []byte) (json.RawMessage, error) {
	var st json.RawMessage
	err := db.QueryRow(ctx, `SELECT v.state FROM contacts k JOIN conversations v ON v.contact_id = k.id
		WHERE k.channel = $1 AND k.id_hash = $2`, channel, idHash).Scan(&st)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("conversation state: %w", err)
	}
	return st, nil
}
