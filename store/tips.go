package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// CaseBrief is a public, active case as the report flow sees it.
type CaseBrief struct {
	PublicID string
	Number   string
	Name     string
	Age      int
}

// PublicActiveCases lists the cases tipsters may name: public and active.
// Private, found and closed cases are left out, so the flow answers them
// exactly as it answers an unknown case (docs/design.md rule 12).
func PublicActiveCases(ctx context.Context, db DBTX) ([]CaseBrief, error) {
	rows, err := db.Query(ctx, `SELECT public_id, case_number, display_name, coalesce(age, 0) FROM cases
		WHERE public AND status = 'active' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("public cases: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CaseBrief, error) {
		var c CaseBrief
		err := r.Scan(&c.PublicID, &c.Number, &c.Name, &c.Age)
		return c, err
	})
}

// TipBrief is one of a sender's tips: its ID, status and age.
type TipBrief struct {
	Code      string
	Status    string // the tips.status column
	CreatedAt time.Time
}

// ContactTips lists the newest tips a contact made (at most limit).
func ContactTips(ctx context.Context, db DBTX, contactID int64, limit int) ([]TipBrief, error) {
	rows, err := db.Query(ctx, `SELECT code, status, created_at FROM tips WHERE contact_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`, contactID, limit)
	if err != nil {
		return nil, fmt.Errorf("contact tips: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TipBrief, error) {
		var t TipBrief
		err := r.Scan(&t.Code, &t.Status, &t.CreatedAt)
		return t, err
	})
}

// TipDraft is the whole of a tip as the report flow last described it.
type TipDraft struct {
	Code           string
	ConversationID int64
	ContactID      int64
	Alias          string
	Channel        tipline.Channel
	Simulated      bool
	CasePublicID   string // "" for no case
	CaseText       string
	Urgent         bool
	SeenAt         *time.Time
	SeenText       string
	Place          string
	Lat, Lon       *float64
	Description    string
	MayContact     bool
	ContactSealed  []byte // nil when no contact details were given
	Lang           string
	Submit         bool // confirmed: complete, in the staff queue
	Abandon        bool // given up: kept as an incomplete tip in the queue
	Now            time.Time
}

// ErrTipCodeTaken is returned when a new draft's code belongs to another
// conversation's tip (a collision of random codes): retrying the turn
// draws a new code.
var ErrTipCodeTaken = tipline.Errorf(tipline.EConflict, "tip code already used")

// SaveTip creates or updates a tip from its draft and returns its id and
// whether it was urgent before. A submitted or abandoned tip enters the
// staff queue (submitted_at); abandoned ones stay incomplete.
func SaveTip(ctx context.Context, db DBTX, d TipDraft) (id int64, wasUrgent bool, err error) {
	var queued *time.Time
	if d.Submit || d.Abandon {
		queued = &d.Now
	}
	err = db.QueryRow(ctx, `WITH old AS (SELECT urgent FROM tips WHERE code = $1)
	INSERT INTO tips AS t (code, conversation_id, contact_id, reporter_alias, channel, simulated, case_id, case_text,
		urgent, urgent_at, seen_at, seen_text, place_text, lat, lon, description, may_contact, contact_sealed, lang,
		incomplete, submitted_at, abandoned_at, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, (SELECT id FROM cases WHERE public_id = nullif($7, '')), $8,
		$9, CASE WHEN $9 THEN $20::timestamptz END, $10, $11, $12, $13, $14, $15, $16, $17, $18,
		NOT $19, $21, CASE WHEN $22 THEN $20::timestamptz END, $20, $20)
	ON CONFLICT (code) DO UPDATE SET case_id = EXCLUDED.case_id, case_text = EXCLUDED.case_text,
		urgent = EXCLUDED.urgent, urgent_at = CASE WHEN EXCLUDED.urgent THEN coalesce(t.urgent_at, EXCLUDED.urgent_at) END,
		seen_at = EXCLUDED.seen_at, seen_text = EXCLUDED.seen_text, place_text = EXCLUDED.place_text,
		lat = EXCLUDED.lat, lon = EXCLUDED.lon, description = EXCLUDED.description, may_contact = EXCLUDED.may_contact,
		contact_sealed = EXCLUDED.contact_sealed, lang = EXCLUDED.lang, incomplete = EXCLUDED.incomplete,
		submitted_at = coalesce(t.submitted_at, EXCLUDED.submitted_at),
		abandoned_at = CASE WHEN $19 THEN NULL ELSE coalesce(t.abandoned_at, EXCLUDED.abandoned_at) END,
		updated_at = EXCLUDED.updated_at
	WHERE t.conversation_id = EXCLUDED.conversation_id
	RETURNING id, coalesce((SELECT urgent FROM old), false)`,
		d.Code, d.ConversationID, d.ContactID, d.Alias, d.Channel, d.Simulated, d.CasePublicID, d.CaseText,
		d.Urgent, d.SeenAt, d.SeenText, d.Place, d.Lat, d.Lon, d.Description, d.MayContact, d.ContactSealed, d.Lang,
		d.Submit, d.Now, queued, d.Abandon).Scan(&id, &wasUrgent)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, ErrTipCodeTaken
	}
	if err != nil {
		return 0, false, fmt.Errorf("save tip: %w", err)
	}
	return id, wasUrgent, nil
}

// DiscardDraft deletes an unfinished draft of a conversation (the tipster
// chose to discard it); its photos go with it.
func DiscardDraft(ctx context.Context, db DBTX, conversationID int64, code string) error {
	_, err := db.Exec(ctx, `DELETE FROM tips WHERE code = $1 AND conversation_id = $2 AND submitted_at IS NULL
		AND NOT legal_hold`, code, conversationID)
	if err != nil {
		return fmt.Errorf("discard draft: %w", err)
	}
	return nil
}

// ContactTipID returns the id of the tip with code, if the contact made it.
func ContactTipID(ctx context.Context, db DBTX, contactID int64, code string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM tips WHERE code = $1 AND contact_id = $2`, code, contactID).Scan(&id)
	if err != nil {
		return 0, notFound(err, "tip")
	}
	return id, nil
}

// TipUpdate is a follow-up on a tip: text the tipster added later, or a
// staff reply.
type TipUpdate struct {
	TipID      int64
	Source     string // tipster, staff
	StaffID    *int64
	Body       string
	MediaCount int
	MessageID  *int64 // the outbound message carrying a staff reply
	Now        time.Time
}

// AddTipUpdate records a follow-up and marks the tip changed.
func AddTipUpdate(ctx context.Context, db DBTX, u TipUpdate) error {
	_, err := db.Exec(ctx, `WITH u AS (UPDATE tips SET updated_at = $6 WHERE id = $1)
		INSERT INTO tip_updates (tip_id, source, staff_id, body, media_count, message_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $7, $6)`, u.TipID, u.Source, u.StaffID, u.Body, u.MediaCount, u.Now, u.MessageID)
	if err != nil {
		return fmt.Errorf("tip update: %w", err)
	}
	return nil
}

// TipUpdates lists a tip's follow-ups, oldest first.
func TipUpdates(ctx context.Context, db DBTX, tipID int64) ([]TipUpdate, error) {
	rows, err := db.Query(ctx, `SELECT tip_id, source, staff_id, body, media_count, message_id, created_at
		FROM tip_updates WHERE tip_id = $1 ORDER BY id`, tipID)
	if err != nil {
		return nil, fmt.Errorf("tip updates: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TipUpdate, error) {
		var u TipUpdate
		err := r.Scan(&u.TipID, &u.Source, &u.StaffID, &u.Body, &u.MediaCount, &u.MessageID, &u.Now)
		return u, err
	})
}

// TipPhoto is the stripped copy of a photo, ready to store, with its
// original sealed as evidence.
type TipPhoto struct {
	SHA256      string // of the original as received
	ContentType string
	Data        []byte // re-encoded, without metadata
	Width       int
	Height      int
	// Original is the file as received, sealed under OriginalAAD, with
	// OriginalSize its length in clear; nil keeps no original.
	Original     []byte
	OriginalSize int
}

// AddTipPhoto stores a photo's stripped copy on a tip, and its sealed
// original when there is one (media_originals.go).
func AddTipPhoto(ctx context.Context, db DBTX, tipID int64, p TipPhoto, now time.Time) error {
	_, err := db.Exec(ctx, `WITH m AS (
			INSERT INTO tip_media (tip_id, sha256, content_type, data, width, height, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)
		INSERT INTO tip_media_originals (id, sealed, size, created_at)
		SELECT m.id, $8, $9, $7 FROM m WHERE $8::bytea IS NOT NULL`,
		tipID, p.SHA256, p.ContentType, p.Data, p.Width, p.Height, now, p.Original, p.OriginalSize)
	if err != nil {
		return fmt.Errorf("tip photo: %w", err)
	}
	return nil
}

// AbandonStaleDrafts turns drafts whose sender has been silent since
// before into incomplete tips in the staff queue (docs/design.md rule 7), as the
// flow does when the sender comes back after FLOW_TIMEOUT. It returns how
// many it changed.
func AbandonStaleDrafts(ctx context.Context, db DBTX, before, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE tips t SET submitted_at = $2, abandoned_at = $2, updated_at = $2
		WHERE t.submitted_at IS NULL AND t.updated_at < $1
		  AND NOT EXISTS (SELECT 1 FROM conversations v WHERE v.id = t.conversation_id AND v.last_inbound_at >= $1)`,
		before, now)
	if err != nil {
		return 0, fmt.Errorf("abandon drafts: %w", err)
	}
	return tag.RowsAffected(), nil
}

// RedactLastInbound replaces the body of a conversation's latest inbound
// message (the one its turn is handling) with a note: contact details
// are kept sealed on the tip, never in clear in the transcript.
func RedactLastInbound(ctx context.Context, db DBTX, conversationID int64, note string) error {
	_, err := db.Exec(ctx, `UPDATE messages SET body = $2 WHERE id = (SELECT max(id) FROM messages
		WHERE conversation_id = $1 AND direction = 'in')`, conversationID, note)
	if err != nil {
		return fmt.Errorf("redact inbound: %w", err)
	}
	return nil
}
