package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// GalleryProposal is what a staff member proposes to show of a case in the
// public gallery, and the grounds for it (migration 0021).
type GalleryProposal struct {
	PublicName     string    // the name the family agreed to show
	PublicCity     string    // the city last seen (never an address)
	ConsentBy      string    // the guardian who consented, e.g. "mother"
	ConsentNote    string    // how and when consent was recorded
	PoliceReport   string    // the police report number
	ReviewDate     time.Time // the date the publication lapses unless proposed again
	AbuseDisclosed bool      // the child disclosed abuse at home: approval needs a safeguarding review
}

// GalleryRecord is a case's gallery publication as staff see it.
type GalleryRecord struct {
	GalleryProposal
	CaseID             int64
	SafeguardingReview string
	ProposedBy         *int64
	ProposedByEmail    string
	ProposedAt         time.Time
	ApprovedBy         *int64
	ApprovedByEmail    string
	ApprovedAt         *time.Time
	WithdrawnAt        *time.Time
	HasPhoto           bool
}

// GalleryState names where a record stands: "pending" (waiting for a
// second staff member), "published", "expired" (review date passed) or
// "withdrawn".
func (g GalleryRecord) GalleryState(today time.Time) string {
	switch {
	case g.WithdrawnAt != nil:
		return "withdrawn"
	case g.ApprovedAt == nil:
		return "pending"
	case g.ReviewDate.Format(time.DateOnly) < today.Format(time.DateOnly):
		return "expired"
	}
	return "published"
}

// MaxGalleryReview is how far ahead a review date may be.
const MaxGalleryReview = 180 * 24 * time.Hour

// Validate checks a proposal against today's date (in the line's time zone).
func (p GalleryProposal) Validate(today time.Time) error {
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	day := today.Format(time.DateOnly)
	switch {
	case blank(p.PublicName) || blank(p.PublicCity):
		return tipline.Errorf(tipline.EInvalid, "the name and the city the family agreed to show are required")
	case blank(p.ConsentBy) || blank(p.ConsentNote):
		return tipline.Errorf(tipline.EInvalid, "record the guardian's consent: who gave it and how")
	case blank(p.PoliceReport):
		return tipline.Errorf(tipline.EInvalid, "a police report number is required")
	case len(p.PublicName) > 200 || len(p.PublicCity) > 200 || len(p.ConsentBy) > 200 ||
		len(p.ConsentNote) > 2000 || len(p.PoliceReport) > 100:
		return tipline.Errorf(tipline.EInvalid, "a field is too long")
	case p.ReviewDate.Format(time.DateOnly) <= day:
		return tipline.Errorf(tipline.EInvalid, "the review date must be after today")
	case p.ReviewDate.After(today.Add(MaxGalleryReview)):
		return tipline.Errorf(tipline.EInvalid, "the review date must be within 180 days")
	}
	return nil
}

// GalleryRecord loads a case's gallery record; ok is false when it has none.
func (s *Dashboard) GalleryRecord(ctx context.Context, caseID int64) (GalleryRecord, bool, error) {
	var g GalleryRecord
	p := &g.GalleryProposal
	err := s.pool.QueryRow(ctx, `SELECT g.case_id, g.public_name, g.public_city, g.consent_by, g.consent_note,
		g.police_report, g.review_date, g.abuse_disclosed, g.safeguarding_review, g.proposed_by,
		COALESCE(p.email, ''), g.proposed_at, g.approved_by, COALESCE(a.email, ''), g.approved_at,
		g.withdrawn_at, g.photo IS NOT NULL
		FROM case_gallery g LEFT JOIN staff p ON p.id = g.proposed_by LEFT JOIN staff a ON a.id = g.approved_by
		WHERE g.case_id = $1`, caseID).Scan(&g.CaseID, &p.PublicName, &p.PublicCity, &p.ConsentBy,
		&p.ConsentNote, &p.PoliceReport, &p.ReviewDate, &p.AbuseDisclosed, &g.SafeguardingReview,
		&g.ProposedBy, &g.ProposedByEmail, &g.ProposedAt, &g.ApprovedBy, &g.ApprovedByEmail, &g.ApprovedAt,
		&g.WithdrawnAt, &g.HasPhoto)
	if errors.Is(err, pgx.ErrNoRows) {
		return GalleryRecord{}, false, nil
	}
	if err != nil {
		return GalleryRecord{}, false, fmt.Errorf("gallery record: %w", err)
	}
	return g, true, nil
}

// ProposeGallery records a proposal to show an active case in the gallery.
// It replaces any earlier record: what was published leaves the gallery
// until a second staff member approves the new proposal. Audited.
func (s *Dashboard) ProposeGallery(ctx context.Context, a Actor, caseID int64, p GalleryProposal, today time.Time) error {
	if err := p.Validate(today); err != nil {
		return err
	}
	e := a.Entry("gallery.propose", "case", idString(caseID), map[string]any{
		"review_date": p.ReviewDate.Format(time.DateOnly), "abuse_disclosed": p.AbuseDisclosed})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM cases WHERE id = $1 FOR UPDATE`, caseID).Scan(&status); err != nil {
			return notFound(err, "case")
		}
		if status != "active" {
			return tipline.Errorf(tipline.EConflict, "only an active case can be shown in the gallery")
		}
		_, err := tx.Exec(ctx, `INSERT INTO case_gallery (case_id, public_name, public_city, consent_by,
			consent_note, police_report, review_date, abuse_disclosed, proposed_by, proposed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $10)
			ON CONFLICT (case_id) DO UPDATE SET public_name = $2, public_city = $3, consent_by = $4,
			consent_note = $5, police_report = $6, review_date = $7::date, abuse_disclosed = $8,
			safeguarding_review = '', proposed_by = $9, proposed_at = $10, approved_by = NULL,
			approved_at = NULL, photo = NULL, photo_type = '', withdrawn_at = NULL`,
			caseID, strings.TrimSpace(p.PublicName), strings.TrimSpace(p.PublicCity), strings.TrimSpace(p.ConsentBy),
			strings.TrimSpace(p.ConsentNote), strings.TrimSpace(p.PoliceReport), p.ReviewDate.Format(time.DateOnly),
			p.AbuseDisclosed, staffRef(a.StaffID), a.At)
		return err
	})
}

// GalleryApproval is a second staff member's approval of a proposal.
type GalleryApproval struct {
	// SafeguardingReview is the approver's review, required when the
	// child disclosed abuse at home.
	SafeguardingReview string
	// Photo is the case photo re-encoded without metadata (nil: none).
	Photo     []byte
	PhotoType string
}

// ApproveGallery publishes a pending proposal: the approver is not the
// proposer, the case is active and public, the review date is ahead, and
// a child who disclosed abuse at home has a safeguarding review. Audited.
func (s *Dashboard) ApproveGallery(ctx context.Context, a Actor, caseID int64, ap GalleryApproval, today time.Time) error {
	ap.SafeguardingReview = strings.TrimSpace(ap.SafeguardingReview)
	if len(ap.SafeguardingReview) > 4000 {
		return tipline.Errorf(tipline.EInvalid, "the safeguarding review is too long")
	}
	e := a.Entry("gallery.approve", "case", idString(caseID), map[string]any{"photo": ap.Photo != nil})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		if err := checkApproval(ctx, tx, a, caseID, ap, today); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE case_gallery SET approved_by = $2, approved_at = $3,
			safeguarding_review = $4, photo = $5, photo_type = $6 WHERE case_id = $1`,
			caseID, staffRef(a.StaffID), a.At, ap.SafeguardingReview, ap.Photo, ap.PhotoType)
		return err
	})
}

// checkApproval locks the case and its record and checks an approval.
func checkApproval(ctx context.Context, tx pgx.Tx, a Actor, caseID int64, ap GalleryApproval, today time.Time) error {
	var status string
	var public, abuse, pending bool
	var proposer *int64
	var review time.Time
	err := tx.QueryRow(ctx, `SELECT c.status, c.public, g.abuse_disclosed, g.proposed_by, g.review_date,
		g.approved_at IS NULL AND g.withdrawn_at IS NULL
		FROM cases c JOIN case_gallery g ON g.case_id = c.id WHERE c.id = $1 FOR UPDATE`, caseID).Scan(
		&status, &public, &abuse, &proposer, &review, &pending)
	switch {
	case err != nil:
		return notFound(err, "gallery proposal")
	case !pending:
		return tipline.Errorf(tipline.EConflict, "there is no proposal waiting for approval")
	case proposer != nil && *proposer == a.StaffID:
		return tipline.Errorf(tipline.EForbidden, "a second staff member must approve: you proposed it")
	case status != "active" || !public:
		return tipline.Errorf(tipline.EConflict, "publish the case (active and public) before approving it for the gallery")
	case review.Format(time.DateOnly) < today.Format(time.DateOnly):
		return tipline.Errorf(tipline.EConflict, "the review date has passed: propose it again")
	case abuse && ap.SafeguardingReview == "":
		return tipline.Errorf(tipline.EInvalid, "the child disclosed abuse at home: write the safeguarding review before publishing")
	}
	return nil
}

// WithdrawGallery takes a case out of the gallery at once; its photo copy
// is deleted. Audited.
func (s *Dashboard) WithdrawGallery(ctx context.Context, a Actor, caseID int64) error {
	e := a.Entry("gallery.withdraw", "case", idString(caseID), nil)
	return s.change(ctx, e, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE case_gallery SET photo = NULL, photo_type = '', withdrawn_at = $2
			WHERE case_id = $1 AND withdrawn_at IS NULL`, caseID, a.At)
		return affectedOne(tag.RowsAffected(), err, "gallery record")
	})
}

// staffRef is a staff id as a nullable reference.
func staffRef(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// GalleryCase is what the public gallery shows of a case, and nothing else.
type GalleryCase struct {
	PublicID   string
	Number     string
	Name       string
	Age        *int
	City       string
	LastSeenAt *time.Time
	HasPhoto   bool
}

// galleryLive is the condition for a case to be shown: approved, not
// withdrawn, active, public and within its review date ($1, a date).
const galleryLive = `g.approved_at IS NOT NULL AND g.withdrawn_at IS NULL AND c.status = 'active'
	AND c.public AND g.review_date >= $1::date`

// GalleryCases lists the cases the public gallery shows today (the date
// in the line's time zone), the most recently seen first.
func GalleryCases(ctx context.Context, db DBTX, today time.Time, limit int) ([]GalleryCase, error) {
	rows, err := db.Query(ctx, `SELECT c.public_id, c.case_number, g.public_name, c.age, g.public_city,
		c.last_seen_at, g.photo IS NOT NULL FROM case_gallery g JOIN cases c ON c.id = g.case_id
		WHERE `+galleryLive+` ORDER BY c.last_seen_at DESC NULLS LAST, c.id DESC LIMIT $2`,
		today.Format(time.DateOnly), limit)
	if err != nil {
		return nil, fmt.Errorf("gallery: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (GalleryCase, error) {
		var g GalleryCase
		return g, r.Scan(&g.PublicID, &g.Number, &g.Name, &g.Age, &g.City, &g.LastSeenAt, &g.HasPhoto)
	})
}

// GalleryCaseByPublicID loads one case the gallery shows today; any other
// case (unknown, closed, private, withdrawn, expired) is not found.
func GalleryCaseByPublicID(ctx context.Context, db DBTX, publicID string, today time.Time) (GalleryCase, error) {
	var g GalleryCase
	err := db.QueryRow(ctx, `SELECT c.public_id, c.case_number, g.public_name, c.age, g.public_city,
		c.last_seen_at, g.photo IS NOT NULL FROM case_gallery g JOIN cases c ON c.id = g.case_id
		WHERE `+galleryLive+` AND c.public_id = $2`, today.Format(time.DateOnly), publicID).Scan(
		&g.PublicID, &g.Number, &g.Name, &g.Age, &g.City, &g.LastSeenAt, &g.HasPhoto)
	return g, notFound(err, "case")
}

// GalleryPhoto returns the approved photo copy of a case the gallery shows
// today, and its content type; any other is not found.
func GalleryPhoto(ctx context.Context, db DBTX, publicID string, today time.Time) ([]byte, string, error) {
	var b []byte
	var ct string
	err := db.QueryRow(ctx, `SELECT g.photo, g.photo_type FROM case_gallery g JOIN cases c ON c.id = g.case_id
		WHERE `+galleryLive+` AND c.public_id = $2 AND g.photo IS NOT NULL`, today.Format(time.DateOnly), publicID).Scan(&b, &ct)
	return b, ct, notFound(err, "photo")
}

// ExpireGalleryPhotos deletes the photo copies of gallery records whose
// review date passed before today (the date in the line's time zone);
// their pages already answer 404. It returns how many it deleted.
func ExpireGalleryPhotos(ctx context.Context, db DBTX, today time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE case_gallery SET photo = NULL, photo_type = ''
		WHERE photo IS NOT NULL AND review_date < $1::date`, today.Format(time.DateOnly))
	if err != nil {
		return 0, fmt.Errorf("expire gallery photos: %w", err)
	}
	return tag.RowsAffected(), nil
}
