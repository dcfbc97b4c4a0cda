package bot_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/staffreply"
	"tipline/store"
	"tipline/twilio"
)

// TestUrgentReportPagesOnce: 911 first, one page row, one page delivered,
// with a link and neither text nor identifier.
func TestUrgentReportPagesOnce(t *testing.T) {
	r := newSGRig(t)
	const from = "+12025550200"
	r.sms(from, "SEEN 2026-0142")
	r.sms(from, "1")
	got := r.smsTo(from)
	if !strings.HasPrefix(got[len(got)-2], "Call 911 now") {
		t.Errorf("the first answer to yes is not 911: %q", got[len(got)-2:])
	}
	for _, text := range []string{"1", "Gas station on Route 1, Linden", "A man is pulling her into a truck", "1", "1", "1", "1"} {
		r.sms(from, text)
	}
	code := tipCode(t, r.smsTo(from))
	x := r.tip(code)
	if !x.Urgent || x.Incomplete {
		t.Errorf("tip %+v", x)
	}
	if n := r.count(`SELECT count(*) FROM pages WHERE tip_id = $1 AND reason = 'urgent_tip'`, x.ID); n != 1 ||
		r.count(`SELECT count(*) FROM pages`) != 1 {
		t.Errorf("%d pages for the tip, %d in all; want exactly 1", n, r.count(`SELECT count(*) FROM pages`))
	}
	pages := r.tgTo(sgStaffChat)
	if len(pages) != 1 {
		t.Fatalf("staff group got %d pages, want 1: %q", len(pages), pages)
	}
	want := fmt.Sprintf("https://tipline.example.org/staff/tips/%d", x.ID)
	if !strings.Contains(pages[0], want) || strings.Contains(pages[0], "truck") || strings.Contains(pages[0], "5550200") {
		t.Errorf("page %q: want a link to %s and no text or identifier", pages[0], want)
	}
}

// TestUrgentBurstSummarised: 100 urgent reports in a minute reach the staff
// group as a few pages and summaries, within Telegram's group limit.
func TestUrgentBurstSummarised(t *testing.T) {
	r := newSGRig(t)
	ctx := context.Background()
	send := func(from, text string) {
		r.clock.Advance(300 * time.Millisecond)
		if err := r.bot.Handle(ctx, mustSMS(t, r, from, text)); err != nil {
			t.Fatal(err)
		}
	}
	start := r.clock.Now()
	for i := 0; i < 100; i++ {
		from := fmt.Sprintf("+1202555%04d", 3000+i)
		send(from, "SEEN 2026-0142")
		send(from, "1")
	}
	if r.clock.Now().Sub(start) > time.Minute {
		t.Fatalf("the burst took %v", r.clock.Now().Sub(start))
	}
	if n := r.count(`SELECT count(*) FROM pages WHERE reason = 'urgent_tip' AND tip_id IS NOT NULL`); n != 100 {
		t.Errorf("%d page records, want one per urgent tip", n)
	}
	for i := 0; i < 400 && r.count(`SELECT count(*) FROM messages WHERE kind = 'page' AND status <> 'sent'`) > 0; i++ {
		if _, err := r.worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		r.clock.Advance(time.Second)
	}
	texts := r.tgTo(sgStaffChat)
	sent := r.pageTimes()
	if len(texts) != len(sent) || len(texts) > 20 {
		t.Fatalf("staff group got %d messages (%d recorded)", len(texts), len(sent))
	}
	for i := range sent {
		in := 0
		for _, s := range sent {
			if !s.Before(sent[i]) && s.Sub(sent[i]) < time.Minute {
				in++
			}
		}
		if in > 20 {
			t.Errorf("%d pages within a minute of %v: over Telegram's group limit", in, sent[i])
		}
	}
	if total := pageTotal(t, texts); total != 100 {
		t.Errorf("pages and summaries stand for %d tips, want 100:\n%s", total, strings.Join(texts, "\n"))
	}
}

var summaryRE = regexp.MustCompile(`(\d+) more urgent alert`)

// pageTotal counts the pages the texts stand for: one each, or a
// summary's number.
func pageTotal(t *testing.T, texts []string) int {
	t.Helper()
	total := 0
	for _, s := range texts {
		if m := summaryRE.FindStringSubmatch(s); m != nil {
			n, _ := strconv.Atoi(m[1])
			total += n
		} else {
			total++
		}
		if strings.Contains(s, "+1202") {
			t.Errorf("a page holds an identifier: %q", s)
		}
	}
	return total
}

func (r *sgRig) pageTimes() []time.Time {
	r.t.Helper()
	rows, err := r.pool.Query(context.Background(), `SELECT sent_at FROM messages WHERE kind = 'page' AND status = 'sent' ORDER BY sent_at`)
	if err != nil {
		r.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

func mustSMS(t *testing.T, r *sgRig, from, text string) tipline.Inbound {
	t.Helper()
	in, err := twilio.ParseInbound(r.tw.InboundForm(from, text), r.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// staffMember adds a reviewer and returns their id.
func (r *sgRig) staffMember() int64 {
	r.t.Helper()
	var id int64
	if err := r.pool.QueryRow(context.Background(), `INSERT INTO staff (email, password_hash, role)
		VALUES ('reviewer@example.org', 'x', 'reviewer') RETURNING id`).Scan(&id); err != nil {
		r.t.Fatal(err)
	}
	return id
}

// reply queues a staff reply in its own transaction.
func (r *sgRig) reply(tipID, staffID int64, text string) error {
	return store.InTx(context.Background(), r.pool, func(tx pgx.Tx) error {
		_, err := staffreply.ToTip(context.Background(), tx, tipID, staffID, text, r.clock.Now())
		return err
	})
}

// TestStaffReplyReachesTheRightTipster: a staff reply goes to the tipster
// of the tip only, and their answer lands on the tip.
func TestStaffReplyReachesTheRightTipster(t *testing.T) {
	r := newSGRig(t)
	const chat, other = 7700112250, "+12025550251"
	r.tgText(chat, "SEEN 2026-0142")
	for _, v := range []string{"rpt:no", "rpt:now", "rpt:skip", "rpt:skip", "rpt:nophoto", "rpt:yes", "rpt:skip", "rpt:confirm"} {
		r.tgPress(chat, v)
	}
	for _, text := range []string{"SEEN 2026-0142", "2", "1", "1", "1", "1", "1", "1", "1"} {
		r.sms(other, text)
	}
	x := r.tip(tipCode(t, r.tgTo(fmt.Sprint(chat))))
	staff := r.staffMember()
	smsBefore := len(r.smsTo(other))
	if err := r.reply(x.ID, staff, "Thank you. What colour was the van?"); err != nil {
		t.Fatal(err)
	}
	r.drain()
	got := r.tgTo(fmt.Sprint(chat))
	last := got[len(got)-1]
	code := tipCode(t, got)
	if !strings.Contains(last, "What colour was the van?") || !strings.Contains(last, code) || strings.Contains(last, "reviewer") {
		t.Errorf("reply as delivered: %q", last)
	}
	if len(r.smsTo(other)) != smsBefore {
		t.Error("the reply reached another tipster")
	}
	r.tgText(chat, "It was grey, a minivan")
	var body string
	if err := r.pool.QueryRow(context.Background(), `SELECT body FROM tip_updates WHERE tip_id = $1 AND source = 'tipster'`,
		x.ID).Scan(&body); err != nil || body != "It was grey, a minivan" {
		t.Errorf("the answer did not land on the tip: %q %v", body, err)
	}
	if r.count(`SELECT count(*) FROM tip_updates WHERE tip_id = $1 AND source = 'staff' AND staff_id = $2`, x.ID, staff) != 1 {
		t.Error("the staff reply is not kept on the tip")
	}
}

// TestNoFollowUpCannotBeWritten: no follow-up, or a dropped identifier,
// refuses the reply with a clear error and queues nothing.
func TestNoFollowUpCannotBeWritten(t *testing.T) {
	r := newSGRig(t)
	const from, dropped = "+12025550260", "+12025550261"
	for _, text := range []string{"SEEN 2026-0142", "2", "1", "1", "1", "1", "2", "1"} {
		r.sms(from, text)
	}
	for _, text := range []string{"SEEN 2026-0142", "2", "1", "1", "1", "1", "1", "1", "1"} {
		r.sms(dropped, text)
	}
	staff := r.staffMember()
	x := r.tip(tipCode(t, r.smsTo(from)))
	if x.MayContact {
		t.Fatal("no follow-up was not recorded")
	}
	if err := r.reply(x.ID, staff, "Hello?"); !errors.Is(err, store.ErrNoFollowUp) {
		t.Errorf("reply to a no-follow-up tipster: %v", err)
	}
	y := r.tip(tipCode(t, r.smsTo(dropped)))
	if _, err := r.pool.Exec(context.Background(), `UPDATE contacts SET id_sealed = NULL WHERE id = $1`, y.ContactID); err != nil {
		t.Fatal(err)
	}
	if err := r.reply(y.ID, staff, "Hello?"); !errors.Is(err, store.ErrNoReplyID) {
		t.Errorf("reply after the identifier was dropped: %v", err)
	}
	if r.count(`SELECT count(*) FROM messages WHERE kind = 'staff'`) != 0 || r.count(`SELECT count(*) FROM tip_updates`) != 0 {
		t.Error("a refused reply left a message or an update")
	}
}

// TestFloodingSenderSlowedAndToldOnce: a flood is kept, answered up to the
// limit, told once, never starves another sender, and danger still answers.
func TestFloodingSenderSlowedAndToldOnce(t *testing.T) {
	r := newSGRig(t)
	r.bot.Flood.PerMinute, r.bot.Flood.Burst = 6, 3
	const flood, calm = "+12025550190", "+12025550191"
	for i := 0; i < 10; i++ {
		in, err := twilio.ParseInbound(r.tw.InboundForm(flood, fmt.Sprint("msg ", i)), r.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := r.bot.Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	r.sms(calm, "hi")
	got := r.smsTo(flood)
	slow := 0
	for _, g := range got {
		if strings.Contains(g, "sending messages very fast") {
			slow++
		}
	}
	if len(got) != 4 || slow != 1 {
		t.Errorf("flooder got %d replies (%d slow notices), want 3 answers and 1 notice: %q", len(got), slow, got)
	}
	if r.count(`SELECT count(*) FROM messages WHERE direction = 'in'`) != 11 {
		t.Error("every message is kept")
	}
	if len(r.smsTo(calm)) != 1 {
		t.Error("another sender is not answered")
	}
	in, _ := twilio.ParseInbound(r.tw.InboundForm(flood, "he is going to kill me"), r.clock.Now())
	if err := r.bot.Handle(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	r.drain()
	if last := r.smsTo(flood); !strings.Contains(last[len(last)-1], "911") {
		t.Errorf("a danger hit is answered even when slowed: %q", last[len(last)-1])
	}
}

// TestSimulatedReportMarkedAndSilent: a simulator report is a tip marked
// simulated, and pages nobody.
func TestSimulatedReportMarkedAndSilent(t *testing.T) {
	r := newSGRig(t)
	for i, text := range []string{"SEEN 2026-0142", "1", "1", "1", "1", "1", "1", "1", "1"} {
		r.handle(tipline.Inbound{Channel: tipline.ChannelSim, ProviderID: fmt.Sprint("sim-", i), SenderID: "sim-trainee-1",
			Text: text, Simulated: true, ReceivedAt: r.clock.Now()})
	}
	if r.count(`SELECT count(*) FROM tips WHERE simulated AND urgent AND NOT incomplete`) != 1 {
		t.Error("the simulated urgent tip is not stored marked simulated")
	}
	if r.count(`SELECT count(*) FROM pages`) != 0 || len(r.tgTo(sgStaffChat)) != 0 {
		t.Error("a simulated report paged staff")
	}
}
