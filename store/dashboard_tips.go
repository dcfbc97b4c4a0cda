package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DashTipDetail is everything the tip page shows, except the sealed
// contact details, which only admins open (DashTipContact).
type DashTipDetail struct {
	DashTip
	ConversationID   *int64
	ConversationPID  string
	ConversationLang string
	ContactID        *int64
	MayContact       bool
	HasContact       bool // the tipster left contact details
	CanAnswer        bool // a reply can still reach the tipster
	AnswerBlocker    string
	AliasTips        int // tips made by the same reporter
	DuplicateOfCode  string
	Keep             bool
	UpdatedAt        time.Time
	Lang             string     // the language the tipster used
	UrgentAt         *time.Time // when the tipster said the child was in danger now
	AbandonedAt      *time.Time // when an unfinished report was kept as incomplete
}

// Tip loads one tip with everything the tip page shows.
func (s *Dashboard) Tip(ctx context.Context, id int64) (DashTipDetail, error) {
	return DashTipByID(ctx, s.pool, id)
}

// DashTipByID loads one tip with everything the tip page shows.
func DashTipByID(ctx context.Context, db DBTX, id int64) (DashTipDetail, error) {
	var d DashTipDetail
	var sealedNil, optedOut, blocked bool
	var contactRow bool
	row := db.QueryRow(ctx, `SELECT `+dashTipColumns+`, t.conversation_id, COALESCE(v.public_id, ''), COALESCE(v.lang, ''),
		t.contact_id, t.may_contact, t.contact_sealed IS NOT NULL, k.id_sealed IS NULL, COALESCE(k.opted_out, false),
		COALESCE(k.blocked, false), k.id IS NOT NULL,
		CASE WHEN t.contact_id IS NOT NULL THEN (SELECT count(*) FROM tips x WHERE x.contact_id = t.contact_id)
		     WHEN t.reporter_alias <> '' THEN (SELECT count(*) FROM tips x WHERE x.reporter_alias = t.reporter_alias)
		     ELSE 1 END,
		COALESCE((SELECT code FROM tips x WHERE x.id = t.duplicate_of), ''), t.keep, t.updated_at,
		t.lang, t.urgent_at, t.abandoned_at`+dashTipFrom+`
		LEFT JOIN conversations v ON v.id = t.conversation_id
		LEFT JOIN contacts k ON k.id = COALESCE(v.contact_id, t.contact_id)
		WHERE t.id = $1`, id)
	t := &d.DashTip
	err := row.Scan(&t.ID, &t.Code, &t.Channel, &t.Status, &t.Urgent, &t.Incomplete, &t.Simulated, &t.CaseID,
		&t.CaseNumber, &t.CaseText, &t.Description, &t.PlaceText, &t.SeenText, &t.SeenAt, &t.Lat, &t.Lon,
		&t.AssignedTo, &t.AssignedEmail, &t.ReporterAlias, &t.DuplicateOf, &t.LegalHold, &t.CreatedAt,
		&t.SubmittedAt, &t.TriagedAt, &d.ConversationID, &d.ConversationPID, &d.ConversationLang, &d.ContactID,
		&d.MayContact, &d.HasContact, &sealedNil, &optedOut, &blocked, &contactRow, &d.AliasTips,
		&d.DuplicateOfCode, &d.Keep, &d.UpdatedAt, &d.Lang, &d.UrgentAt, &d.AbandonedAt)
	if err != nil {
		return d, notFound(err, "tip")
	}
	d.CanAnswer, d.AnswerBlocker = answerable(d, contactRow, sealedNil, optedOut, blocked)
	return d, nil
}

// answerable says whether a staff reply can still reach the tipster, and
// if not, why (docs/design.md rule 5).
func answerable(d DashTipDetail, contactRow, sealedNil, optedOut, blocked bool) (bool, string) {
	switch {
	case !d.MayContact:
		return false, "the tipster asked not to be contacted"
	case d.ConversationID == nil || !contactRow:
		return false, "the tipster's conversation was deleted"
	case sealedNil:
		return false, "the identifier needed to reply is no longer kept"
	case optedOut:
		return false, "the tipster sent STOP"
	case blocked:
		return false, "the tipster blocked the bot"
	}
	return true, ""
}

// TipContact returns the sealed contact details of a tip (nil if none).
func (s *Dashboard) TipContact(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT contact_sealed FROM tips WHERE id = $1`, id).Scan(&b)
	return b, notFound(err, "tip")
}

// DashMessage is one message of a conversation as staff see it.
type DashMessage struct {
	ID         int64
	Direction  string // in, out
	Kind       string // user, bot, staff, page
	Body       string
	MediaCount int
	Status     string
	ErrorCode  string
	CreatedAt  time.Time
	SentAt     *time.Time
}

// Messages returns a conversation's messages, oldest first (at most the
// last 500).
func (s *Dashboard) Messages(ctx context.Context, conversationID int64) ([]DashMessage, error) {
	rows, err := s.pool.Query(ctx, `SELECT * FROM (SELECT id, direction, kind, body, media_count, status, error_code,
		created_at, sent_at FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT 500) m ORDER BY id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashMessage, error) {
		var m DashMessage
		err := r.Scan(&m.ID, &m.Direction, &m.Kind, &m.Body, &m.MediaCount, &m.Status, &m.ErrorCode, &m.CreatedAt, &m.SentAt)
		return m, err
	})
}

// DashMedia is one photo of a tip, without its bytes.
type DashMedia struct {
	ID          int64
	TipID       int64
	SHA256      string
	ContentType string
	Width       int
	Height      int
	Size        int
	CSAM        bool
	CreatedAt   time.Time
}

// TipMedia lists a tip's photos; withCSAM includes the ones marked as
// abuse material (which are never shown, only counted and preserved).
func (s *Dashboard) TipMedia(ctx context.Context, tipID int64, withCSAM bool) ([]DashMedia, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, tip_id, sha256, content_type, width, height, octet_length(data), csam, created_at
		FROM tip_media WHERE tip_id = $1 AND ($2 OR NOT csam) ORDER BY id`, tipID, withCSAM)
	if err != nil {
		return nil, fmt.Errorf("tip media: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashMedia, error) {
		var m DashMedia
		err := r.Scan(&m.ID, &m.TipID, &m.SHA256, &m.ContentType, &m.Width, &m.Height, &m.Size, &m.CSAM, &m.CreatedAt)
		return m, err
	})
}

// MediaData returns a photo's stripped bytes and content type. A photo
// marked as abuse material is not found, for everyone.
func (s *Dashboard) MediaData(ctx context.Context, tipID, mediaID int64) ([]byte, string, error) {
	var b []byte
	var ct string
	err := s.pool.QueryRow(ctx, `SELECT data, content_type FROM tip_media WHERE id = $1 AND tip_id = $2 AND NOT csam`,
		mediaID, tipID).Scan(&b, &ct)
	return b, ct, notFound(err, "photo")
}

// DashNote is a staff note on a tip.
type DashNote struct {
	ID         int64
	StaffEmail string
	Body       string
	CreatedAt  time.Time
}

// TipNotes lists a tip's notes, oldest first.
func (s *Dashboard) TipNotes(ctx context.Context, tipID int64) ([]DashNote, error) {
	rows, err := s.pool.Query(ctx, `SELECT n.id, COALESCE(s.email, ''), n.body, n.created_at FROM tip_notes n
		LEFT JOIN staff s ON s.id = n.staff_id WHERE n.tip_id = $1 ORDER BY n.id`, tipID)
	if err != nil {
		return nil, fmt.Errorf("tip notes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashNote, error) {
		var n DashNote
		err := r.Scan(&n.ID, &n.StaffEmail, &n.Body, &n.CreatedAt)
		return n, err
	})
}

// Duplicates lists the tips marked as duplicates of tipID.
func (s *Dashboard) Duplicates(ctx context.Context, tipID int64) ([]DashTip, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+dashTipColumns+dashTipFrom+` WHERE t.duplicate_of = $1 ORDER BY t.id`, tipID)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashTip, error) { return scanDashTip(r) })
}

// DashFollowUp is a follow-up on a tip: what the tipster added later, or a
// staff reply, with who wrote it.
type DashFollowUp struct {
	Source     string // tipster, staff
	StaffEmail string
	Body       string
	MediaCount int
	Status     string // delivery state of a staff reply
	CreatedAt  time.Time
}

// FollowUps lists a tip's follow-ups, oldest first; they outlive the
// conversation.
func (s *Dashboard) FollowUps(ctx context.Context, tipID int64) ([]DashFollowUp, error) {
	rows, err := s.pool.Query(ctx, `SELECT u.source, COALESCE(s.email, ''), u.body, u.media_count, COALESCE(m.status, ''), u.created_at
		FROM tip_updates u LEFT JOIN staff s ON s.id = u.staff_id LEFT JOIN messages m ON m.id = u.message_id
		WHERE u.tip_id = $1 ORDER BY u.id`, tipID)
	if err != nil {
		return nil, fmt.Errorf("follow-ups: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashFollowUp, error) {
		var f DashFollowUp
		err := r.Scan(&f.Source, &f.StaffEmail, &f.Body, &f.MediaCount, &f.Status, &f.CreatedAt)
		return f, err
	})
}
