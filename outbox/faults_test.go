package outbox_test

import (
	"context"
	"testing"
	"time"

	"tipline"
	"tipline/outbox"
	"tipline/telegram/telegramtest"
	"tipline/twilio/twiliotest"
)

// The outbox against the real channel providers and their fakes: waits,
// retries, crashes at each point of a send, expiry and permanent failures.

// smsRig is a rig with one SMS conversation and its replies queued, the
// fake Twilio on the rig's clock.
func smsRig(t *testing.T) (*rig, *tipline.FakeClock) {
	clock := tipline.NewFakeClock(t0)
	r := newRig(t, clock)
	r.tw.SetNow(clock.Now)
	r.sms(youthSMS, "hello")
	return r, clock
}

func TestRetryAfterIsHonouredExactly(t *testing.T) {
	t.Parallel()
	r, clock := smsRig(t)
	r.tw.FailNext(1, twiliotest.TooManyRequests(7*time.Second))
	r.runOnce()
	if _, next := r.firstOutbound(); !next.Equal(clock.Now().Add(7 * time.Second)) {
		t.Fatalf("next attempt at %v, want now+7s", next.Sub(clock.Now()))
	}
	clock.Advance(7*time.Second - time.Millisecond)
	r.runOnce()
	if n := len(r.tw.Messages()); n != 0 {
		t.Fatalf("sent %d before the retry time", n)
	}
	clock.Advance(time.Millisecond)
	r.runOnce()
	if n := len(r.tw.Messages()); n != 1 {
		t.Fatalf("sent %d at the retry time, want 1", n)
	}
}

func TestServerErrorThenSuccessSendsOnce(t *testing.T) {
	t.Parallel()
	r, _ := smsRig(t)
	r.tw.FailNext(1, twiliotest.ServerError())
	r.drain()
	want := r.count(`SELECT count(*) FROM messages WHERE direction = 'out'`)
	if n := len(r.tw.Messages()); n != want {
		t.Fatalf("provider holds %d messages for %d replies", n, want)
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'sent' AND attempts = 2`); n != 1 {
		t.Fatalf("%d rows sent on a second attempt, want 1", n)
	}
}

// crashAt makes the worker die at point for the first message it reaches.
func crashAt(w *outbox.Worker, point string) {
	fired := false
	w.Failpoint = func(p string, _ int64) error {
		if p == point && !fired {
			fired = true
			return outbox.ErrCrash
		}
		return nil
	}
}

func TestCrashAfterTwilioAcceptedIsReconciled(t *testing.T) {
	t.Parallel()
	r, clock := smsRig(t)
	crashAt(r.worker, "after_send")
	r.runOnce() // the provider took the message; the record never happened
	if n := len(r.tw.Messages()); n != 1 {
		t.Fatalf("provider holds %d", n)
	}
	restarted := r.restart()
	clock.Advance(61 * time.Second) // the dead worker's lease ends
	restarted.drain()
	want := r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status <> 'expired'`)
	if n := len(r.tw.Messages()); n != want {
		t.Fatalf("provider holds %d messages for %d replies: a duplicate or a loss", n, want)
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND unknown_outcome AND status = 'sent'`); n != 1 {
		t.Fatalf("reconciled rows = %d", n)
	}
}

func TestCrashAfterTelegramAcceptedRepeatsAtMostOnce(t *testing.T) {
	t.Parallel()
	clock := tipline.NewFakeClock(t0)
	r := newRig(t, clock)
	r.telegram(telegramtest.TextUpdate(5, 777, "hello"))
	want := r.count(`SELECT count(*) FROM messages WHERE direction = 'out'`)
	crashAt(r.worker, "after_send")
	r.runOnce()
	restarted := r.restart()
	clock.Advance(61 * time.Second)
	restarted.drain()
	if n := len(r.tg.Sent()); n != want+1 {
		t.Fatalf("sendMessage calls = %d for %d replies; want exactly one repeat", n, want)
	}
}

func TestCrashBetweenClaimAndSendLosesNothing(t *testing.T) {
	t.Parallel()
	r, clock := smsRig(t)
	crashAt(r.worker, "before_send")
	r.runOnce()
	if n := len(r.tw.Messages()); n != 0 {
		t.Fatalf("sent %d before the crash point", n)
	}
	restarted := r.restart()
	clock.Advance(61 * time.Second)
	restarted.drain()
	want := r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'sent'`)
	if n := len(r.tw.Messages()); n != want || want == 0 {
		t.Fatalf("provider holds %d for %d sent rows", n, want)
	}
}

func TestYouthReplyPastValidityIsDropped(t *testing.T) {
	t.Parallel()
	r, clock := smsRig(t)
	clock.Advance(tipline.YouthValidity + time.Second)
	r.runOnce()
	if status, _ := r.firstOutbound(); status != "expired" {
		t.Fatalf("status %q, want expired", status)
	}
	if n := len(r.tw.Messages()); n != 0 {
		t.Fatalf("expired reply was sent")
	}
}

func TestPermanentFailureIsRecordedForStaff(t *testing.T) {
	t.Parallel()
	r, _ := smsRig(t)
	r.tw.FailNext(1, twiliotest.OptedOut())
	r.runOnce()
	var status, code string
	if err := r.pool.QueryRow(context.Background(), `SELECT status, error_code FROM messages WHERE direction = 'out' ORDER BY id LIMIT 1`).Scan(&status, &code); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || code != "21610" {
		t.Fatalf("status %q code %q", status, code)
	}
	if n := r.count(`SELECT count(*) FROM contacts WHERE opted_out`); n != 1 {
		t.Fatal("carrier opt-out not recorded on the contact")
	}
}
