package staff

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tipline/store"
)

// TestPasswordsNeverInClear: the stored form is an argon2id hash, and no
// log line of a login (right or wrong) holds the password.
func TestPasswordsNeverInClear(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	e := newEnv(t)
	e.post(e.client(), "/staff/login", url.Values{"email": {adminEmail}, "password": {"Wrong-Secret-123456"}})
	e.login(adminEmail)
	e.post(e.login(adminEmail), "/staff/people", url.Values{"email": {"n@example.org"}, "role": {"reviewer"}})
	var hashes []string
	rows, err := e.pool.Query(context.Background(), `SELECT password_hash FROM staff`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var h string
		_ = rows.Scan(&h)
		hashes = append(hashes, h)
	}
	for _, h := range hashes {
		if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, testPassword) {
			t.Errorf("stored password is not an argon2id hash: %.12s…", h)
		}
	}
	for _, secret := range []string{testPassword, "Wrong-Secret-123456"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("a log line holds a password")
		}
	}
	var dump string
	_ = e.pool.QueryRow(context.Background(), `SELECT string_agg(detail::text || staff_email, ' ') FROM audit_log`).Scan(&dump)
	if strings.Contains(dump, testPassword) || strings.Contains(dump, "Wrong-Secret") {
		t.Error("the audit log holds a password")
	}
}

// TestWrongPasswordsSlowNotLock: from the third failure on, the next
// attempt is refused (429, Retry-After, nothing hashed or counted) until a
// growing delay has passed; the right password still signs in after it.
func TestWrongPasswordsSlowNotLock(t *testing.T) {
	k := &clock{at: time.Now()}
	e := newEnv(t, func(d *Deps) { d.Now = k.Now })
	c := e.client()
	wrong := url.Values{"email": {adminEmail}, "password": {"nope nope nope"}}
	var waits []string
	for range 6 {
		r := e.post(c, "/staff/login", wrong)
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d", r.StatusCode)
		}
		r = e.post(c, "/staff/login", wrong)
		if r.StatusCode == http.StatusUnauthorized {
			continue // still free
		}
		if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Fatalf("inside the delay: status %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
		}
		waits = append(waits, r.Header.Get("Retry-After"))
		secs, _ := strconv.Atoi(r.Header.Get("Retry-After"))
		k.add(time.Duration(secs) * time.Second)
	}
	if len(waits) < 3 || waits[len(waits)-1] == waits[0] {
		t.Fatalf("delays do not grow: %v", waits)
	}
	e.post(c, "/staff/login", wrong)
	r := e.post(c, "/staff/login", url.Values{"email": {adminEmail}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the right password inside the delay: status %d", r.StatusCode)
	}
	k.add(maxDelay)
	r = e.post(c, "/staff/login", url.Values{"email": {adminEmail}, "password": {testPassword}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password after the delay: status %d (account locked?)", r.StatusCode)
	}
	if d := e.sleeps.all(); len(d) != 0 {
		t.Errorf("a login waited out its delay (%v) instead of being refused", d)
	}
	// Same address, another account: the address's failures still count.
	e.sleeps.reset()
	r = e.post(e.client(), "/staff/login", url.Values{"email": {reviewerEmail}, "password": {"nope nope nope"}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("another account: status %d", r.StatusCode)
	}
	if r := e.post(e.client(), "/staff/login", url.Values{"email": {reviewerEmail}, "password": {testPassword}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the address's failures did not delay a login to another account: status %d", r.StatusCode)
	}
}

func TestLoginDelayGrowsAndCaps(t *testing.T) {
	prev := time.Duration(0)
	for n := 0; n < 40; n++ {
		d := loginDelay(n)
		if d < prev || d > maxDelay {
			t.Fatalf("loginDelay(%d) = %v after %v", n, d, prev)
		}
		prev = d
	}
	if loginDelay(freeFailures) != 0 || loginDelay(freeFailures+1) == 0 || loginDelay(40) != maxDelay {
		t.Fatal("delay schedule changed")
	}
}

// TestCookieFlags: HttpOnly, SameSite, Secure and __Host- outside dev.
func TestCookieFlags(t *testing.T) {
	for _, dev := range []bool{false, true} {
		e := newEnv(t, func(d *Deps) { d.Dev = dev })
		r := e.post(e.client(), "/staff/login", url.Values{"email": {adminEmail}, "password": {testPassword}})
		var ck *http.Cookie
		for _, c := range r.Cookies() {
			ck = c
		}
		if ck == nil {
			t.Fatal("no session cookie")
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("dev=%v cookie flags: %+v", dev, ck)
		}
		if ck.Secure == dev || strings.HasPrefix(ck.Name, "__Host-") == dev {
			t.Errorf("dev=%v: Secure=%v name=%s", dev, ck.Secure, ck.Name)
		}
		var stored int
		_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token_hash = $1`, hashToken(ck.Value)).Scan(&stored)
		var clear int
		_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE encode(token_hash, 'escape') = $1`, ck.Value).Scan(&clear)
		if stored != 1 || clear != 0 {
			t.Errorf("session stored as hash: %d, in clear: %d", stored, clear)
		}
	}
}

// TestIdleTimeoutAndLogout: an idle session ends; logout ends the session
// for every tab.
func TestIdleTimeoutAndLogout(t *testing.T) {
	e := newEnv(t)
	c := e.login(adminEmail)
	if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusOK {
		t.Fatalf("status %d", r.StatusCode)
	}
	e.exec(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'`)
	if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("idle session still works: %d", r.StatusCode)
	}
	c = e.login(adminEmail)
	tab2 := &http.Client{Jar: c.Jar, CheckRedirect: c.CheckRedirect}
	e.post(c, "/staff/logout", nil)
	if r := e.get(tab2, "/staff/tips"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/staff/login") {
		t.Fatalf("second tab after logout: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r := e.do(tab2, http.MethodGet, "/staff/tips/state", nil, map[string]string{"Accept": "application/json"})
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("live refresh after logout: %d", r.StatusCode)
	}
}

// TestDisabledLoginRefused: a disabled login cannot sign in, and its
// sessions end.
func TestDisabledLoginRefused(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	if err := store.SetStaffDisabledByID(context.Background(), e.pool, e.reviewer.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := e.get(c, "/staff/tips"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabled login's session still works: %d", r.StatusCode)
	}
	r := e.post(e.client(), "/staff/login", url.Values{"email": {reviewerEmail}, "password": {testPassword}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("disabled login signed in: %d", r.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/staff/tips/5": "/staff/tips/5", "//evil.example/x": "/staff/tips",
		"https://evil.example": "/staff/tips", "/staff/login": "/staff/tips", "/staff/\\evil": "/staff/tips", "": "/staff/tips"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q", in, got)
		}
	}
}
