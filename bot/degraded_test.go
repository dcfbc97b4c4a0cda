package bot_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/seal"
	"tipline/spool"
	"tipline/testdb"
)

const dangerText = "i want to kill myself tonight"

func testEngine(t *testing.T) *flows.Engine {
	t.Helper()
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
}

// deadPool is a pool on a loopback port nobody listens on: every acquire
// is refused, as while PostgreSQL is stopped.
func deadPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	pool, err := pgxpool.New(context.Background(), fmt.Sprintf("postgres://nobody@%s/none?connect_timeout=2&sslmode=disable", addr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func sms(id, text string) tipline.Inbound {
	return tipline.Inbound{Channel: tipline.ChannelSMS, ProviderID: id, SenderID: "+12125550142", Text: text,
		Country: "US", ReceivedAt: time.Now()}
}

func TestUnreachable(t *testing.T) {
	keys, _ := seal.ParseKeys(seal.GenerateKey(), nil)
	down := bot.New(deadPool(t), keys, testEngine(t), nil, nil)
	err := down.Handle(context.Background(), sms("SMu1", "hello"))
	if err == nil || !bot.Unreachable(err) {
		t.Fatalf("refused connection: %v, unreachable %v", err, bot.Unreachable(err))
	}
	for _, e := range []error{
		&pgconn.PgError{Code: "23505"}, // a turn's own failure
		tipline.Errorf(tipline.EInvalid, "bad"),
		context.Canceled,
		fmt.Errorf("wrapped: %w", context.DeadlineExceeded),
	} {
		if bot.Unreachable(e) {
			t.Errorf("%v read as the database unreachable", e)
		}
	}
	for _, e := range []error{&pgconn.PgError{Code: "57P01"}, &pgconn.PgError{Code: "08006"}} {
		if !bot.Unreachable(fmt.Errorf("bot: %w", e)) {
			t.Errorf("%v not read as the database unreachable", e)
		}
	}
}

// While the database is down, a danger message is answered at once and
// kept with the mark, other messages are kept and not answered; when it
// returns, the replay stores each once, records the inline answer as sent
// (no second 911 queued) and answers the others.
func TestDegradedAnswerAndReplay(t *testing.T) {
	ctx := context.Background()
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := spool.Open(t.TempDir(), keys, 0)
	if err != nil {
		t.Fatal(err)
	}
	downBot := bot.New(deadPool(t), keys, testEngine(t), nil, nil)
	down := bot.NewDegraded(downBot, sp, nil)
	danger, plain := sms("SMdanger1", dangerText), sms("SMplain1", "hello")
	for _, in := range []tipline.Inbound{danger, plain, danger} { // the danger one twice: a provider's retry
		got := down.Answer(ctx, in, downBot.Handle(ctx, in))
		if in.Text == dangerText && (len(got) != 1 || !strings.Contains(got[0].Text, "911")) {
			t.Fatalf("danger while down: %v", got)
		}
		if in.Text != dangerText && len(got) != 0 {
			t.Fatalf("ordinary message answered while down: %v", got)
		}
	}
	if names, _ := sp.Pending(); len(names) != 2 {
		t.Fatalf("kept %d entries, want 2", len(names))
	}
	if got := down.Answer(ctx, plain, tipline.Errorf(tipline.EInvalid, "x")); got != nil {
		t.Fatalf("answered on an error of the turn: %v", got)
	}

	pool := testdb.New(t)
	up := bot.NewDegraded(bot.New(pool, keys, testEngine(t), nil, nil), sp, nil)
	n, err := up.Replay(ctx)
	if err != nil || n != 2 {
		t.Fatalf("replayed %d, %v", n, err)
	}
	if names, _ := sp.Pending(); len(names) != 0 {
		t.Fatalf("%d entries left after replay", len(names))
	}
	checkReplayed(t, pool)
	// Kept again (a late retry of the provider) and replayed: nothing changes.
	if _, _, err := sp.Put(spool.Entry{Inbound: danger, Inline: &tipline.Reply{Text: "x"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := up.Replay(ctx); err != nil || n != 1 {
		t.Fatalf("second replay %d, %v", n, err)
	}
	checkReplayed(t, pool)
}

func checkReplayed(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	var in, sent, queued911, queuedPlain, risk int
	err := pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM messages WHERE direction = 'in' AND provider_id IN ('SMdanger1', 'SMplain1')),
		(SELECT count(*) FROM messages WHERE direction = 'out' AND kind = 'bot' AND status = 'sent' AND body LIKE '%911%'),
		(SELECT count(*) FROM messages WHERE direction = 'out' AND kind = 'bot' AND status = 'queued' AND body LIKE '%911%'),
		(SELECT count(*) FROM messages WHERE direction = 'out' AND kind = 'bot' AND status = 'queued'),
		(SELECT count(*) FROM message_risk r JOIN messages m ON m.id = r.message_id WHERE m.provider_id = 'SMdanger1' AND r.level = 'danger')`).
		Scan(&in, &sent, &queued911, &queuedPlain, &risk)
	if err != nil {
		t.Fatal(err)
	}
	if in != 2 || sent != 1 || queued911 != 0 || risk != 1 {
		t.Errorf("stored %d inbound (want 2), %d inline answers recorded sent (want 1), %d answers with 911 still queued (want 0), %d danger records (want 1)",
			in, sent, queued911, risk)
	}
	if queuedPlain == 0 {
		t.Errorf("the ordinary message got no reply queued")
	}
	var pages int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE kind = 'page'`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	t.Logf("pages queued: %d", pages)
}

// Without a spool (SPOOL_DIR unset) a danger hit is still answered, and
// every message that could not be kept is counted as lost.
func TestDegradedWithoutSpool(t *testing.T) {
	ctx := context.Background()
	keys, _ := seal.ParseKeys(seal.GenerateKey(), nil)
	reg := prometheus.NewRegistry()
	downBot := bot.New(deadPool(t), keys, testEngine(t), nil, nil)
	down := bot.NewDegraded(downBot, nil, reg)
	danger, plain := sms("SMnospool1", dangerText), sms("SMnospool2", "hello")
	if got := down.Answer(ctx, danger, downBot.Handle(ctx, danger)); len(got) != 1 || !strings.Contains(got[0].Text, "911") {
		t.Fatalf("danger without a spool: %v", got)
	}
	if got := down.Answer(ctx, plain, downBot.Handle(ctx, plain)); len(got) != 0 {
		t.Fatalf("ordinary message answered: %v", got)
	}
	lost := map[string]float64{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "tipline_spool_lost_total" {
			for _, m := range mf.GetMetric() {
				lost[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
			}
		}
	}
	if lost["answered_not_kept"] != 1 || lost["not_kept"] != 1 {
		t.Fatalf("lost counted %v, want one of each", lost)
	}
	if n, err := down.Replay(ctx); n != 0 || err != nil {
		t.Fatalf("replay without a spool: %d %v", n, err)
	}
}
