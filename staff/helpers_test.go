package staff

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/password"
	"tipline/seal"
	"tipline/server"
	"tipline/store"
	"tipline/testdb"
)

// Test logins.
const (
	adminEmail    = "admin@example.org"
	reviewerEmail = "reviewer@example.org"
	testPassword  = "correct horse battery staple"
)

// env is a dashboard on a fresh database behind the real server
// middleware, with two logins and a few objects.
type env struct {
	t        testing.TB
	pool     *store.Pool
	keys     *seal.Keys
	dash     *Dashboard
	srv      *httptest.Server
	admin    store.Staff
	reviewer store.Staff
	sleeps   *sleepLog
	fx       fixture
}

// sleepLog records login slowdowns instead of waiting them out.
type sleepLog struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleepLog) sleep(_ context.Context, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
}

func (s *sleepLog) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = nil
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

var passwordHash = sync.OnceValue(func() string {
	h, err := password.Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

func testKeys(t testing.TB) *seal.Keys {
	k, err := seal.ParseKeys(base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")), nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// parallelTests are the tests already made parallel (some build two envs).
var parallelTests sync.Map

// parallel lets the test run beside the others (each has its own database,
// server and browser), once per test; call it before starting any clock.
func parallel(t testing.TB) {
	if pt, ok := t.(*testing.T); ok {
		if _, done := parallelTests.LoadOrStore(pt, true); !done {
			pt.Parallel()
		}
	}
}

// newEnv builds the environment; mutate may change the deps first. The
// test runs in parallel with the others.
func newEnv(t testing.TB, mutate ...func(*Deps)) *env {
	t.Helper()
	parallel(t)
	e := &env{t: t, pool: testdb.New(t), keys: testKeys(t), sleeps: &sleepLog{}}
	deps := Deps{Pool: e.pool, Keys: e.keys, Dev: true, Location: time.UTC, PublicURL: "https://tipline.example",
		BotUsername: func(context.Context) string { return "tipline_test_bot" }, SMSNumber: "+15550001111",
		PageTargets: []string{"telegram"}, Sleep: e.sleeps.sleep}
	for _, m := range mutate {
		m(&deps)
	}
	d, err := New(deps)
	if err != nil {
		t.Fatal(err)
	}
	e.dash = d
	e.srv = httptest.NewServer(server.New(server.Options{Routes: d.Routes()}))
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	if e.admin, err = store.CreateStaff(ctx, e.pool, adminEmail, store.RoleAdmin, passwordHash()); err != nil {
		t.Fatal(err)
	}
	if e.reviewer, err = store.CreateStaff(ctx, e.pool, reviewerEmail, store.RoleReviewer, passwordHash()); err != nil {
		t.Fatal(err)
	}
	e.fx = seedFixture(t, e)
	return e
}

// client returns a browser-like client with a cookie jar that does not
// follow redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs email in and returns its client.
func (e *env) login(email string) *http.Client {
	e.t.Helper()
	c := e.client()
	resp := e.post(c, "/staff/login", url.Values{"email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", email, resp.StatusCode)
	}
	return c
}

// do sends a request with same-origin browser headers on state changes.
func (e *env) do(c *http.Client, method, path string, body io.Reader, hdr map[string]string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", e.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	return resp
}

func (e *env) get(c *http.Client, path string) *http.Response {
	return e.do(c, http.MethodGet, path, nil, nil)
}

func (e *env) post(c *http.Client, path string, form url.Values) *http.Response {
	return e.do(c, http.MethodPost, path, strings.NewReader(form.Encode()), nil)
}

func bodyOf(t testing.TB, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	r.Body = io.NopCloser(strings.NewReader(string(b)))
	return string(b)
}

// auditCount counts audit rows with that action.
func (e *env) auditCount(action string) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// auditTotal counts every audit row.
func (e *env) auditTotal() int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}
