package staff

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1 (the 8-digit values, last 6 digits).
func TestTOTPVectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471",
		1234567890: "005924", 2000000000: "279037", 20000000000: "353130"} {
		if got := totpCode(secret, totpStep(time.Unix(unix, 0))); got != want {
			t.Errorf("T=%d: %s, want %s", unix, got, want)
		}
	}
	now := time.Unix(1111111111, 0)
	if _, ok := totpVerify(secret, "050471", now.Add(30*time.Second)); !ok {
		t.Error("one step of drift refused")
	}
	if _, ok := totpVerify(secret, "050471", now.Add(90*time.Second)); ok {
		t.Error("three steps of drift accepted")
	}
	if !strings.HasPrefix(totpURI(secret, "a@b.org"), "otpauth://totp/Tipline:a@b.org?") {
		t.Error(totpURI(secret, "a@b.org"))
	}
}

// TestSecondFactorLogin: a login with TOTP owes a code before any page;
// a code works once; a recovery code works once.
func TestSecondFactorLogin(t *testing.T) {
	e := newEnv(t)
	st, secret := e.totpLogin("2fa@example.org")
	codes, hashes := newRecoveryCodes(1)
	e.exec(`UPDATE staff SET recovery_codes = $2 WHERE id = $1`, st.ID, hashes)
	signIn := func() *http.Client {
		c := e.client()
		r := e.post(c, "/staff/login", url.Values{"email": {st.Email}, "password": {testPassword}})
		if !strings.HasPrefix(r.Header.Get("Location"), "/staff/login/totp") {
			t.Fatalf("password step went to %q", r.Header.Get("Location"))
		}
		if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("pages open before the second factor: %d", r.StatusCode)
		}
		return c
	}
	c := signIn()
	code := totpCode(secret, totpStep(time.Now()))
	if r := e.post(c, "/staff/login/totp", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good code: %d", r.StatusCode)
	}
	if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusOK {
		t.Fatalf("after the code: %d", r.StatusCode)
	}
	c = signIn()
	if r := e.post(c, "/staff/login/totp", url.Values{"code": {code}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", r.StatusCode)
	}
	if r := e.post(c, "/staff/login/totp", url.Values{"code": {strings.ToUpper(codes[0])}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", r.StatusCode)
	}
	c = signIn()
	if r := e.post(c, "/staff/login/totp", url.Values{"code": {codes[0]}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("recovery code used twice: %d", r.StatusCode)
	}
	// An admin's reset removes the factor.
	admin := e.login(adminEmail)
	e.post(admin, "/staff/people/"+itoa(st.ID)+"/totp", nil)
	r := e.post(e.client(), "/staff/login", url.Values{"email": {st.Email}, "password": {testPassword}})
	if r.Header.Get("Location") != "/staff/tips" {
		t.Fatalf("after reset: %q", r.Header.Get("Location"))
	}
	var n int
	_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'login.totp_failed'`).Scan(&n)
	if n != 2 {
		t.Errorf("%d failed second-factor rows, want 2", n)
	}
}

// TestTOTPSetUp: start, confirm with a code from the shown key, get
// recovery codes.
func TestTOTPSetUp(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	r := e.post(c, "/staff/account/totp/start", nil)
	body := bodyOf(t, r)
	i := strings.Index(body, `<p class="secret">`)
	if r.StatusCode != http.StatusOK || i < 0 || !strings.Contains(body, "data:image/png;base64,") {
		t.Fatalf("set-up page: %d", r.StatusCode)
	}
	key := body[i+len(`<p class="secret">`):]
	key = key[:strings.Index(key, "<")]
	secret, err := b32.DecodeString(key)
	if err != nil {
		t.Fatal(err)
	}
	r = e.post(c, "/staff/account/totp/confirm", url.Values{"code": {totpCode(secret, totpStep(time.Now()))}})
	if r.StatusCode != http.StatusOK || strings.Count(bodyOf(t, r), `<p class="secret">`) != 10 {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusOK {
		t.Fatalf("the session that set it up was signed out: %d", r.StatusCode)
	}
}
