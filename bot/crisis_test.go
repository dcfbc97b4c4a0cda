package bot_test

import (
	"context"
	"strings"
	"testing"

	"tipline/store"
)

// TestCrisisConversationWithStaff plays a crisis conversation through the
// real turn and database: a danger hit, a person asked for (the chat joins
// the queue; someone on shift is named), a staff claim (the bot holds back
// but still screens every message and answers danger), a release (the
// youth is back at the menu).
func TestCrisisConversationWithStaff(t *testing.T) {
	r := newSGRig(t)
	ctx := context.Background()
	staffID := r.staffMember()
	for _, sql := range []string{`INSERT INTO staff_shifts (staff_id) VALUES ($1)`,
		`INSERT INTO sessions (token_hash, staff_id, expires_at) VALUES ('\x01', $1, now() + interval '1 hour')`} {
		if _, err := r.pool.Exec(ctx, sql, staffID); err != nil {
			t.Fatal(err)
		}
	}
	const youth = "+12025550177"
	r.sms(youth, "my boyfriend says he will hurt me if i dont go back and i want to kill myself")
	if !woken(r.bot.UrgentWake()) {
		t.Error("a danger answer was queued without waking the outbox at once (UrgentWake)")
	}
	r.sms(youth, "are you a real person?")
	if woken(r.bot.UrgentWake()) {
		t.Error("the answer to an ordinary question woke the outbox as urgent")
	}
	got := r.smsTo(youth)
	if len(got) != 2 || !strings.HasPrefix(got[0], "If you are in danger, call 911") ||
		!strings.Contains(got[1], "A person from our team may write to you here") {
		t.Fatalf("youth got %q", got)
	}
	var convID int64
	if err := r.pool.QueryRow(ctx, `SELECT id FROM conversations WHERE waiting_since IS NOT NULL`).Scan(&convID); err != nil {
		t.Fatalf("the chat does not wait for a person: %v", err)
	}
	if err := store.ClaimChat(ctx, r.pool, convID, staffID, r.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r.sms(youth, "ok im at my friends house now")
	r.sms(youth, "he is outside with a knife")
	got = r.smsTo(youth)
	if len(got) != 3 || !strings.HasPrefix(got[2], "If you are in danger, call 911") {
		t.Fatalf("while claimed, the bot said %q", got[2:])
	}
	if n := r.count(`SELECT count(*) FROM message_risk`); n != 2 {
		t.Errorf("%d messages carry risk reasons, want the two that hit", n)
	}
	// The danger answers are crisis replies, sent first after a provider
	// pause; the answer to the question in between is not.
	if n := r.count(`SELECT count(*) FROM messages WHERE kind = 'bot' AND body LIKE 'If you are in danger%' AND priority = 0`); n != 0 {
		t.Errorf("%d danger answers queued without crisis priority", n)
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE kind = 'bot' AND body LIKE '%A person from our team%' AND priority > 0`); n != 0 {
		t.Errorf("the answer to an ordinary question was queued as a crisis reply")
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE direction = 'in'`); n != 4 {
		t.Errorf("%d inbound messages stored, want 4", n)
	}
	if err := store.ReleaseChat(ctx, r.pool, convID, staffID, false, r.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r.sms(youth, "hi")
	got = r.smsTo(youth)
	if last := got[len(got)-1]; !strings.Contains(last, "What would you like to do?") {
		t.Errorf("after the release the youth got %q, want the menu", last)
	}
}

// TestNobodyOnShiftIsSaid: with nobody on shift the youth is told so, and
// given the 24/7 line; the chat still waits in the queue.
func TestNobodyOnShiftIsSaid(t *testing.T) {
	r := newSGRig(t)
	const chat = 7700112290
	r.tgText(chat, "he hits me every night and i ran away")
	r.tgText(chat, "can i talk to a human")
	got := r.tgTo("7700112290")
	if len(got) != 2 || !strings.Contains(got[1], "Nobody from our team is on shift now") || !strings.Contains(got[1], "call") {
		t.Fatalf("youth got %q", got)
	}
	if n := r.count(`SELECT count(*) FROM conversations WHERE waiting_since IS NOT NULL`); n != 1 {
		t.Errorf("%d chats wait for a person, want 1", n)
	}
}

// woken reports whether c holds a signal (and takes it).
func woken(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
