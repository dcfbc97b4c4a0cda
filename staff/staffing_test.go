package staff

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/store"
)

// addStaffingSamples adds the shift, queue-health and conversation routes
// to the security and audit walks.
func addStaffingSamples(m map[string]sample) {
	m["GET /staff/queue-health"] = get("/staff/queue-health")
	m["GET /staff/conversations"] = get("/staff/conversations")
	m["POST /staff/shift"] = post("/staff/shift", url.Values{"lang": {"en", "fr"}})
	m["POST /staff/shift/end"] = post("/staff/shift/end", nil)
	m["GET /staff/chats/{pid}/escalation"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return sampleReq{path: "/staff/chats/" + e.fx.chatPID + "/escalation"}
	}}
	m["GET /staff/chats/{pid}/export.html"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return sampleReq{path: "/staff/chats/" + e.fx.chatPID + "/export.html"}
	}}
	m["POST /staff/chats/{pid}/escalation"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return formReq("/staff/chats/"+e.fx.chatPID+"/escalation", url.Values{"kind": {"exception"},
			"exception": {"imminent_harm"}, "reason": {"a plan for tonight"}})
	}}
	m["POST /staff/chats/{pid}/disclosure"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return formReq("/staff/chats/"+e.fx.chatPID+"/disclosure", url.Values{"reason": {"cannot call, overdose"}})
	}}
	m["POST /staff/chats/{pid}/disclosure/{id}/confirm"] = sample{make: func(e *env, who store.Staff) sampleReq {
		return formReq("/staff/chats/"+e.fx.chatPID+"/disclosure/"+itoa(disclosureBy(e, who, false))+"/confirm", nil)
	}}
	m["POST /staff/chats/{pid}/disclosure/{id}/reveal"] = sample{make: func(e *env, who store.Staff) sampleReq {
		return formReq("/staff/chats/"+e.fx.chatPID+"/disclosure/"+itoa(disclosureBy(e, who, true))+"/reveal", nil)
	}}
	m["POST /staff/chats/{pid}/escalation/hold"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return formReq("/staff/chats/"+e.fx.chatPID+"/escalation/hold", url.Values{"hold": {"1"}, "reason": {"subpoena"}})
	}}
}

// TestTakeOverAnyConversation: a tipster's conversation, never flagged,
// can be opened (its language and country shown), claimed, written to and
// released; the panel lists the flagged youth chat waiting with its wait.
func TestTakeOverAnyConversation(t *testing.T) {
	e := newEnv(t)
	_, conv, pid := contactFor(t, e, 9191, "tipster", "es", false)
	e.exec(`UPDATE conversations SET state = '{"country":"MX"}' WHERE id = $1`, conv)
	c := e.login(reviewerEmail)
	list := bodyOf(t, e.get(c, "/staff/conversations"))
	if !strings.Contains(list, `data-chat="`+pid+`"`) || !strings.Contains(list, "MX") {
		t.Fatalf("conversation missing from the list:\n%s", list)
	}
	page := bodyOf(t, e.get(c, "/staff/chats/"+pid))
	for _, want := range []string{"country MX", "language es", "tipster", `id="claim"`} {
		if !strings.Contains(page, want) {
			t.Errorf("chat page lacks %q", want)
		}
	}
	if r := e.post(c, "/staff/chats/"+pid+"/claim", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d %s", r.StatusCode, bodyOf(t, r))
	}
	if r := e.post(c, "/staff/chats/"+pid+"/message", url.Values{"text": {"Thank you, can you tell us more?"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("message: %d %s", r.StatusCode, bodyOf(t, r))
	}
	panel := bodyOf(t, e.get(c, "/staff/queue-health"))
	if !strings.Contains(panel, `<tr data-chat="`+e.fx.chatPID+`" data-risk-level=`) || !strings.Contains(panel, "reviewer@example.org") {
		t.Errorf("panel:\n%s", panel)
	}
	if r := e.post(c, "/staff/chats/"+pid+"/release", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", r.StatusCode)
	}
}

// TestShiftsAndHoursOnThePanel: going on shift for some languages shows
// who can answer now; off shift, nobody can.
func TestShiftsAndHoursOnThePanel(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	if r := e.post(c, "/staff/shift", url.Values{"lang": {"es"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("shift: %d %s", r.StatusCode, bodyOf(t, r))
	}
	panel := bodyOf(t, e.get(c, "/staff/queue-health"))
	if !strings.Contains(panel, `data-lang="es" data-available="true"`) || !strings.Contains(panel, `data-lang="en" data-available="false"`) ||
		!strings.Contains(panel, `data-on-shift="true"`) || !strings.Contains(panel, `value="es" checked`) || strings.Contains(panel, `value="en" checked`) {
		t.Fatalf("panel after going on shift:\n%s", panel)
	}
	if r := e.post(c, "/staff/shift", url.Values{"lang": {"de"}}); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown language: %d", r.StatusCode)
	}
	e.post(c, "/staff/shift/end", nil)
	if n, _ := store.OnShift(context.Background(), e.pool, ""); n != 0 || e.auditCount("shift.start") != 1 || e.auditCount("shift.end") != 1 {
		t.Errorf("on shift %d; audit %d/%d", n, e.auditCount("shift.start"), e.auditCount("shift.end"))
	}
}

// clock is a controlled clock for the dashboard and its jobs.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (k *clock) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.at
}

func (k *clock) set(t time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.at = t
}

func (k *clock) add(d time.Duration) { k.set(k.Now().Add(d)) }

// TestEscalationRecordPage: a reviewer records an exception, who was told
// and that the youth was told; the page lists them with the categories
// disclosed, and a hold is placed with a reason.
func TestEscalationRecordPage(t *testing.T) {
	e := newEnv(t)
	e.exec(`INSERT INTO message_risk (message_id, level, categories)
		SELECT min(id), 'danger', '{abuse}' FROM messages WHERE conversation_id = $1 AND direction = 'in'`, e.fx.chatID)
	c := e.login(reviewerEmail)
	base := "/staff/chats/" + e.fx.chatPID + "/escalation"
	for _, f := range []url.Values{
		{"kind": {"exception"}, "exception": {"child_abuse"}, "reason": {"disclosed ongoing abuse at home"}},
		{"kind": {"told"}, "told_whom": {"county CPS hotline"}, "told_at": {"2026-12-05T09:10"}},
		{"kind": {"youth_told"}},
	} {
		if r := e.post(c, base, f); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%v: %d %s", f, r.StatusCode, bodyOf(t, r))
		}
	}
	if r := e.post(c, base, url.Values{"kind": {"exception"}, "exception": {"child_abuse"}}); r.StatusCode < 400 {
		t.Error("an exception without a reason was accepted")
	}
	if r := e.post(c, base+"/hold", url.Values{"hold": {"1"}, "reason": {"court order"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("hold: %d", r.StatusCode)
	}
	page := bodyOf(t, e.get(c, base))
	for _, want := range []string{"<code>abuse</code>", `data-kind="exception"`, "child_abuse", "county CPS hotline", `data-kind="youth_told"`,
		`data-held="true"`, "court order"} {
		if !strings.Contains(page, want) {
			t.Errorf("record page lacks %q", want)
		}
	}
	if strings.Contains(page, "he hurts me") {
		t.Error("the record shows message text")
	}
	e.exec(`INSERT INTO disclosure_requests (conversation_id, requested_by, reason) VALUES ($1, $2, 'cannot call, overdose')`,
		e.fx.chatID, e.admin.ID)
	export := bodyOf(t, e.get(c, "/staff/chats/"+e.fx.chatPID+"/export.html"))
	for _, want := range []string{`id="escalation"`, "abuse", "Exception invoked: child_abuse", "county CPS hotline",
		"The youth was told", "Legal hold: this record outlives the conversation", `id="transcript"`} {
		if !strings.Contains(export, want) {
			t.Errorf("the chat export lacks %q", want)
		}
	}
	if strings.Contains(export, "cannot call, overdose") {
		t.Error("the chat export shows an emergency disclosure")
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'export.chat_html'
		AND object_id = $1`, e.fx.chatPID).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d audit rows for the export (%v), want 1", n, err)
	}
}

// disclosureBy inserts a disclosure request on the fixture chat by a staff
// member other than who, confirmed by who when confirmed.
func disclosureBy(e *env, who store.Staff, confirmed bool) int64 {
	other := e.admin.ID
	if who.ID == other {
		other = e.reviewer.ID
	}
	var id int64
	err := e.pool.QueryRow(context.Background(), `INSERT INTO disclosure_requests (conversation_id, requested_by, reason, confirmed_by, confirmed_at)
		VALUES ($1, $2, 'cannot call', CASE WHEN $4 THEN $3::bigint END, CASE WHEN $4 THEN now() END) RETURNING id`,
		e.fx.chatID, other, who.ID, confirmed).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// TestEmergencyDisclosurePages: a reviewer asks, cannot confirm their own
// request, an admin confirms and sees the chat id; the reviewer too.
func TestEmergencyDisclosurePages(t *testing.T) {
	e := newEnv(t)
	rev, adm := e.login(reviewerEmail), e.login(adminEmail)
	base := "/staff/chats/" + e.fx.chatPID
	if r := e.post(rev, base+"/disclosure", url.Values{"reason": {"overdose, she cannot call"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("request: %d %s", r.StatusCode, bodyOf(t, r))
	}
	var id int64
	_ = e.pool.QueryRow(context.Background(), `SELECT max(id) FROM disclosure_requests`).Scan(&id)
	if page := bodyOf(t, e.get(rev, base+"/escalation")); !strings.Contains(page, "waiting for a second staff member") {
		t.Error("the requester is offered to confirm")
	}
	if r := e.post(rev, base+"/disclosure/"+itoa(id)+"/confirm", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("self-confirmation: %d", r.StatusCode)
	}
	if r := e.post(rev, base+"/disclosure/"+itoa(id)+"/reveal", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("reveal before confirmation: %d", r.StatusCode)
	}
	if r := e.post(adm, base+"/disclosure/"+itoa(id)+"/confirm", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", r.StatusCode, bodyOf(t, r))
	}
	for _, c := range []*http.Client{adm, rev} {
		page := bodyOf(t, e.post(c, base+"/disclosure/"+itoa(id)+"/reveal", nil))
		if !strings.Contains(page, `<strong id="identifier">`+itoa(e.fx.youthChat)+`</strong>`) {
			t.Errorf("reveal page:\n%s", page)
		}
	}
	if n := e.auditCount("disclosure.reveal"); n != 2 {
		t.Errorf("%d reveals audited", n)
	}
}
