package staff

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/outbox"
	"tipline/store"
	"tipline/telegram"
	"tipline/telegram/telegramtest"
)

// fakeTelegram is a delivery worker sending through a fake Bot API.
type fakeTelegram struct {
	api    *telegramtest.Server
	worker *outbox.Worker
}

func newFakeTelegram(t testing.TB, e *env) *fakeTelegram {
	api := telegramtest.New(t)
	client, err := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Pool: e.pool, Keys: e.keys, Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelTelegram: &telegram.Provider{Client: client}},
		Pages: map[string]string{"telegram": "-100999"}}
	return &fakeTelegram{api: api, worker: w}
}

// deliver runs the worker until want messages reached chat (Telegram's
// one-a-second-per-chat limit spaces them) or 10 s passed, and returns
// the texts sent there.
func (f *fakeTelegram) deliver(t testing.TB, chat int64, want int) []string {
	t.Helper()
	var out []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if _, err := f.worker.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		out = out[:0]
		for _, c := range f.api.Sent() {
			if c.ChatID() == chat {
				out = append(out, c.Text())
			}
		}
		if len(out) >= want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return out
}

// TestReplyReachesTipster: a staff reply and a canned bulk reply (in the
// tipster's language) go out through the provider; the tip page shows
// their delivery state.
func TestReplyReachesTipster(t *testing.T) {
	e := newEnv(t)
	tg := newFakeTelegram(t, e)
	c := e.login(reviewerEmail)
	tip := "/staff/tips/" + itoa(e.fx.tipID)
	if r := e.post(c, tip+"/reply", url.Values{"text": {"Thank you. Which bus line?"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	e.post(c, "/staff/tips/bulk", url.Values{"id": {itoa(e.fx.tipID), itoa(e.fx.tip2ID)}, "canned": {"thanks"}})
	sent := tg.deliver(t, e.fx.tipsterChat, 2)
	if len(sent) != 2 || !strings.Contains(sent[0], "Which bus line?") || !strings.Contains(sent[1], "Gracias") {
		t.Fatalf("sent to the tipster: %q", sent)
	}
	body := bodyOf(t, e.get(c, tip))
	if !strings.Contains(body, "Which bus line?") || !strings.Contains(body, "· sent") || !strings.Contains(body, "Staff reply</strong> ("+reviewerEmail+", sent)") {
		t.Error("tip page lacks the reply, its follow-up or its delivery state")
	}
	e.exec(`UPDATE contacts SET id_sealed = NULL`)
	if body := bodyOf(t, e.get(c, tip)); !strings.Contains(body, "no longer kept") {
		t.Error("tip page does not say the tip can no longer be answered")
	}
	if r := e.post(c, tip+"/reply", url.Values{"text": {"hello?"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("reply to an unreachable tipster: %d", r.StatusCode)
	}
}

// TestClaimWriteRelease: a claimed chat takes staff messages to the youth;
// others cannot write or release it; releasing hands it back.
func TestClaimWriteRelease(t *testing.T) {
	e := newEnv(t)
	tg := newFakeTelegram(t, e)
	rev, admin := e.login(reviewerEmail), e.login(adminEmail)
	chat := "/staff/chats/" + e.fx.chatPID
	if r := e.post(rev, chat+"/message", url.Values{"text": {"hi"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("write before claim: %d", r.StatusCode)
	}
	if r := e.post(rev, chat+"/claim", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	var claimedBy *int64
	var acked bool
	_ = e.pool.QueryRow(context.Background(), `SELECT claimed_by FROM conversations WHERE id = $1`, e.fx.chatID).Scan(&claimedBy)
	_ = e.pool.QueryRow(context.Background(), `SELECT acked_at IS NOT NULL FROM pages WHERE id = $1`, e.fx.pageID).Scan(&acked)
	if claimedBy == nil || *claimedBy != e.reviewer.ID || !acked {
		t.Fatalf("claim: claimed_by=%v page acked=%v", claimedBy, acked)
	}
	if r := e.post(admin, chat+"/claim", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("second claim: %d", r.StatusCode)
	}
	if r := e.post(rev, chat+"/message", url.Values{"text": {"About your abuse report: are you safe?"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a revealing opening was accepted: %d", r.StatusCode)
	}
	e.post(rev, chat+"/message", url.Values{"text": {"Hi, I am a person on the team. Are you somewhere safe?"}})
	if sent := tg.deliver(t, e.fx.youthChat, 1); len(sent) != 1 || !strings.Contains(sent[0], "somewhere safe") {
		t.Fatalf("sent to the youth: %q", sent)
	}
	if r := e.post(rev, chat+"/release", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", r.StatusCode)
	}
	_ = e.pool.QueryRow(context.Background(), `SELECT claimed_by FROM conversations WHERE id = $1`, e.fx.chatID).Scan(&claimedBy)
	if claimedBy != nil {
		t.Fatal("still claimed after release")
	}
}

// TestUnacknowledgedPageSentAgain: after 5 minutes without an
// acknowledgement a page goes out again; an acknowledged one does not.
func TestUnacknowledgedPageSentAgain(t *testing.T) {
	e := newEnv(t)
	tg := newFakeTelegram(t, e)
	ctx := context.Background()
	if n, _ := e.dash.ResendPages(ctx); n != 0 {
		t.Fatalf("a fresh page was re-sent")
	}
	e.exec(`UPDATE pages SET created_at = now() - interval '5 minutes 1 second'`)
	if n, err := e.dash.ResendPages(ctx); n != 1 || err != nil {
		t.Fatalf("re-sent %d, %v", n, err)
	}
	if n, _ := e.dash.ResendPages(ctx); n != 0 {
		t.Fatal("re-sent twice within 5 minutes")
	}
	sent := tg.deliver(t, -100999, 1)
	if len(sent) != 1 || !strings.Contains(sent[0], "/staff/chats/"+e.fx.chatPID) || strings.Contains(sent[0], "hurts") {
		t.Fatalf("page text: %q", sent)
	}
	if err := store.AckPage(ctx, e.pool, e.fx.pageID, e.admin.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE pages SET created_at = now() - interval '1 day', resent_at = now() - interval '1 hour'`)
	if n, _ := e.dash.ResendPages(ctx); n != 0 {
		t.Fatal("an acknowledged page was re-sent")
	}
}
