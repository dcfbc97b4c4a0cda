package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// Staff on shift and the queue of chats waiting for a person
// (docs/design.md section 9). A shift is a row in staff_shifts, so every
// instance agrees on who is on shift.

// Shift is a staff member on shift and the languages they answer in.
type Shift struct {
	StaffID   int64
	Email     string
	Langs     []string
	StartedAt time.Time
}

// ShiftLangs are the languages a shift may cover.
var ShiftLangs = []string{"en", "es", "fr"}

// onShiftWhere is what makes a shift row count: its holder's login is
// enabled and signed in (a session the purge has not removed: used within
// the session idle timeout), so that a forgotten shift does not tell a
// youth that a person may write when nobody is there.
const onShiftWhere = ` NOT s.disabled AND EXISTS (SELECT 1 FROM sessions x WHERE x.staff_id = f.staff_id)`

// Shifts lists the staff on shift, longest first.
func (s *Dashboard) Shifts(ctx context.Context) ([]Shift, error) {
	rows, err := s.pool.Query(ctx, `SELECT f.staff_id, s.email, f.langs, f.started_at
		FROM staff_shifts f JOIN staff s ON s.id = f.staff_id WHERE`+onShiftWhere+` ORDER BY f.started_at, f.staff_id`)
	if err != nil {
		return nil, fmt.Errorf("shifts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Shift, error) {
		var f Shift
		err := r.Scan(&f.StaffID, &f.Email, &f.Langs, &f.StartedAt)
		return f, err
	})
}

// StartShift puts a's staff member on shift for langs (a subset of
// ShiftLangs; none means all), or changes their languages. Audited.
func (s *Dashboard) StartShift(ctx context.Context, a Actor, langs []string) error {
	if len(langs) == 0 {
		langs = ShiftLangs
	}
	for _, l := range langs {
		if !validShiftLang(l) {
			return tipline.Errorf(tipline.EInvalid, "unknown language %q", l)
		}
	}
	return s.change(ctx, a.Entry("shift.start", "staff", idString(a.StaffID), map[string]any{"langs": langs}), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO staff_shifts (staff_id, langs, started_at) VALUES ($1, $2, $3)
			ON CONFLICT (staff_id) DO UPDATE SET langs = EXCLUDED.langs`, a.StaffID, langs, a.At)
		return err
	})
}

// EndShift takes a's staff member off shift (nothing happens when they
// were not on shift, but the request is audited).
func (s *Dashboard) EndShift(ctx context.Context, a Actor) error {
	return s.change(ctx, a.Entry("shift.end", "staff", idString(a.StaffID), nil), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM staff_shifts WHERE staff_id = $1`, a.StaffID)
		return err
	})
}

// EndAbandonedShifts ends the shifts of staff who are no longer signed in
// (logged out, or their session expired or went idle), each audited as a
// system action. It returns how many it ended.
func (s *Dashboard) EndAbandonedShifts(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `DELETE FROM staff_shifts f WHERE NOT EXISTS (SELECT 1 FROM sessions x WHERE x.staff_id = f.staff_id)
			OR EXISTS (SELECT 1 FROM staff s WHERE s.id = f.staff_id AND s.disabled) RETURNING f.staff_id`)
		if err != nil {
			return fmt.Errorf("end abandoned shifts: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, id := range ids {
			e := AuditEntry{At: now, Action: "shift.end", ObjectType: "staff", ObjectID: idString(id),
				Detail: map[string]any{"why": "signed out"}}
			if err := Audit(ctx, tx, e); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

func validShiftLang(l string) bool {
	for _, x := range ShiftLangs {
		if l == x {
			return true
		}
	}
	return false
}

// OnShift counts the staff on shift who answer in lang ("" counts
// everyone on shift): with staffing.Available, whether a person can write
// to a conversation in lang now.
func OnShift(ctx context.Context, db DBTX, lang string) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM staff_shifts f JOIN staff s ON s.id = f.staff_id
		WHERE`+onShiftWhere+` AND ($1 = '' OR $1 = ANY(f.langs))`, lang).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("on shift: %w", err)
	}
	return n, nil
}

// QueueWantsPerson adds to a turn's batch that the conversation asked for
// a person ("talk to a person"): it joins the waiting queue unless staff
// hold it or it already waits (its earlier wait is kept).
func QueueWantsPerson(b *pgx.Batch, conversationID int64, now time.Time) {
	b.Queue(`UPDATE conversations SET waiting_since = $2
		WHERE id = $1 AND claimed_by IS NULL AND waiting_since IS NULL`, conversationID, now)
}

// TouchClaim records activity by the claimer of a conversation, which
// keeps the claim from going idle. Nothing happens when staffID does not
// hold it.
func TouchClaim(ctx context.Context, db DBTX, conversationID, staffID int64, now time.Time) error {
	_, err := db.Exec(ctx, `UPDATE conversations SET staff_active_at = $3
		WHERE id = $1 AND claimed_by = $2 AND staff_active_at IS DISTINCT FROM $3`, conversationID, staffID, now)
	if err != nil {
		return fmt.Errorf("touch claim: %w", err)
	}
	return nil
}

// TouchClaim records that a's staff member is working on chat (a view of
// its page) when they hold it.
func (s *Dashboard) TouchClaim(ctx context.Context, a Actor, chat DashChat) error {
	return TouchClaim(ctx, s.pool, chat.ID, a.StaffID, a.At)
}

// RecentChats lists conversations (youth or tipster, flagged or not) by
// their latest inbound message, newest first: what staff pick a chat to
// take over from.
func (s *Dashboard) RecentChats(ctx context.Context, limit int) ([]DashChat, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+dashChatColumns+dashChatFrom+` WHERE v.last_inbound_at IS NOT NULL
		ORDER BY v.last_inbound_at DESC, v.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent chats: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashChat, error) { return scanDashChat(r) })
}
