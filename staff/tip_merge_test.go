package staff

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/store"
)

// unmerged is a sample that first takes the fixture's second tip out of
// any merge (a tip already merged elsewhere cannot be merged again).
func unmerged(path string, form url.Values) sample {
	return sample{make: func(e *env, _ store.Staff) sampleReq {
		e.exec(`UPDATE tips SET duplicate_of = NULL, status = 'new' WHERE id = $1`, e.fx.tip2ID)
		return formReq(path, form)
	}}
}

// addMergeSamples adds the merge routes to the security walk.
func addMergeSamples(m map[string]sample, tip2 string) {
	m["POST /staff/tips/{id}/merge"] = unmerged(tip2+"/merge", url.Values{"into": {"TIPURG1"}, "reason": {"same red coat"}})
	m["POST /staff/tips/{id}/merges/{mid}/undo"] = sample{make: func(e *env, who store.Staff) sampleReq {
		e.exec(`UPDATE tips SET duplicate_of = NULL, status = 'new' WHERE id = $1`, e.fx.tip2ID)
		e.exec(`UPDATE tips SET duplicate_of = $2, status = 'duplicate' WHERE id = $1`, e.fx.tip2ID, e.fx.tipID)
		var mid int64
		if err := e.pool.QueryRow(e.t.Context(), `INSERT INTO tip_merges (tip_id, into_tip_id, prev_status, reason, merged_by, merged_at)
			VALUES ($1, $2, 'new', 'sample', $3, now()) RETURNING id`, e.fx.tip2ID, e.fx.tipID, who.ID).Scan(&mid); err != nil {
			e.t.Fatal(err)
		}
		return formReq(tip2+"/merges/"+itoa(mid)+"/undo", url.Values{"reason": {"not the same"}})
	}}
}

// TestTipMergeOverHTTP: the merge form merges (audited), the reverse merge
// is refused with the cycle named (409, nothing audited), the undo
// restores the tip; the old duplicate form is refused the same way.
func TestTipMergeOverHTTP(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	tip, tip2 := "/staff/tips/"+itoa(e.fx.tipID), "/staff/tips/"+itoa(e.fx.tip2ID)
	if r := e.post(c, tip2+"/merge", url.Values{"into": {"tipurg1"}, "reason": {"same station"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	before := e.auditTotal()
	r := e.post(c, tip+"/merge", url.Values{"into": {"TIPOLD1"}, "reason": {"the other way"}})
	body := bodyOf(t, r)
	if r.StatusCode != http.StatusConflict || !strings.Contains(body, "would form a cycle") || !strings.Contains(body, "TIPOLD1 → TIPURG1") {
		t.Errorf("reverse merge: %d %s", r.StatusCode, body)
	}
	if r := e.post(c, tip+"/duplicate", url.Values{"of": {"TIPOLD1"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("reverse duplicate link: %d", r.StatusCode)
	}
	if e.auditTotal() != before {
		t.Error("a refused merge was audited")
	}
	page := bodyOf(t, e.get(c, tip))
	if !strings.Contains(page, "merged into tip") || !strings.Contains(page, "same station") || !strings.Contains(page, "undo-merge") {
		t.Fatalf("the original's page does not show the merge")
	}
	var mid int64
	if err := e.pool.QueryRow(t.Context(), `SELECT id FROM tip_merges WHERE tip_id = $1`, e.fx.tip2ID).Scan(&mid); err != nil {
		t.Fatal(err)
	}
	if r := e.post(c, tip+"/merges/"+itoa(mid)+"/undo", url.Values{"reason": {"two children"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	if n := e.auditCount("tip.merge") + e.auditCount("tip.unmerge"); n != 2 {
		t.Errorf("audit rows: %d, want 2", n)
	}
	if page := bodyOf(t, e.get(c, tip2)); !strings.Contains(page, "undone by "+reviewerEmail) || !strings.Contains(page, "two children") {
		t.Error("the undone merge is not shown with who undid it and why")
	}
}

// TestCaseSuggestionLinksAndUndoes: a sighting that names an open case's
// child is suggested for the case; confirming links it, undoing unlinks.
func TestCaseSuggestionLinksAndUndoes(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	var id int64
	if err := e.pool.QueryRow(t.Context(), `INSERT INTO tips (code, channel, incomplete, description, lang, submitted_at)
		VALUES ('SEENANA', 'sms', false, 'I think it was Ana, a girl of 14 with brown hair, near the station', 'en', now())
		RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	tip := "/staff/tips/" + itoa(id)
	page := bodyOf(t, e.get(c, tip))
	if !strings.Contains(page, `data-kind="case" data-ref="C-100"`) || !strings.Contains(page, "the name Ana") {
		t.Fatalf("no case suggestion on the page")
	}
	r := e.post(c, tip+"/merge", url.Values{"case": {itoa(e.fx.caseID)}, "score": {"0.71"}, "reason": {"named Ana"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	page = bodyOf(t, e.get(c, tip))
	if !strings.Contains(page, "linked to case") || strings.Contains(page, `data-kind="case" data-ref="C-100"`) {
		t.Error("the link is not shown, or the case is still suggested")
	}
	var mid int64
	if err := e.pool.QueryRow(t.Context(), `SELECT id FROM tip_merges WHERE tip_id = $1 AND score BETWEEN 0.70 AND 0.72`, id).Scan(&mid); err != nil {
		t.Fatal(err)
	}
	if r := e.post(c, tip+"/merges/"+itoa(mid)+"/undo", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", r.StatusCode)
	}
	var linked *int64
	if err := e.pool.QueryRow(t.Context(), `SELECT case_id FROM tips WHERE id = $1`, id).Scan(&linked); err != nil || linked != nil {
		t.Errorf("case link after undo: %v %v", linked, err)
	}
}
