package staff

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/store"
)

// riskReasonsJSON are the reasons the fixture's flagged message carries.
const riskReasonsJSON = `[{"layer":"rule","rule":"en.harm_by_person","concepts":["person","harm","me"],"evidence":"he hurts me"},
	{"layer":"model","evidence":"w:hurts me","weight":1.42}]`

// flagFixtureMessage stores a danger decision with reasons against the
// fixture chat's inbound message, as a turn would, and returns its id.
func flagFixtureMessage(e *env) int64 {
	e.t.Helper()
	id := fixtureMessage(e)
	e.exec(`INSERT INTO message_risk (message_id, level, categories, lang, score, reasons)
		VALUES ($1, 'danger', '{imminent,abuse}', 'en', 0.96, $2::jsonb) ON CONFLICT (message_id) DO NOTHING`, id, riskReasonsJSON)
	e.exec(`UPDATE conversations SET risk_level = 'danger', risk_category = 'imminent' WHERE id = $1`, e.fx.chatID)
	return id
}

// fixtureMessage is the fixture chat's first inbound message.
func fixtureMessage(e *env) int64 {
	e.t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT min(id) FROM messages WHERE conversation_id = $1 AND direction = 'in'`,
		e.fx.chatID).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// addRiskSamples adds the risk routes to the security and audit walks.
func addRiskSamples(m map[string]sample, fx fixture) {
	m["POST /staff/chats/{pid}/messages/{mid}/risk-mark"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		id := flagFixtureMessage(e)
		return formReq("/staff/chats/"+fx.chatPID+"/messages/"+itoa(id)+"/risk-mark", url.Values{"mark": {"false_alarm"}})
	}}
	m["GET /staff/risk-marks"] = get("/staff/risk-marks")
}

// TestChatPageShowsWhyAndTakesMarks: the chat page shows each flagged
// message's level, categories and reasons; a mark is saved and audited
// and shows on the page and in the admin's review list; a reviewer cannot
// open that list; the chats list shows concern chats as concern.
func TestChatPageShowsWhyAndTakesMarks(t *testing.T) {
	e := newEnv(t)
	id := flagFixtureMessage(e)
	rc := e.login(reviewerEmail)
	page := bodyOf(t, e.get(rc, "/staff/chats/"+e.fx.chatPID))
	for _, want := range []string{`data-risk-level="danger"`, "imminent, abuse", "rule en.harm_by_person: person &#43; harm &#43; me",
		`(&#34;he hurts me&#34;)`, `classifier feature &#34;w:hurts me&#34; (&#43;1.42)`, "classifier 0.96", `value="false_alarm"`} {
		if !strings.Contains(page, want) {
			t.Errorf("chat page lacks %q", want)
		}
	}
	before := e.auditCount("chat.risk_mark")
	path := "/staff/chats/" + e.fx.chatPID + "/messages/" + itoa(id) + "/risk-mark"
	if r := e.post(rc, path, url.Values{"mark": {"false_alarm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: status %d", r.StatusCode)
	}
	if e.auditCount("chat.risk_mark") != before+1 {
		t.Error("the mark was not audited")
	}
	if page := bodyOf(t, e.get(rc, "/staff/chats/"+e.fx.chatPID)); !strings.Contains(page, "Marked <strong>false alarm</strong> by "+reviewerEmail) {
		t.Error("the chat page does not show the mark")
	}
	if r := e.post(rc, path, url.Values{"mark": {"maybe"}}); r.StatusCode < 400 {
		t.Errorf("an unknown mark: status %d", r.StatusCode)
	}
	if r := e.get(rc, "/staff/risk-marks"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer opened the review list: status %d", r.StatusCode)
	}
	list := bodyOf(t, e.get(e.login(adminEmail), "/staff/risk-marks"))
	if !strings.Contains(list, "he hurts me, I need help") || !strings.Contains(list, "false alarm") {
		t.Error("the review list lacks the marked message")
	}
	e.exec(`UPDATE conversations SET risk_level = 'concern' WHERE id = $1`, e.fx.chatID)
	if chats := bodyOf(t, e.get(rc, "/staff/chats")); !strings.Contains(chats, `data-risk-level="concern"`) {
		t.Error("the chats list does not mark the concern chat")
	}
}
