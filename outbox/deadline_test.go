package outbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"tipline"
	"tipline/store"
)

// TestCrisisReplyRetriesUntilItsValidityThenPagesStaff: with the provider
// answering 5xx for good, a crisis reply is tried for its whole validity
// (far more than the 20 tries it once had), then it expires, its chat is
// flagged again and staff are paged, in one transaction; an ordinary
// reply just expires.
func TestCrisisReplyRetriesUntilItsValidityThenPagesStaff(t *testing.T) {
	t.Parallel()
	pool, keys, clock, sms := pauseRig(t)
	sms.set(&tipline.SendError{Failure: tipline.SendTemporary, Code: "20500"})
	tg := &counting{ch: tipline.ChannelTelegram}
	crisisConv := queueReply(t, pool, keys, "+12025550601", "crisis", true, t0)
	queueReply(t, pool, keys, "+12025550602", "normal", false, t0)
	w := newWorker(pool, keys, clock, sms)
	w.Providers[tipline.ChannelTelegram] = tg
	for clock.Now().Before(t0.Add(tipline.YouthValidity + 15*time.Second)) {
		clock.Advance(time.Second)
		runOnce(t, w)
	}
	ctx := context.Background()
	var status string
	var attempts int
	err := pool.QueryRow(ctx, `SELECT status, attempts FROM messages WHERE conversation_id = $1 AND direction = 'out'`,
		crisisConv).Scan(&status, &attempts)
	if err != nil {
		t.Fatal(err)
	}
	if status != "expired" || attempts <= 20 {
		t.Errorf("crisis reply %s after %d tries; want expired after many more than 20", status, attempts)
	}
	var highRisk bool
	var flaggedAt *time.Time
	if err := pool.QueryRow(ctx, `SELECT high_risk, flagged_at FROM conversations WHERE id = $1`, crisisConv).
		Scan(&highRisk, &flaggedAt); err != nil {
		t.Fatal(err)
	}
	if !highRisk || flaggedAt == nil || flaggedAt.Before(t0.Add(tipline.YouthValidity-time.Second)) {
		t.Errorf("chat high risk %v, flagged at %v; want flagged when the reply missed", highRisk, flaggedAt)
	}
	var pages int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pages WHERE reason = 'undelivered'`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if pages != 1 {
		t.Errorf("%d 'undelivered' pages, want 1 (the ordinary reply pages nobody)", pages)
	}
	if _, taken := tg.counts(); taken != 1 || !strings.Contains(tg.order[0], "could not be delivered") {
		t.Errorf("staff pages sent: %q", tg.order)
	}
	if n := testutil.ToFloat64(w.Metrics.Sends.WithLabelValues("sms", "crisis_missed")); n != 1 {
		t.Errorf("crisis_missed counted %v times", n)
	}
}

// TestPageIsTriedForADayThenOnlyCounted: a staff page whose provider
// keeps failing is retried for 24 hours; then it fails, counted and
// logged, and pages nobody about itself.
func TestPageIsTriedForADayThenOnlyCounted(t *testing.T) {
	t.Parallel()
	pool, keys, clock, _ := pauseRig(t)
	tg := &counting{ch: tipline.ChannelTelegram}
	tg.set(&tipline.SendError{Failure: tipline.SendRetryAfter, RetryAfter: 30 * time.Second, Code: "429"})
	ctx := context.Background()
	id := queuePage(t, pool)
	w := newWorker(pool, keys, clock, tg)
	delete(w.Providers, tipline.ChannelSMS)
	w.Providers[tipline.ChannelTelegram] = tg
	var status, code string
	for step := time.Duration(0); step < 25*time.Hour; step += 10 * time.Minute {
		clock.Advance(10 * time.Minute)
		runOnce(t, w)
		if err := pool.QueryRow(ctx, `SELECT status, error_code FROM messages WHERE id = $1`, id).Scan(&status, &code); err != nil {
			t.Fatal(err)
		}
		if status != "queued" && clock.Now().Before(t0.Add(23*time.Hour)) {
			t.Fatalf("page %s (%s) after %v, want retried for a day", status, code, clock.Now().Sub(t0))
		}
	}
	if status != "failed" {
		t.Errorf("page %s after a day, want failed", status)
	}
	var pages int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pages`).Scan(&pages); err != nil || pages != 1 {
		t.Errorf("%d pages recorded; want only the one paged, none about the missed page, %v", pages, err)
	}
	if n := testutil.ToFloat64(w.Metrics.Sends.WithLabelValues("telegram", "page_missed")); n != 1 {
		t.Errorf("page_missed counted %v times", n)
	}
}

// queuePage records an unacknowledged page and queues its message to the
// Telegram staff chat, as the turn does.
func queuePage(t *testing.T, pool *store.Pool) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO pages (reason, created_at) VALUES ('danger:selfharm', $1)`, t0); err != nil {
		t.Fatal(err)
	}
	id, err := store.QueuePageMessage(ctx, pool, "telegram", tipline.ChannelTelegram, "page:danger",
		tipline.Reply{Text: "page"}, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPageIsRetriedUntilAcknowledged: a page that cannot be delivered is
// retried until staff acknowledge it on the dashboard; then it ends.
func TestPageIsRetriedUntilAcknowledged(t *testing.T) {
	t.Parallel()
	pool, keys, clock, _ := pauseRig(t)
	tg := &counting{ch: tipline.ChannelTelegram}
	tg.set(&tipline.SendError{Failure: tipline.SendTemporary, Code: "502"})
	id := queuePage(t, pool)
	w := newWorker(pool, keys, clock, tg)
	w.Providers = map[tipline.Channel]tipline.Provider{tipline.ChannelTelegram: tg}
	ctx := context.Background()
	status := func() (s, code string) {
		if err := pool.QueryRow(ctx, `SELECT status, error_code FROM messages WHERE id = $1`, id).Scan(&s, &code); err != nil {
			t.Fatal(err)
		}
		return s, code
	}
	for range 3 {
		clock.Advance(10 * time.Second)
		runOnce(t, w)
	}
	if s, _ := status(); s != "queued" {
		t.Fatalf("page %s while unacknowledged, want queued", s)
	}
	if _, err := pool.Exec(ctx, `UPDATE pages SET acked_at = $1`, clock.Now()); err != nil {
		t.Fatal(err)
	}
	refused, _ := tg.counts()
	clock.Advance(10 * time.Second)
	runOnce(t, w)
	if s, code := status(); s != "expired" || code != "acknowledged" {
		t.Errorf("page %s (%s) after its acknowledgement, want expired (acknowledged)", s, code)
	}
	if after, _ := tg.counts(); after != refused {
		t.Errorf("the provider was called %d more times after the acknowledgement", after-refused)
	}
}
