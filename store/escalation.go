package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// The consent and escalation record of a youth conversation (migration
// 0010): append-only, audited, purged with the conversation unless held.

// The kinds of escalation entries.
const (
	EscalationException = "exception"  // staff invoke a duty-to-report exception, with a reason
	EscalationTold      = "told"       // who was told (an agency, a person) and when
	EscalationYouthTold = "youth_told" // the youth was told what is being done
	EscalationHold      = "hold"       // legal hold placed: the record outlives the conversation
	EscalationUnhold    = "unhold"     // legal hold lifted
)

// The duty-to-report exceptions staff may invoke.
var EscalationExceptions = []string{"imminent_harm", "child_abuse"}

// EscalationEntry is one line of the record. Categories are the risk
// category codes disclosed in the conversation when the entry was made.
type EscalationEntry struct {
	ID         int64
	Kind       string
	Categories []string
	Exception  string
	Reason     string
	ToldWhom   string
	ToldAt     *time.Time
	StaffEmail string
	CreatedAt  time.Time
}

// Escalation is a conversation's record: its entries, oldest first, the
// categories disclosed so far (from the risk screen's stored outcomes) and
// whether a legal hold keeps it past the conversation.
type Escalation struct {
	Entries   []EscalationEntry
	Disclosed []string
	Held      bool
}

// disclosedSQL is the distinct risk categories of a conversation's stored
// outcomes (they go with their messages).
const disclosedSQL = `SELECT COALESCE(array_agg(DISTINCT c ORDER BY c), '{}') FROM message_risk r
	JOIN messages m ON m.id = r.message_id, unnest(r.categories) c WHERE m.conversation_id = $1`

// Escalation reads chat's record.
func (s *Dashboard) Escalation(ctx context.Context, chat DashChat) (Escalation, error) {
	var e Escalation
	if err := s.pool.QueryRow(ctx, disclosedSQL, chat.ID).Scan(&e.Disclosed); err != nil {
		return e, fmt.Errorf("escalation: %w", err)
	}
	if err := s.pool.QueryRow(ctx, `SELECT escalation_hold FROM conversations WHERE id = $1`, chat.ID).Scan(&e.Held); err != nil {
		return e, notFound(err, "chat")
	}
	rows, err := s.pool.Query(ctx, `SELECT e.id, e.kind, e.categories, e.exception, e.reason, e.told_whom, e.told_at,
		COALESCE(s.email, ''), e.created_at FROM escalation_entries e LEFT JOIN staff s ON s.id = e.staff_id
		WHERE e.conversation_id = $1 ORDER BY e.id`, chat.ID)
	if err != nil {
		return e, fmt.Errorf("escalation: %w", err)
	}
	e.Entries, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (EscalationEntry, error) {
		var x EscalationEntry
		err := r.Scan(&x.ID, &x.Kind, &x.Categories, &x.Exception, &x.Reason, &x.ToldWhom, &x.ToldAt, &x.StaffEmail, &x.CreatedAt)
		return x, err
	})
	return e, err
}

// AddEscalation appends x (kind exception, told or youth_told) to chat's
// record, with the categories disclosed so far, and audits it (the audit
// row names the kind and exception, not the written reason).
func (s *Dashboard) AddEscalation(ctx context.Context, a Actor, chat DashChat, x EscalationEntry) error {
	if err := checkEscalation(chat, &x); err != nil {
		return err
	}
	detail := map[string]any{"kind": x.Kind}
	if x.Exception != "" {
		detail["exception"] = x.Exception
	}
	return s.change(ctx, a.Entry("escalation.record", "conversation", chat.PublicID, detail), func(tx pgx.Tx) error {
		return insertEscalation(ctx, tx, a, chat, x)
	})
}

// SetEscalationHold places or lifts the legal hold on chat's record, with a
// reason; audited and recorded in the record itself.
func (s *Dashboard) SetEscalationHold(ctx context.Context, a Actor, chat DashChat, hold bool, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return tipline.Errorf(tipline.EInvalid, "say why")
	}
	kind := map[bool]string{true: EscalationHold, false: EscalationUnhold}[hold]
	e := a.Entry("escalation.legal_hold", "conversation", chat.PublicID, map[string]any{"hold": hold})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE conversations SET escalation_hold = $2 WHERE id = $1`, chat.ID, hold); err != nil {
			return fmt.Errorf("escalation hold: %w", err)
		}
		return insertEscalation(ctx, tx, a, chat, EscalationEntry{Kind: kind, Reason: strings.TrimSpace(reason)})
	})
}

func insertEscalation(ctx context.Context, tx pgx.Tx, a Actor, chat DashChat, x EscalationEntry) error {
	_, err := tx.Exec(ctx, `INSERT INTO escalation_entries (conversation_id, conversation_pid, kind, categories, exception,
		reason, told_whom, told_at, staff_id, created_at) VALUES ($1, $2, $3, (`+disclosedSQL+`), $4, $5, $6, $7, $8, $9)`,
		chat.ID, chat.PublicID, x.Kind, x.Exception, x.Reason, x.ToldWhom, x.ToldAt, a.StaffID, a.At)
	if err != nil {
		return fmt.Errorf("escalation entry: %w", err)
	}
	return nil
}

// checkEscalation validates an entry staff write: a youth conversation; an
// exception names one of EscalationExceptions and why; a "told" entry
// names whom (when defaults to now, in the caller).
func checkEscalation(chat DashChat, x *EscalationEntry) error {
	if chat.Kind == "tipster" {
		return tipline.Errorf(tipline.EInvalid, "the escalation record is for youth conversations")
	}
	x.Reason, x.ToldWhom = strings.TrimSpace(x.Reason), strings.TrimSpace(x.ToldWhom)
	switch x.Kind {
	case EscalationException:
		if x.Exception != "imminent_harm" && x.Exception != "child_abuse" {
			return tipline.Errorf(tipline.EInvalid, "choose the exception: imminent harm or child abuse")
		}
		if x.Reason == "" {
			return tipline.Errorf(tipline.EInvalid, "say why the exception applies")
		}
	case EscalationTold:
		if x.ToldWhom == "" || x.ToldAt == nil {
			return tipline.Errorf(tipline.EInvalid, "say who was told and when")
		}
		x.Exception = ""
	case EscalationYouthTold:
		x.Exception, x.ToldWhom, x.ToldAt = "", "", nil
	default:
		return tipline.Errorf(tipline.EInvalid, "unknown entry kind")
	}
	if len(x.Reason) > 2000 || len(x.ToldWhom) > 200 {
		return tipline.Errorf(tipline.EInvalid, "too long")
	}
	return nil
}
