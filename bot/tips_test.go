package bot_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/seal"
	"tipline/sim"
	"tipline/store"
	"tipline/telegram"
	"tipline/telegram/telegramtest"
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// sgT0 is 2 PM in New York on a Saturday (EDT, UTC-4).
var sgT0 = time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)

const sgStaffChat = "-1001234567890"

// sgRig is the real Bot and delivery worker on a fresh database, with
// fake Telegram and Twilio APIs and a fake clock, for the sightings tests.
type sgRig struct {
	t      *testing.T
	pool   *pgxpool.Pool
	keys   *seal.Keys
	clock  *tipline.FakeClock
	bot    *bot.Bot
	worker *outbox.Worker
	tg     *telegramtest.Server
	tw     *twiliotest.Server
	cases  map[string]store.Case // by number
	seq    int64
	turnAt time.Time // when the last message was handled
}

func newSGRig(t *testing.T) *sgRig {
	t.Helper()
	r := &sgRig{t: t, pool: testdb.New(t), clock: tipline.NewFakeClock(sgT0), tg: telegramtest.New(t), tw: twiliotest.New()}
	t.Cleanup(r.tw.Close)
	var err error
	if r.keys, err = seal.ParseKeys(seal.GenerateKey(), nil); err != nil {
		t.Fatal(err)
	}
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	r.bot = bot.New(r.pool, r.keys, &flows.Engine{Dir: directory.New(rs), TZ: ny, Timeout: 30 * time.Minute}, r.clock, nil)
	tgc, err := telegram.New(telegram.Config{Token: r.tg.Token, APIURL: r.tg.URL})
	if err != nil {
		t.Fatal(err)
	}
	twc, err := twilio.NewClient(twilio.ClientConfig{AccountSID: r.tw.AccountSID, AuthToken: r.tw.AuthToken,
		From: twiliotest.Number, APIURL: r.tw.URL})
	if err != nil {
		t.Fatal(err)
	}
	r.bot.Pager.Targets, r.bot.Pager.DashboardURL = []string{"telegram"}, "https://tipline.example.org"
	providers := map[tipline.Channel]tipline.Provider{tipline.ChannelTelegram: &telegram.Provider{Client: tgc, BotRate: 1000},
		tipline.ChannelSMS: &twilio.Provider{Client: twc, MPS: 1000}, tipline.ChannelSim: sim.Provider{}}
	r.bot.Providers = providers
	r.bot.Sightings.CasesTTL = -1
	r.worker = &outbox.Worker{Pool: r.pool, Keys: r.keys, Clock: r.clock, Pages: map[string]string{"telegram": sgStaffChat},
		Providers: providers}
	r.addCases()
	return r
}

// addCases publishes the test cases: one public active, one more public
// active, one private, one closed.
func (r *sgRig) addCases() {
	r.cases = map[string]store.Case{}
	for _, c := range []store.Case{
		{Number: "2026-0142", DisplayName: "Maria Lopez", Public: true},
		{Number: "2026-0157", DisplayName: "Jayden Brooks", Public: true},
		{Number: "2026-0160", DisplayName: "Private Child", Public: false},
		{Number: "2025-0031", DisplayName: "Closed Case", Public: true, Status: "closed"},
	} {
		out, err := store.CreateCase(context.Background(), r.pool, c)
		if err != nil {
			r.t.Fatal(err)
		}
		r.cases[c.Number] = out
	}
}

// sms delivers an inbound SMS (or MMS, with media URLs from tw.AddMedia)
// as Twilio posts it, then delivers the replies.
func (r *sgRig) sms(from, text string, mediaURLs ...string) {
	r.t.Helper()
	in, err := twilio.ParseInbound(r.tw.InboundForm(from, text, mediaURLs...), r.clock.Now())
	if err != nil {
		r.t.Fatal(err)
	}
	r.handle(in)
}

// tgText, tgPress and tgRaw deliver Telegram updates from chat.
func (r *sgRig) tgText(chat int64, text string) {
	r.t.Helper()
	r.tgRaw(telegramtest.TextUpdate(r.nextID(), chat, text))
}

func (r *sgRig) tgPress(chat int64, data string) {
	r.t.Helper()
	id := r.nextID()
	r.tgRaw(telegramtest.CallbackUpdate(id, chat, fmt.Sprint("cb", id), data, 1))
}

func (r *sgRig) tgRaw(body string) {
	r.t.Helper()
	in, ok, err := telegram.Parse([]byte(body))
	if err != nil || !ok {
		r.t.Fatalf("update not parsed: %v %v", ok, err)
	}
	in.ReceivedAt = r.clock.Now()
	r.handle(in)
}

func (r *sgRig) nextID() int64 {
	r.seq++
	return 5000 + r.seq
}

func (r *sgRig) handle(in tipline.Inbound) {
	r.t.Helper()
	r.clock.Advance(2 * time.Second)
	r.turnAt = r.clock.Now()
	if err := r.bot.Handle(context.Background(), in); err != nil {
		r.t.Fatal(err)
	}
	r.drain()
}

// drain delivers what is due, moving the clock on a second per round.
func (r *sgRig) drain() {
	r.t.Helper()
	for i := 0; i < 60; i++ {
		if r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')
			AND next_attempt_at <= $1`, r.clock.Now()) == 0 {
			return
		}
		if _, err := r.worker.RunOnce(context.Background()); err != nil {
			r.t.Fatal(err)
		}
		r.clock.Advance(time.Second)
	}
	r.t.Fatal("outbound queue did not drain")
}

func (r *sgRig) count(sql string, args ...any) int {
	r.t.Helper()
	var n int
	if err := r.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		r.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// smsTo and tgTo are the texts the fakes received for a recipient.
func (r *sgRig) smsTo(to string) []string {
	var out []string
	for _, c := range r.tw.Creates() {
		if c.To == to {
			out = append(out, c.Body)
		}
	}
	return out
}

func (r *sgRig) tgTo(chat string) []string {
	var out []string
	for _, c := range r.tg.Sent() {
		if fmt.Sprint(c.ChatID()) == chat {
			out = append(out, c.Text())
		}
	}
	return out
}

var tipIDRE = regexp.MustCompile(`tip ID is ([2-9A-Z]{8})`)

// tipCode finds the tip ID the tipster was given.
func tipCode(t *testing.T, texts []string) string {
	t.Helper()
	for i := len(texts) - 1; i >= 0; i-- {
		if m := tipIDRE.FindStringSubmatch(texts[i]); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no tip ID in %q", texts)
	return ""
}

// sgTip is a tips row as the tests compare it.
type sgTip struct {
	ID                                   int64
	CaseID                               *int64
	CaseText, SeenText, Place, Desc      string
	Channel, Alias, Lang, Status         string
	Urgent, Incomplete, MayContact, Simu bool
	SeenAt, SubmittedAt, AbandonedAt     *time.Time
	Lat, Lon                             *float64
	ContactSealed                        []byte
	ContactID, ConversationID            *int64
}

func (r *sgRig) tip(code string) sgTip {
	r.t.Helper()
	var x sgTip
	err := r.pool.QueryRow(context.Background(), `SELECT id, case_id, case_text, seen_text, place_text, description,
		channel, reporter_alias, lang, status, urgent, incomplete, may_contact, simulated, seen_at, submitted_at,
		abandoned_at, lat, lon, contact_sealed, contact_id, conversation_id FROM tips WHERE code = $1`, code).Scan(
		&x.ID, &x.CaseID, &x.CaseText, &x.SeenText, &x.Place, &x.Desc, &x.Channel, &x.Alias, &x.Lang, &x.Status,
		&x.Urgent, &x.Incomplete, &x.MayContact, &x.Simu, &x.SeenAt, &x.SubmittedAt, &x.AbandonedAt, &x.Lat, &x.Lon,
		&x.ContactSealed, &x.ContactID, &x.ConversationID)
	if err != nil {
		r.t.Fatalf("tip %s: %v", code, err)
	}
	return x
}

// contactOf opens a tip's sealed contact details.
func (r *sgRig) contactOf(x sgTip) string {
	r.t.Helper()
	if x.ContactSealed == nil {
		return ""
	}
	b, err := r.keys.Open(x.ContactSealed, "tip-contact")
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

func eqTime(a *time.Time, b time.Time) bool { return a != nil && a.Equal(b) }

// TestSMSReportStoredExactly runs a full SMS report through the real bot and
// checks every field of the stored tip, and that no identifier is in clear.
func TestSMSReportStoredExactly(t *testing.T) {
	r := newSGRig(t)
	const from = "+12025550147"
	for _, text := range []string{"SEEN 2026-0142", "2", "today at 1pm", "Bus depot, 5th Ave and Main St, Springfield",
		"Girl in a red hoodie with an older man, grey van heading north", "1", "1", "Sam, evenings only", "1"} {
		r.sms(from, text)
	}
	submitted := r.turnAt
	code := tipCode(t, r.smsTo(from))
	x := r.tip(code)
	var alias string
	if err := r.pool.QueryRow(context.Background(), `SELECT alias FROM contacts WHERE id = $1`, x.ContactID).Scan(&alias); err != nil {
		t.Fatal(err)
	}
	want := r.cases["2026-0142"].ID
	switch {
	case x.CaseID == nil || *x.CaseID != want, x.CaseText != "":
		t.Errorf("case %v %q", x.CaseID, x.CaseText)
	case !eqTime(x.SeenAt, time.Date(2026, 3, 14, 17, 0, 0, 0, time.UTC)) || x.SeenText != "today at 1pm":
		t.Errorf("seen %v %q", x.SeenAt, x.SeenText)
	case x.Place != "Bus depot, 5th Ave and Main St, Springfield" || x.Lat != nil || x.Lon != nil:
		t.Errorf("place %q %v %v", x.Place, x.Lat, x.Lon)
	case x.Desc != "Girl in a red hoodie with an older man, grey van heading north":
		t.Errorf("description %q", x.Desc)
	case !x.MayContact || r.contactOf(x) != "Sam, evenings only":
		t.Errorf("may contact %v, contact %q", x.MayContact, r.contactOf(x))
	case x.Urgent || x.Incomplete || x.Simu || x.Channel != "sms" || x.Lang != "en" || x.Status != "new":
		t.Errorf("flags %+v", x)
	case x.Alias == "" || x.Alias != alias || !strings.HasPrefix(alias, "R-"):
		t.Errorf("alias %q, contact alias %q", x.Alias, alias)
	case !eqTime(x.SubmittedAt, submitted) || x.AbandonedAt != nil:
		t.Errorf("submitted %v, abandoned %v; want submitted %v", x.SubmittedAt, x.AbandonedAt, submitted)
	}
	if r.count(`SELECT count(*) FROM pages`) != 0 {
		t.Error("a report not in danger pages nobody")
	}
	r.assertNoIdentifier("grey van heading north", from, strings.TrimPrefix(from, "+1"), strings.TrimPrefix(from, "+"))
	if cols := r.hits("Sam, evenings"); len(cols) > 0 {
		t.Errorf("contact details stored in clear in %v", cols)
	}
}

// TestUnknownPrivateClosedCasesAnswerAlike: docs/design.md rule 12 on both channels.
func TestUnknownPrivateClosedCasesAnswerAlike(t *testing.T) {
	r := newSGRig(t)
	var answers []string
	for i, number := range []string{"2026-9999", "2026-0160", "2025-0031"} {
		from := fmt.Sprintf("+1202555016%d", i)
		r.sms(from, "SEEN "+number)
		answers = append(answers, strings.Join(r.smsTo(from), "\n"))
		chat := int64(7700112240 + i)
		r.tgText(chat, "SEEN "+number)
		answers = append(answers, strings.Join(r.tgTo(fmt.Sprint(chat)), "\n"))
	}
	for i := 2; i < len(answers); i++ {
		if answers[i] != answers[i%2] {
			t.Errorf("answer %d differs:\n%s\n---\n%s", i, answers[i], answers[i%2])
		}
	}
	if !strings.Contains(answers[0], "could not find an open case") {
		t.Errorf("answer: %s", answers[0])
	}
}

// TestAddAndStatusOnlyForOwnTips: ADD and STATUS work for the tip's sender
// only; anyone else gets the refusal an unknown ID gets.
func TestAddAndStatusOnlyForOwnTips(t *testing.T) {
	r := newSGRig(t)
	const owner, other = "+12025550170", "+12025550171"
	for _, text := range []string{"SEEN 2026-0142", "2", "1", "1", "1", "1", "2", "1"} {
		r.sms(owner, text)
	}
	code := tipCode(t, r.smsTo(owner))
	x := r.tip(code)
	if x.MayContact || x.Incomplete {
		t.Fatalf("tip %+v", x)
	}
	r.sms(other, "ADD "+code)
	r.sms(other, "ADD QQQQ2222")
	r.sms(other, "STATUS "+code)
	r.sms(other, "STATUS QQQQ2222")
	got := r.smsTo(other)
	for _, g := range got[1:] {
		if g != got[0] {
			t.Errorf("refusals differ: %q vs %q", g, got[0])
		}
	}
	r.sms(owner, "STATUS "+strings.ToLower(code))
	if last := r.smsTo(owner); !strings.Contains(last[len(last)-1], "received") {
		t.Errorf("status: %q", last[len(last)-1])
	}
	r.sms(owner, "ADD "+code)
	r.sms(owner, "The van came back at 6, plate starts with K")
	var body, source string
	if err := r.pool.QueryRow(context.Background(), `SELECT body, source FROM tip_updates WHERE tip_id = $1`, x.ID).Scan(&body, &source); err != nil {
		t.Fatal(err)
	}
	if body != "The van came back at 6, plate starts with K" || source != "tipster" {
		t.Errorf("update %q %q", body, source)
	}
	if r.count(`SELECT count(*) FROM tip_updates`) != 1 {
		t.Error("the other sender's messages reached the tip")
	}
	r.sms(owner, "", r.tw.AddMedia("", "image/jpeg", sgJPEG(t)))
	if r.count(`SELECT count(*) FROM tip_updates WHERE tip_id = $1 AND media_count = 1`, x.ID) != 1 ||
		r.count(`SELECT count(*) FROM tip_media WHERE tip_id = $1`, x.ID) != 1 {
		t.Error("a photo added later is not on the tip")
	}
}

// TestDiscardAbandonAndCancel: discarding deletes the draft; CANCEL on SMS
// opts out silently and keeps the draft as an incomplete tip, as silence does.
func TestDiscardAbandonAndCancel(t *testing.T) {
	r := newSGRig(t)
	ctx := context.Background()
	const a, b, c = "+12025550180", "+12025550181", "+12025550182"
	for _, text := range []string{"SEEN 2026-0142", "2", "1", "1", "1", "1", "1", "1", "discard"} {
		r.sms(a, text)
	}
	if n := r.count(`SELECT count(*) FROM tips`); n != 0 {
		t.Errorf("%d tips after discard", n)
	}
	r.sms(b, "SEEN 2026-0157")
	r.sms(b, "2")
	r.sms(c, "SEEN 2026-0142")
	r.sms(c, "CANCEL")
	if n := len(r.smsTo(c)); n != 2 {
		t.Errorf("CANCEL on SMS must send nothing (carrier confirms); sent %d in all", n)
	}
	if r.count(`SELECT count(*) FROM contacts WHERE opted_out`) != 1 {
		t.Error("CANCEL did not opt out")
	}
	if r.count(`SELECT count(*) FROM tips WHERE incomplete AND abandoned_at IS NOT NULL AND submitted_at IS NOT NULL`) != 1 {
		t.Error("the cancelled draft is not kept as an incomplete tip")
	}
	r.clock.Advance(31 * time.Minute)
	if err := r.bot.SightingsJanitorOnce(ctx, 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	if r.count(`SELECT count(*) FROM tips WHERE incomplete AND abandoned_at IS NOT NULL AND submitted_at IS NOT NULL`) != 2 {
		t.Error("the silent draft did not become an incomplete tip")
	}
	r.sms(b, "hi") // back after the timeout: the engine abandons it again, harmlessly
	if r.count(`SELECT count(*) FROM tips WHERE incomplete`) != 2 {
		t.Error("incomplete tips changed")
	}
}
