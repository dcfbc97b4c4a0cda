package privacy_test

import (
	"testing"
	"time"

	"tipline/privacy"
)

// TestPurgeRules places one row on each side of every retention rule and
// checks that a purge as of t0 deletes exactly the ones past their time,
// with everything that hangs off them, and nothing else.
func TestPurgeRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	gone, kept := map[string]int64{}, map[string]int64{}
	convRules(w, gone, kept)
	tipRules(w, gone, kept)
	transientRows(w)
	audit := w.count(`INSERT INTO audit_log (action, object_type, object_id) VALUES ('tip.view', 'tip', '1') RETURNING 1`)

	c, err := privacy.Purge(w.ctx, w.pool, testRetention, t0, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("purge: %s", c)
	for name, id := range gone {
		if w.exists(table(name), id) {
			t.Errorf("%s (%s %d) survived the purge", name, table(name), id)
		}
	}
	for name, id := range kept {
		if !w.exists(table(name), id) {
			t.Errorf("%s (%s %d) was purged", name, table(name), id)
		}
	}
	var convs, tips, contacts []int64
	for name, id := range gone {
		switch table(name) {
		case "conversations":
			convs = append(convs, id)
		case "tips":
			tips = append(tips, id)
		case "contacts":
			contacts = append(contacts, id)
		}
	}
	for col, ids := range map[string][]int64{"conversation_id": convs, "tip_id": tips, "contact_id": contacts} {
		if left := w.referencing(col, ids); len(left) > 0 {
			t.Errorf("rows still reference purged %s: %v", col, left)
		}
	}
	if n := w.count(`SELECT count(*) FROM audit_log`); n != audit {
		t.Errorf("audit log has %d rows, want %d", n, audit)
	}
	checkContacts(t, w, kept)
	checkTransient(t, w)
	// A second purge as of the same time finds nothing more.
	again, err := privacy.Purge(w.ctx, w.pool, testRetention, t0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if again.Tips+again.Conversations+again.Contacts+again.ReplyDropped+again.Pages+again.Transient != 0 {
		t.Errorf("second purge removed more: %s", again)
	}
}

// table maps a fixture name ("conv:…", "tip:…", "contact:…") to its table.
func table(name string) string {
	switch name[:3] {
	case "con":
		if len(name) > 7 && name[:7] == "contact" {
			return "contacts"
		}
		return "conversations"
	case "tip":
		return "tips"
	case "cas":
		return "cases"
	}
	return "messages"
}

func convRules(w *world, gone, kept map[string]int64) {
	youth := func(kind string, last, seen int, optedOut bool) (int64, int64) {
		k := w.contact("sms", "+1212555"+randHex(2), ago(dayN(seen)), true, optedOut)
		v := w.conversation(k, "sms", kind, ago(dayN(last)))
		return k, v
	}
	k, v := youth("youth", 31, 31, false)
	gone["conv:old youth"], gone["contact:old youth"] = v, k
	k, v = youth("youth", 29, 29, false)
	kept["conv:recent youth"], kept["contact:recent youth"] = v, k
	k, v = youth("unknown", 31, 31, false)
	gone["conv:old unknown"], gone["contact:old unknown"] = v, k
	k, v = youth("youth", 31, 31, true)
	gone["conv:opted out"], kept["contact:opted out"] = v, k
	_, v = youth("youth", 31, 31, false)
	w.message(v, "sms", "out", "queued", ago(dayN(31)))
	kept["conv:pending reply"] = v
	_, v = youth("youth", 31, 31, false)
	w.exec(`INSERT INTO pages (reason, conversation_id, created_at) VALUES ('danger:x', $1, $2)`, v, ago(dayN(31)))
	gone["conv:paged"] = v
	tg := w.contact("telegram", "123456789", ago(dayN(40)), true, false)
	gone["conv:telegram"], gone["contact:telegram"] = w.conversation(tg, "telegram", "youth", ago(dayN(40))), tg
	// A tipster with a live tip keeps the conversation; their sealed
	// identifier goes 90 days after their last message.
	k = w.contact("sms", "+12125550101", ago(dayN(200)), true, false)
	v = w.conversation(k, "sms", "tipster", ago(dayN(200)))
	kept["conv:tipster"], kept["contact:tipster"] = v, k
	kept["tip:tipster"] = w.tip(tipOpts{conv: &v, contact: &k, changed: ago(dayN(10))})
	// A tipster whose only tip expires: tip, then conversation, go.
	k = w.contact("sms", "+12125550102", ago(dayN(100)), true, false)
	v = w.conversation(k, "sms", "tipster", ago(dayN(100)))
	gone["conv:tipster expired"], gone["contact:tipster expired"] = v, k
	gone["tip:tipster expired"] = w.tip(tipOpts{conv: &v, contact: &k, changed: ago(dayN(100))})
}

func tipRules(w *world, gone, kept map[string]int64) {
	active := w.caseRow(nil, false)
	closedLong := w.caseRow(ptr(ago(dayN(366))), false)
	closedRecent := w.caseRow(ptr(ago(dayN(364))), false)
	closedHeld := w.caseRow(ptr(ago(dayN(366))), true)
	kept["case:active"], kept["case:closed long"] = active, closedLong
	gone["tip:no case 91"] = w.tip(tipOpts{changed: ago(dayN(91))})
	kept["tip:no case 89"] = w.tip(tipOpts{changed: ago(dayN(89))})
	kept["tip:kept by staff"] = w.tip(tipOpts{changed: ago(dayN(91)), keep: true})
	kept["tip:legal hold"] = w.tip(tipOpts{changed: ago(dayN(91)), hold: true})
	gone["tip:incomplete on case"] = w.tip(tipOpts{caseID: &active, incomplete: true, changed: ago(dayN(91))})
	kept["tip:on active case"] = w.tip(tipOpts{caseID: &active, changed: ago(dayN(1000))})
	gone["tip:case closed long ago"] = w.tip(tipOpts{caseID: &closedLong, changed: ago(dayN(400))})
	gone["tip:case closed, kept flag"] = w.tip(tipOpts{caseID: &closedLong, keep: true, changed: ago(dayN(400))})
	kept["tip:case closed recently"] = w.tip(tipOpts{caseID: &closedRecent, changed: ago(dayN(400))})
	kept["tip:case on hold"] = w.tip(tipOpts{caseID: &closedHeld, changed: ago(dayN(400))})
	kept["tip:tip on hold"] = w.tip(tipOpts{caseID: &closedLong, hold: true, changed: ago(dayN(400))})
	recentNote := w.tip(tipOpts{changed: ago(dayN(91))})
	w.exec(`INSERT INTO tip_updates (tip_id, source, body, created_at) VALUES ($1, 'staff', 'reply', $2)`, recentNote, ago(dayN(10)))
	kept["tip:recent follow-up"] = recentNote
}

func dayN(n int) time.Duration { return time.Duration(n) * day }

// checkContacts: the opted-out sender keeps only hash and opt-out state;
// the silent tipster can no longer be answered; the recent youth can.
func checkContacts(t *testing.T, w *world, kept map[string]int64) {
	t.Helper()
	var sealedNull bool
	var alias string
	if err := w.pool.QueryRow(w.ctx, `SELECT id_sealed IS NULL, alias FROM contacts WHERE id = $1`, kept["contact:opted out"]).
		Scan(&sealedNull, &alias); err != nil {
		t.Fatal(err)
	}
	if !sealedNull || alias != "" {
		t.Errorf("opted-out contact kept more than its hash: sealed dropped %v, alias %q", sealedNull, alias)
	}
	if w.count(`SELECT count(*) FROM contacts WHERE id = $1 AND id_sealed IS NULL AND alias <> ''`, kept["contact:tipster"]) != 1 {
		t.Error("the tipster silent for 200 days can still be answered, or lost their alias")
	}
	if w.count(`SELECT count(*) FROM contacts WHERE id = $1 AND id_sealed IS NOT NULL`, kept["contact:recent youth"]) != 1 {
		t.Error("a youth who wrote 29 days ago can no longer be answered")
	}
}

// checkTransient: stale in-flight and rate rows and old page messages go,
// current ones stay; SMS bodies of erased conversations are queued for
// redaction at the provider.
func checkTransient(t *testing.T, w *world) {
	t.Helper()
	if n := w.count(`SELECT count(*) FROM inflight`); n != 1 {
		t.Errorf("inflight rows left: %d, want the recent one", n)
	}
	if n := w.count(`SELECT count(*) FROM rate_limits`); n != 1 {
		t.Errorf("rate-limit rows left: %d, want the recent one", n)
	}
	if n := w.count(`SELECT count(*) FROM messages WHERE kind = 'page'`); n != 2 {
		t.Errorf("page messages left: %d, want the recent and the queued one", n)
	}
	if n := w.count(`SELECT count(*) FROM pages WHERE conversation_id IS NULL AND tip_id IS NULL`); n != 1 {
		t.Errorf("orphaned pages left: %d, want the recent one", n)
	}
	if n := w.count(`SELECT count(*) FROM provider_redactions`); n == 0 {
		t.Error("erased SMS conversations queued no provider redaction")
	}
}

// transientRows adds rows on both sides of the transient rules.
func transientRows(w *world) {
	w.exec(`INSERT INTO inflight (chat, seq, at) VALUES ('\x01', 1, $1), ('\x02', 1, $2)`, ago(2*time.Hour), ago(time.Minute))
	w.exec(`INSERT INTO rate_limits (key, next_free) VALUES ('a', $1), ('b', $2)`, ago(2*time.Hour), ago(time.Minute))
	for _, p := range []struct {
		status string
		at     time.Time
	}{{"sent", ago(dayN(31))}, {"sent", ago(dayN(1))}, {"queued", ago(dayN(31))}} {
		w.exec(`INSERT INTO messages (direction, channel, kind, body, target, status, created_at, next_attempt_at)
			VALUES ('out', 'telegram', 'page', 'page:danger', 'telegram', $1, $2, $2)`, p.status, p.at)
	}
	w.exec(`INSERT INTO pages (reason, created_at) VALUES ('danger:x', $1), ('danger:y', $2)`, ago(dayN(31)), ago(dayN(1)))
}
