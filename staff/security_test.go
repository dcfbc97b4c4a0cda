package staff

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"tipline/store"
)

// send performs a sample's request with client c; api routes use token.
func (e *env) send(c *http.Client, rt route, r sampleReq, token string, hdr map[string]string) *http.Response {
	e.t.Helper()
	h := map[string]string{}
	if r.ctype != "" {
		h["Content-Type"] = r.ctype
	}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	for k, v := range hdr {
		h[k] = v
	}
	return e.do(c, methodOf(rt.pattern), r.path, strings.NewReader(r.body), h)
}

// callerClient is the client (and API token) for a caller.
func (e *env) callerClient(rt route, s sample, who store.Staff) (*http.Client, string) {
	if s.client != nil {
		return s.client(e), ""
	}
	if rt.api {
		if who.ID == e.admin.ID {
			return e.client(), e.fx.adminToken
		}
		return e.client(), e.fx.reviewToken
	}
	return e.sessionClient(who.ID, true), ""
}

// TestEveryRouteIsWalked fails when a route has no sample, so a new route
// cannot escape the checks below; and pins the public routes.
func TestEveryRouteIsWalked(t *testing.T) {
	e := newEnv(t)
	ss := samples(e)
	var open []string
	for _, rt := range e.dash.routes {
		if _, ok := ss[rt.pattern]; !ok {
			t.Errorf("route %q has no sample in the security walk", rt.pattern)
		}
		if rt.access == public {
			open = append(open, rt.pattern)
		}
	}
	want := []string{"GET /api/v1/openapi.json", "GET /staff/assets/{file}", "GET /staff/login", "POST /staff/login"}
	slices.Sort(open)
	if !slices.Equal(open, want) {
		t.Errorf("public routes = %v, want %v", open, want)
	}
	if len(e.dash.Routes()) != len(e.dash.routes) {
		t.Errorf("Routes() mounts %d of %d routes", len(e.dash.Routes()), len(e.dash.routes))
	}
}

// TestAnonymousRefused: every non-public route sends a browser to the
// login page (or answers 401 to API clients) and runs nothing.
func TestAnonymousRefused(t *testing.T) {
	e := newEnv(t)
	ss := samples(e)
	for _, rt := range e.dash.routes {
		if rt.access == public {
			continue
		}
		before := e.auditTotal()
		r := e.send(e.client(), rt, ss[rt.pattern].make(e, e.admin), "", nil)
		switch {
		case rt.api && r.StatusCode != http.StatusUnauthorized:
			t.Errorf("%s anonymous: status %d, want 401", rt.pattern, r.StatusCode)
		case !rt.api && (r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/staff/login")):
			t.Errorf("%s anonymous: status %d location %q, want a redirect to login", rt.pattern, r.StatusCode, r.Header.Get("Location"))
		}
		if e.auditTotal() != before {
			t.Errorf("%s anonymous: wrote to the audit log", rt.pattern)
		}
	}
}

// TestCrossOriginRefused: every state-changing route refuses a request a
// foreign site makes a signed-in browser send, before doing anything.
func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t)
	ss := samples(e)
	hostile := []map[string]string{
		{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
		{"Origin": "https://evil.example", "Sec-Fetch-Site": ""},
	}
	for _, rt := range e.dash.routes {
		if methodOf(rt.pattern) == http.MethodGet {
			continue
		}
		for _, h := range hostile {
			s := ss[rt.pattern]
			c, tok := e.callerClient(rt, s, e.admin)
			before := e.auditTotal()
			r := e.send(c, rt, s.make(e, e.admin), tok, h)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("%s cross-origin %v: status %d, want 403", rt.pattern, h, r.StatusCode)
			}
			if e.auditTotal() != before {
				t.Errorf("%s cross-origin: a change was made", rt.pattern)
			}
		}
	}
}

// TestRoleRights: reviewers get exactly the reviewer routes, admins all.
func TestRoleRights(t *testing.T) {
	e := newEnv(t)
	ss := samples(e)
	for _, rt := range e.dash.routes {
		if rt.access == public || rt.access == pending {
			continue
		}
		for _, who := range []store.Staff{e.reviewer, e.admin} {
			s := ss[rt.pattern]
			c, tok := e.callerClient(rt, s, who)
			r := e.send(c, rt, s.make(e, who), tok, nil)
			denied := r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusUnauthorized ||
				strings.HasPrefix(r.Header.Get("Location"), "/staff/login")
			wantDenied := rt.access == admin && who.Role != store.RoleAdmin
			if denied != wantDenied {
				t.Errorf("%s as %s: status %d, denied=%v want %v", rt.pattern, who.Role, r.StatusCode, denied, wantDenied)
			}
			if !denied && r.StatusCode >= 400 {
				t.Errorf("%s as %s: status %d: %s", rt.pattern, who.Role, r.StatusCode, firstLine(bodyOf(t, r)))
			}
		}
	}
}
