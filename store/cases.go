package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Case is a missing-child case that staff publish.
type Case struct {
	ID            int64
	PublicID      string // unguessable id used in deep links (case_<PublicID>)
	Number        string
	DisplayName   string
	Age           *int
	Sex           string
	Description   string
	LastSeenPlace string
	LastSeenAt    *time.Time
	Status        string // active, found, closed
	Public        bool
	LegalHold     bool
	ClosedAt      *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// NewPublicID returns a random, unguessable id of 20 base32 characters
// (100 bits) that fits a Telegram deep-link payload.
func NewPublicID() string {
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		panic("store: crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20]
}

const caseColumns = `id, public_id, case_number, display_name, age, sex, description, last_seen_place,
	last_seen_at, status, public, legal_hold, closed_at, created_at, updated_at`

func scanCase(row pgx.Row) (Case, error) {
	var c Case
	err := row.Scan(&c.ID, &c.PublicID, &c.Number, &c.DisplayName, &c.Age, &c.Sex, &c.Description,
		&c.LastSeenPlace, &c.LastSeenAt, &c.Status, &c.Public, &c.LegalHold, &c.ClosedAt, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// CreateCase inserts a case; PublicID is generated when empty.
func CreateCase(ctx context.Context, db DBTX, c Case) (Case, error) {
	if c.PublicID == "" {
		c.PublicID = NewPublicID()
	}
	if c.Status == "" {
		c.Status = "active"
	}
	out, err := scanCase(db.QueryRow(ctx, `INSERT INTO cases (public_id, case_number, display_name, age, sex,
		description, last_seen_place, last_seen_at, status, public)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+caseColumns,
		c.PublicID, c.Number, c.DisplayName, c.Age, c.Sex, c.Description, c.LastSeenPlace, c.LastSeenAt, c.Status, c.Public))
	if err != nil {
		return Case{}, fmt.Errorf("create case: %w", err)
	}
	return out, nil
}

// CaseByNumber finds a case by its number.
func CaseByNumber(ctx context.Context, db DBTX, number string) (Case, error) {
	c, err := scanCase(db.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE upper(case_number) = upper($1)`, strings.TrimSpace(number)))
	if err != nil {
		return Case{}, notFound(err, "case")
	}
	return c, nil
}

// CountCases returns how many cases exist.
func CountCases(ctx context.Context, db DBTX) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM cases`).Scan(&n)
	return n, err
}
