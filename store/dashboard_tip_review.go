package store

import (
	"context"

	"tipline"

	"github.com/jackc/pgx/v5"
)

// The staff's review of tips. Each action writes its audit row (one per
// tip changed) in the same transaction as its change.

// SetTipStatus sets a tip's review status.
func (s *Dashboard) SetTipStatus(ctx context.Context, a Actor, id int64, status string) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := DashSetTipStatus(ctx, tx, id, status, a.At)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("tip.status", "tip", idString(id), map[string]any{"from": old, "to": status}))
	})
}

// MarkDuplicate marks tip id as a duplicate of the tip with code ofCode:
// a merge (MergeTip) on record, that can be undone and never forms a
// cycle, audited as tip.duplicate.
func (s *Dashboard) MarkDuplicate(ctx context.Context, a Actor, id int64, ofCode string) error {
	_, err := s.merge(ctx, a, "tip.duplicate", id, MergeRequest{IntoCode: ofCode, Reason: "marked as a duplicate"})
	return err
}

// AssignTip assigns a tip to a staff member (nil: nobody).
func (s *Dashboard) AssignTip(ctx context.Context, a Actor, id int64, to *int64) error {
	detail := map[string]any{"to": nil}
	if to != nil {
		detail["to"] = *to
	}
	return s.change(ctx, a.Entry("tip.assign", "tip", idString(id), detail), func(tx pgx.Tx) error {
		return assignTip(ctx, tx, id, to, a.At)
	})
}

// LinkTipCase links a tip to a case (nil: unlinks it).
func (s *Dashboard) LinkTipCase(ctx context.Context, a Actor, id int64, caseID *int64) error {
	detail := map[string]any{"case_id": nil}
	if caseID != nil {
		detail["case_id"] = *caseID
	}
	return s.change(ctx, a.Entry("tip.case", "tip", idString(id), detail), func(tx pgx.Tx) error {
		return linkTipCase(ctx, tx, id, caseID, a.At)
	})
}

// SetLegalHold puts a tip on legal hold or lifts the hold.
func (s *Dashboard) SetLegalHold(ctx context.Context, a Actor, id int64, hold bool) error {
	e := a.Entry("tip.legal_hold", "tip", idString(id), map[string]any{"hold": hold})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return setLegalHold(ctx, tx, id, hold, a.At)
	})
}

// MarkCSAM marks a tip's photo as child sexual abuse material.
func (s *Dashboard) MarkCSAM(ctx context.Context, a Actor, tipID, mediaID int64) error {
	e := a.Entry("tip.media_csam", "tip", idString(tipID), map[string]any{"media_id": mediaID})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return markCSAM(ctx, tx, tipID, mediaID, a.StaffID, a.At)
	})
}

// AddTipNote adds a's note to a tip; the audit row names the note, not
// its text.
func (s *Dashboard) AddTipNote(ctx context.Context, a Actor, id int64, body string) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		noteID, err := addTipNote(ctx, tx, id, a.StaffID, body, a.At)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("tip.note", "tip", idString(id), map[string]any{"note_id": noteID}))
	})
}

// TipReply is a staff reply to a tip's reporter. Canned names the canned
// reply used ("" for a written one) in the audit row; Text writes the
// reply for tip t (in its language) or refuses with an error; Send queues
// it to the reporter inside tx (staffreply.ToTip, which builds on the
// store rather than in it).
type TipReply struct {
	Canned string
	Text   func(t DashTipDetail) (string, error)
	Send   func(ctx context.Context, tx Tx, t DashTipDetail, text string) error
}

// ReplyToTip answers the reporter of tip id, which must still be
// answerable, in one transaction with its audit row. The row records that
// a reply went and its length, never its text.
func (s *Dashboard) ReplyToTip(ctx context.Context, a Actor, id int64, r TipReply) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		t, err := DashTipByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !t.CanAnswer {
			return tipline.Errorf(tipline.EConflict, "this tip can no longer be answered: %s", t.AnswerBlocker)
		}
		text, err := r.Text(t)
		if err != nil {
			return err
		}
		if err := r.Send(ctx, tx, t, text); err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("tip.reply", "tip", idString(id), map[string]any{"canned": r.Canned, "chars": len(text)}))
	})
}

// Bulk sets status on the tips ids (unless status is "") and sends reply
// to those a reply can still reach (unless reply is nil), all in one
// transaction with one audit row per tip changed or answered.
func (s *Dashboard) Bulk(ctx context.Context, a Actor, ids []int64, status string, reply *TipReply) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if status != "" {
			if err := bulkStatus(ctx, tx, a, ids, status); err != nil {
				return err
			}
		}
		if reply != nil {
			return bulkReply(ctx, tx, a, ids, reply)
		}
		return nil
	})
}

func bulkStatus(ctx context.Context, tx pgx.Tx, a Actor, ids []int64, status string) error {
	changed, err := DashBulkSetStatus(ctx, tx, ids, status, a.At)
	if err != nil {
		return err
	}
	for _, id := range changed {
		if err := Audit(ctx, tx, a.Entry("tip.status", "tip", idString(id), map[string]any{"to": status, "bulk": true})); err != nil {
			return err
		}
	}
	return nil
}

func bulkReply(ctx context.Context, tx pgx.Tx, a Actor, ids []int64, reply *TipReply) error {
	for _, id := range ids {
		t, err := DashTipByID(ctx, tx, id)
		if err != nil || !t.CanAnswer {
			continue
		}
		text, err := reply.Text(t)
		if err != nil {
			return err
		}
		if err := reply.Send(ctx, tx, t, text); err != nil {
			return err
		}
		e := a.Entry("tip.reply", "tip", idString(id), map[string]any{"canned": reply.Canned, "bulk": true})
		if err := Audit(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
