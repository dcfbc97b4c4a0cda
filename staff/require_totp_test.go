package staff

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRequireTOTP: with STAFF_REQUIRE_2FA a login without a second factor
// is sent from sign-in and from every page to its enrolment, and its API
// token is refused; a login with one works as before.
func TestRequireTOTP(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.RequireTOTP = true })
	c := e.client()
	r := e.post(c, "/staff/login", url.Values{"email": {reviewerEmail}, "password": {testPassword}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != enrolPath {
		t.Fatalf("sign-in without TOTP: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	for _, p := range []string{"/staff/tips", "/staff/chats", "/staff"} {
		if r := e.get(c, p); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != enrolPath {
			t.Errorf("%s without TOTP: %d to %q", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	r = e.get(c, "/staff/account")
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != http.StatusOK || !strings.Contains(string(body), "requires a second factor") {
		t.Fatalf("the enrolment page: %d", r.StatusCode)
	}
	auth := map[string]string{"Authorization": "Bearer " + e.fx.reviewToken}
	r = e.do(e.client(), http.MethodGet, "/api/v1/tips", nil, auth)
	body, _ = io.ReadAll(r.Body)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "second_factor_required") {
		t.Fatalf("API token without TOTP: %d %s", r.StatusCode, body)
	}

	st, secret := e.totpLogin("enrolled@example.org")
	c = e.client()
	e.post(c, "/staff/login", url.Values{"email": {st.Email}, "password": {testPassword}})
	if r := e.post(c, "/staff/login/totp", url.Values{"code": {totpCode(secret, totpStep(time.Now()))}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("code: %d", r.StatusCode)
	}
	if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusOK {
		t.Fatalf("an enrolled login's page: %d", r.StatusCode)
	}
	tok, _ := apiToken(t, e, st.ID)
	if r := e.do(e.client(), http.MethodGet, "/api/v1/tips", nil, map[string]string{"Authorization": "Bearer " + tok}); r.StatusCode != http.StatusOK {
		t.Fatalf("an enrolled login's API token: %d", r.StatusCode)
	}
}
