package twilio_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	"tipline/store"
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// waRig is one Tipline instance with the WhatsApp channel on a real
// database, Twilio faked on loopback, and a fake clock.
type waRig struct {
	t      *testing.T
	pool   *pgxpool.Pool
	clock  *tipline.FakeClock
	tw     *twiliotest.Server
	wa     *twilio.WhatsAppProvider
	worker *outbox.Worker
	srv    *httptest.Server
}

func newWARig(t *testing.T) *waRig {
	t.Helper()
	pool := testdb.New(t)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	clock := tipline.NewFakeClock(time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC))
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	tw.SetNow(clock.Now)
	r := &waRig{t: t, pool: pool, clock: clock, tw: tw}
	r.wa = &twilio.WhatsAppProvider{Client: newClient(t, tw, ourNumber), From: waFrom, MPS: 50,
		StatusCallback: publicURL + "/webhooks/twilio/status", Now: clock.Now,
		LastInbound: func(ctx context.Context, id int64) (time.Time, bool, error) {
			return store.LastInboundFor(ctx, pool, id)
		}}
	engine := &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(pool, keys, engine, clock, nil)
	r.worker = &outbox.Worker{Pool: pool, Keys: keys, Clock: clock,
		Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelWhatsApp: r.wa}}
	b.Providers = r.worker.Providers
	hook, err := twilio.NewWebhook(twilio.WebhookConfig{PublicURL: publicURL, AuthToken: tw.AuthToken,
		OnMessage: b.Handle, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	r.srv = httptest.NewServer(hook)
	t.Cleanup(r.srv.Close)
	return r
}

// post sends a signed inbound webhook and delivers what it queued; it
// returns the bodies (or template variables) Twilio was asked to send.
func (r *waRig) post(form url.Values) []string {
	r.t.Helper()
	before := len(r.tw.Creates())
	req, err := twiliotest.SignedRequest(context.Background(), r.srv.URL+"/webhooks/twilio", publicURL+"/webhooks/twilio", r.tw.AuthToken, form)
	if err != nil {
		r.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("webhook answered %d", resp.StatusCode)
	}
	r.drain()
	return r.sent(before)
}

// sent lists what went to Twilio since the before'th create, checking
// that it went from our WhatsApp sender to the youth's WhatsApp address.
func (r *waRig) sent(before int) []string {
	r.t.Helper()
	var out []string
	for _, c := range r.tw.Creates()[before:] {
		if c.To != "whatsapp:"+waYouth || c.From != waFrom {
			r.t.Errorf("send to %q from %q", c.To, c.From)
		}
		out = append(out, c.Body+c.Form.Get("ContentVariables"))
	}
	return out
}

func (r *waRig) drain() {
	r.t.Helper()
	for range 50 {
		r.clock.Advance(time.Second)
		if _, err := r.worker.RunOnce(context.Background()); err != nil {
			r.t.Fatal(err)
		}
		if r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')`) == 0 {
			return
		}
	}
	r.t.Fatal("outbound queue did not drain")
}

func (r *waRig) count(sql string, args ...any) int {
	r.t.Helper()
	var n int
	if err := r.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		r.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestWhatsAppAcceptance is issue 17's acceptance 2, first half: signed
// WhatsApp webhooks (text, location, an image, a danger message, STOP,
// DELETE) answered through the fake Twilio with whatsapp: addresses.
func TestWhatsAppAcceptance(t *testing.T) {
	r := newWARig(t)
	if got := r.post(r.tw.WhatsAppInboundForm(waYouth, "hola, necesito un lugar para dormir")); len(got) == 0 {
		t.Fatal("text not answered")
	}
	if got := r.post(r.tw.WhatsAppLocationForm(waYouth, 19.4326, -99.1332)); len(got) == 0 {
		t.Fatal("location not answered")
	}
	media := r.tw.AddMedia("MM00000000000000000000000000000002", "image/jpeg", []byte("\xff\xd8\xff\xe0 jpeg"))
	if got := r.post(r.tw.WhatsAppInboundForm(waYouth, "", media)); len(got) == 0 {
		t.Fatal("image not answered")
	}
	got := r.post(r.tw.WhatsAppInboundForm(waYouth, "mi padrastro me golpeó y dice que me va a matar esta noche"))
	if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "911") {
		t.Fatalf("danger not answered with 911 first: %q", got)
	}
	if got := r.post(r.tw.WhatsAppInboundForm(waYouth, "DELETE")); len(got) != 1 {
		t.Fatalf("DELETE confirmation: %q", got)
	}
	if n := r.count(`SELECT count(*) FROM conversations WHERE channel = 'whatsapp'`); n != 0 {
		t.Fatalf("DELETE left %d conversations", n)
	}
	if got := r.post(r.tw.WhatsAppInboundForm(waYouth, "STOP")); len(got) != 1 {
		t.Fatalf("STOP on WhatsApp gets one confirmation (no carrier sends it): %q", got)
	}
	if r.count(`SELECT count(*) FROM contacts WHERE channel = 'whatsapp' AND opted_out`) != 1 {
		t.Fatal("STOP not recorded")
	}
	if got := r.post(r.tw.WhatsAppInboundForm(waYouth, "DELETE")); len(got) != 0 {
		t.Fatalf("DELETE after STOP erases silently: %q", got)
	}
	if n := r.count(`SELECT count(*) FROM conversations WHERE channel = 'whatsapp'`); n != 0 {
		t.Fatalf("DELETE after STOP left %d conversations", n)
	}
	for _, m := range r.tw.Messages() {
		if m.Status == "failed" {
			t.Fatalf("the fake refused a send (%d): outside the session?", m.ErrorCode)
		}
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE body LIKE '%5512345678%'`); n != 0 {
		t.Fatal("number stored in clear")
	}
}

// TestWhatsAppStaffReplyAfter24Hours is acceptance 2, second half: a
// staff reply after 24 hours is refused with a message naming the rule,
// or goes as the approved template when one is configured.
func TestWhatsAppStaffReplyAfter24Hours(t *testing.T) {
	r := newWARig(t)
	r.post(r.tw.WhatsAppInboundForm(waYouth, "hi"))
	var conv int64
	if err := r.pool.QueryRow(context.Background(), `SELECT id FROM conversations WHERE channel = 'whatsapp'`).Scan(&conv); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(25 * time.Hour)
	before := len(r.tw.Creates())
	id, err := store.QueueStaffMessage(context.Background(), r.pool, conv, "Hi, it is Dana from the line. Are you safe?", r.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r.drain()
	if len(r.tw.Creates()) != before {
		t.Fatal("a free-form message went outside the 24-hour window")
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE id = $1 AND status = 'failed' AND error_code = $2`, id, twilio.CodeWhatsAppWindow); n != 1 {
		t.Fatal("the refused staff message is not marked failed with whatsapp_24h for staff to see")
	}
	r.wa.TemplateSID = templateID
	if _, err := store.QueueStaffMessage(context.Background(), r.pool, conv, "Hi, it is Dana from the line. Are you safe?", r.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r.drain()
	creates := r.tw.Creates()[before:]
	if len(creates) != 1 || creates[0].Form.Get("ContentSid") != templateID || creates[0].Body != "" ||
		!strings.Contains(creates[0].Form.Get("ContentVariables"), "Are you safe?") {
		t.Fatalf("template send: %+v", creates)
	}
	if m, _ := r.tw.Message(r.tw.Messages()[len(r.tw.Messages())-1].Sid); m.Status == "failed" {
		t.Fatal("the fake refused the template")
	}
}
