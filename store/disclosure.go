package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// Emergency disclosure (migration 0011): two staff members, the second
// confirming, may reveal a youth's sealed identifier to pass to 911.

// DisclosureWindow is how long after its confirmation a disclosure may be
// revealed, and how long a request waits for its confirmation.
const DisclosureWindow = 15 * time.Minute

// Disclosure is one request to reveal a conversation's identifier.
type Disclosure struct {
	ID             int64
	RequestedBy    *int64
	RequestedEmail string
	Reason         string
	RequestedAt    time.Time
	ConfirmedBy    *int64
	ConfirmedEmail string
	ConfirmedAt    *time.Time
}

// Disclosures lists chat's disclosure requests, newest first.
func (s *Dashboard) Disclosures(ctx context.Context, chat DashChat) ([]Disclosure, error) {
	rows, err := s.pool.Query(ctx, `SELECT d.id, d.requested_by, COALESCE(r.email, ''), d.reason, d.requested_at,
		d.confirmed_by, COALESCE(c.email, ''), d.confirmed_at
		FROM disclosure_requests d LEFT JOIN staff r ON r.id = d.requested_by LEFT JOIN staff c ON c.id = d.confirmed_by
		WHERE d.conversation_id = $1 ORDER BY d.id DESC`, chat.ID)
	if err != nil {
		return nil, fmt.Errorf("disclosures: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Disclosure, error) {
		var d Disclosure
		err := r.Scan(&d.ID, &d.RequestedBy, &d.RequestedEmail, &d.Reason, &d.RequestedAt, &d.ConfirmedBy, &d.ConfirmedEmail, &d.ConfirmedAt)
		return d, err
	})
}

// RequestDisclosure records a's request, with its written reason, to reveal
// chat's identifier. Audited (without the reason's text).
func (s *Dashboard) RequestDisclosure(ctx context.Context, a Actor, chat DashChat, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 2000 {
		return tipline.Errorf(tipline.EInvalid, "write why the identifier must be revealed")
	}
	return s.change(ctx, a.Entry("disclosure.request", "conversation", chat.PublicID, nil), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO disclosure_requests (conversation_id, requested_by, reason, requested_at)
			VALUES ($1, $2, $3, $4)`, chat.ID, a.StaffID, reason, a.At)
		return err
	})
}

// ConfirmDisclosure is the second staff member's confirmation of request
// id: not the requester's own, and within DisclosureWindow of the request.
func (s *Dashboard) ConfirmDisclosure(ctx context.Context, a Actor, chat DashChat, id int64) error {
	e := a.Entry("disclosure.confirm", "conversation", chat.PublicID, map[string]any{"request": id})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE disclosure_requests SET confirmed_by = $3, confirmed_at = $4
			WHERE id = $1 AND conversation_id = $2 AND confirmed_by IS NULL AND requested_by IS DISTINCT FROM $3
			  AND requested_at > $4::timestamptz - $5::interval`, id, chat.ID, a.StaffID, a.At, DisclosureWindow)
		if err != nil {
			return fmt.Errorf("confirm disclosure: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return tipline.Errorf(tipline.EConflict, "a second staff member must confirm an open request within %v", DisclosureWindow)
		}
		return nil
	})
}

// RevealDisclosure returns chat's sealed identifier for request id to its
// requester or confirmer, within DisclosureWindow of the confirmation.
// Each reveal is audited.
func (s *Dashboard) RevealDisclosure(ctx context.Context, a Actor, chat DashChat, id int64) ([]byte, error) {
	var sealed []byte
	e := a.Entry("disclosure.reveal", "conversation", chat.PublicID, map[string]any{"request": id})
	err := s.change(ctx, e, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT k.id_sealed FROM disclosure_requests d JOIN conversations v ON v.id = d.conversation_id
			LEFT JOIN contacts k ON k.id = v.contact_id
			WHERE d.id = $1 AND d.conversation_id = $2 AND d.confirmed_at > $4::timestamptz - $5::interval
			  AND $3 IN (d.requested_by, d.confirmed_by)`, id, chat.ID, a.StaffID, a.At, DisclosureWindow).Scan(&sealed)
		if err == pgx.ErrNoRows {
			return tipline.Errorf(tipline.EForbidden, "only the two staff members of a confirmed request may reveal it, within %v", DisclosureWindow)
		}
		if err != nil {
			return fmt.Errorf("reveal disclosure: %w", err)
		}
		if len(sealed) == 0 {
			return tipline.Errorf(tipline.ENotFound, "the identifier is no longer kept (erased or past retention)")
		}
		return nil
	})
	return sealed, err
}
