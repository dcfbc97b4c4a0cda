package staff

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// dirty is what a careless paste or a hostile client puts in a field:
// NUL, a byte that is not UTF-8 and an encoded lone surrogate.
const dirty = "a\x00b \xff c \xed\xa0\x80"

// formFields are the text fields the dashboard's forms and searches read.
var formFields = []string{
	"q", "status", "channel", "case", "sim", "from", "to", "mine", "page", "of", "staff", "hold", "id", "canned",
	"text", "body", "reason", "kind", "exception", "told_whom", "told_at", "mark", "what", "hidden", "public",
	"name", "organization", "hours", "notes", "description_en", "description_es", "description_fr",
	"number", "display_name", "description", "last_seen_place", "last_seen_at", "age", "phone", "email", "website",
	"label", "role", "disabled", "current", "new", "confirm", "code", "next", "lang", "action", "object", "actor",
}

// TestSearchWithNULAnswers200: a NUL in a dashboard search is a search
// (issue 15), and what a note stores is the cleaned text.
func TestSearchWithNULAnswers200(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	for _, p := range []string{"/staff/tips?q=%00", "/staff/tips?q=grey%00hound", "/staff/tips?q=%FF%ED%A0%80"} {
		resp := e.get(c, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", p, resp.StatusCode)
		}
		if p == "/staff/tips?q=grey%00hound" && !strings.Contains(bodyOf(t, resp), `data-tip="TIPURG1"`) {
			t.Errorf("%s: the NUL was not removed from the search", p)
		}
	}
	resp := e.post(c, "/staff/tips/"+itoa(e.fx.tipID)+"/notes", url.Values{"body": {"seen\x00 again \xff"}})
	if resp.StatusCode >= 500 {
		t.Fatalf("note: status %d", resp.StatusCode)
	}
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'tip.note'`).Scan(&n); err != nil || n == 0 {
		t.Errorf("note not recorded (%d, %v)", n, err)
	}
}

// TestNoInputIsA500: every route of the table, called by an admin with
// every form field, query parameter and path value set to bytes
// PostgreSQL refuses in text, never answers 5xx (docs/design.md rule 17).
func TestNoInputIsA500(t *testing.T) {
	e := newEnv(t)
	c := e.login(adminEmail)
	form := url.Values{}
	for _, f := range formFields {
		form.Set(f, dirty)
	}
	query := "?" + form.Encode()
	for _, rt := range e.dash.routes {
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		if pattern == "/staff/logout" {
			continue
		}
		for _, path := range []string{fillPath(e, pattern, false), fillPath(e, pattern, true)} {
			var resp *http.Response
			switch {
			case rt.api:
				resp = e.apiCall(method, path+query, `{"status":"new\u0000\ud800"}`)
			case method == http.MethodPost:
				resp = e.post(c, path+query, form)
			default:
				resp = e.get(c, path+query)
			}
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s: status %d", method, path, resp.StatusCode)
			}
		}
	}
	resp := e.post(e.client(), "/staff/login", url.Values{"email": {adminEmail + "\x00"}, "password": {dirty}})
	if resp.StatusCode >= 500 {
		t.Errorf("login: status %d", resp.StatusCode)
	}
}

var wildcard = regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)

// fillPath puts the fixture's objects into a route's wildcards, or with
// dirtyPath NUL and an invalid byte (as %00 and %FF).
func fillPath(e *env, pattern string, dirtyPath bool) string {
	pattern = strings.TrimSuffix(pattern, "{$}")
	return wildcard.ReplaceAllStringFunc(pattern, func(w string) string {
		if dirtyPath {
			return "x%00%FF"
		}
		name := wildcard.FindStringSubmatch(w)[1]
		switch {
		case name == "pid":
			return e.fx.chatPID
		case name == "mid":
			return itoa(e.fx.mediaID)
		case name == "file":
			return "app.css"
		case strings.HasPrefix(pattern, "/staff/tips/"), strings.HasPrefix(pattern, "/api/v1/tips/"):
			return itoa(e.fx.tipID)
		case strings.HasPrefix(pattern, "/staff/cases/"), strings.HasPrefix(pattern, "/api/v1/cases/"):
			return itoa(e.fx.caseID)
		case strings.HasPrefix(pattern, "/staff/resources/"):
			return e.fx.resourceID
		case strings.HasPrefix(pattern, "/staff/pages/"):
			return itoa(e.fx.pageID)
		case strings.HasPrefix(pattern, "/staff/people/"):
			return itoa(e.reviewer.ID)
		case strings.HasPrefix(pattern, "/staff/account/tokens/"):
			return itoa(e.fx.adminTokenID)
		}
		return "1"
	})
}

// apiCall calls the API with the admin's token and a JSON body.
func (e *env) apiCall(method, path, body string) *http.Response {
	e.t.Helper()
	hdr := map[string]string{"Authorization": "Bearer " + e.fx.adminToken, "Content-Type": "application/json",
		"Accept": "application/json"}
	return e.do(&http.Client{}, method, path, strings.NewReader(body), hdr)
}

// TestCleanValues: values are cleaned in place and the change reported.
func TestCleanValues(t *testing.T) {
	v := url.Values{"a": {"ok", "x\x00y"}, "b\x00": {"\xff"}}
	if !cleanValues(v) {
		t.Fatal("no change reported")
	}
	if got := v["a"]; got[0] != "ok" || got[1] != "xy" {
		t.Errorf("a = %q", got)
	}
	if got := v.Get("b"); got != "\uFFFD" || v.Has("b\x00") {
		t.Errorf("b = %q (%v)", got, v)
	}
	if cleanValues(url.Values{"a": {"fine"}}) {
		t.Error("clean values reported as changed")
	}
}
