package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/password"
	"tipline/store"
	"tipline/testdb"
)

// staffClient is a signed-in staff member on one instance. Cookies are
// kept by hand: serve sets Secure cookies, which a jar withholds over the
// loopback's plain http.
type staffClient struct {
	t       *testing.T
	base    string
	cookies []*http.Cookie
}

func (c *staffClient) do(method, path string, form url.Values) (int, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, k := range c.cookies {
		req.AddCookie(k)
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if cs := resp.Cookies(); len(cs) > 0 {
		c.cookies = cs
	}
	return resp.StatusCode, string(b)
}

func signInAt(t *testing.T, base, email, pw string) *staffClient {
	t.Helper()
	c := &staffClient{t: t, base: base}
	if code, body := c.do("POST", "/staff/login", url.Values{"email": {email}, "password": {pw}}); code != http.StatusSeeOther {
		t.Fatalf("sign in at %s: %d %s", base, code, body)
	}
	return c
}

// TestMain lets a test start this package's test binary as the tipline
// command itself (TIPLINE_TEST_RUN_MAIN=1), for tests that need real
// separate processes.
func TestMain(m *testing.M) {
	if os.Getenv("TIPLINE_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

var listeningRe = regexp.MustCompile(`listening addr=(\S+)`)

// startServeProcesses runs n `tipline serve` processes on one database
// with the settings in vars, and returns their base URLs. They get
// SIGTERM when the test ends.
func startServeProcesses(t *testing.T, n int, vars map[string]string) []string {
	t.Helper()
	var bases []string
	for range n {
		cmd := exec.Command(os.Args[0], "serve")
		cmd.Env = append(os.Environ(), "TIPLINE_TEST_RUN_MAIN=1")
		for k, v := range vars {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stopProcess(t, cmd) })
		addr := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() { // drained to the end, so the process never blocks on its log
				if m := listeningRe.FindStringSubmatch(sc.Text()); m != nil {
					addr <- m[1]
				}
			}
		}()
		select {
		case a := <-addr:
			waitReady(t, "http://"+a+"/readyz")
			bases = append(bases, "http://"+a)
		case <-time.After(60 * time.Second):
			t.Fatal("serve process did not start")
		}
	}
	return bases
}

// stopProcess ends a serve process as an orchestrator would: SIGTERM, then
// SIGKILL if it has not stopped within 15 seconds.
func stopProcess(t *testing.T, cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve process %d: %v", cmd.Process.Pid, err)
		}
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		t.Errorf("serve process %d did not stop on SIGTERM", cmd.Process.Pid)
	}
}

// TestTwoInstancesAgreeOnShiftsClaimsAndTimeouts: two `tipline serve`
// processes on one database. A shift started on one shows on the other; a claim made on one
// is a conflict on the other; the idle claim returns to the queue once,
// whichever instance's scheduler runs the job; an unclaimed high-risk chat
// is re-paged exactly once.
func TestTwoInstancesAgreeOnShiftsClaimsAndTimeouts(t *testing.T) {
	dbURL := testdb.URL(t)
	bases := startServeProcesses(t, 2, map[string]string{
		"DATABASE_URL": dbURL, "PUBLIC_URL": "https://tipline.example.org",
		"TIPLINE_SECRET_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "LISTEN_ADDR": "127.0.0.1:0", "LOG_LEVEL": "info",
		"CLAIM_IDLE": "2s", "HIGH_RISK_REPAGE": "2s", "STAFF_HOURS": "en=Mon-Sun 00:00-24:00;es=Mon-Sun 00:00-24:00",
	})
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const pw = "correct horse battery staple"
	hash, _ := password.Hash(pw)
	for _, e := range []struct{ email, role string }{{"rev@example.org", store.RoleReviewer}, {"adm@example.org", store.RoleAdmin}} {
		if _, err := store.CreateStaff(ctx, pool, e.email, e.role, hash); err != nil {
			t.Fatal(err)
		}
	}
	revA := signInAt(t, bases[0], "rev@example.org", pw)
	revB := signInAt(t, bases[1], "rev@example.org", pw)
	admB := signInAt(t, bases[1], "adm@example.org", pw)

	if code, _ := revA.do("POST", "/staff/shift", url.Values{"lang": {"es"}}); code != http.StatusSeeOther {
		t.Fatalf("shift on A: %d", code)
	}
	if _, panel := revB.do("GET", "/staff/queue-health", nil); !strings.Contains(panel, `data-on-shift="true"`) ||
		!strings.Contains(panel, `data-lang="es" data-available="true"`) || !strings.Contains(panel, `data-lang="en" data-available="false"`) {
		t.Fatalf("B does not see A's shift:\n%s", panel)
	}

	held, waiting := flaggedChat(t, pool, 1), flaggedChat(t, pool, 2)
	if code, _ := revA.do("POST", "/staff/chats/"+held+"/claim", nil); code != http.StatusSeeOther {
		t.Fatalf("claim on A: %d", code)
	}
	if code, _ := admB.do("POST", "/staff/chats/"+held+"/claim", nil); code != http.StatusConflict {
		t.Errorf("a second claim on B: %d, want 409", code)
	}
	// Nobody acts: the claim returns to the queue (once), seen on both.
	waitFor(t, 15*time.Second, "the idle claim to return", func() bool {
		_, st := admB.do("GET", "/staff/chats/"+held+"/state", nil)
		var s struct{ Claimed bool }
		return json.Unmarshal([]byte(st), &s) == nil && !s.Claimed
	})
	if _, panel := revA.do("GET", "/staff/queue-health", nil); !strings.Contains(panel, `<tr data-chat="`+held+`"`) {
		t.Errorf("A does not show the returned chat waiting")
	}
	// The unclaimed chat is re-paged by one instance, once per wait.
	waitFor(t, 15*time.Second, "the re-page", func() bool { return count(t, pool, waiting) >= 1 })
	time.Sleep(3 * time.Second) // both schedulers have had several turns
	if n := count(t, pool, waiting); n != 1 {
		t.Errorf("re-paged %d times, want once", n)
	}
	var idle int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'chat.claim_idle' AND object_id = $1`, held).Scan(&idle)
	if idle != 1 {
		t.Errorf("%d idle returns recorded, want 1", idle)
	}
	if code, _ := revB.do("POST", "/staff/shift/end", nil); code != http.StatusSeeOther {
		t.Fatalf("shift end on B: %d", code)
	}
	if _, panel := revA.do("GET", "/staff/queue-health", nil); !strings.Contains(panel, `data-on-shift="false"`) {
		t.Error("A still shows the shift B ended")
	}
}

// flaggedChat inserts a youth conversation the risk screen flagged as
// danger just now, and returns its public id.
func flaggedChat(t *testing.T, pool *pgxpool.Pool, n byte) string {
	t.Helper()
	pid := store.NewPublicID()
	_, err := pool.Exec(context.Background(), `WITH k AS (INSERT INTO contacts (channel, id_hash, alias) VALUES ('telegram', $2, 'R-T') RETURNING id)
		INSERT INTO conversations (public_id, channel, contact_id, kind, lang, high_risk, risk_level, risk_category, flagged_at)
		SELECT $1, 'telegram', k.id, 'youth', 'es', true, 'danger', 'violence', now() FROM k`, pid, []byte{n, 'x', 'y'})
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func count(t *testing.T, pool *pgxpool.Pool, pid string) int {
	t.Helper()
	var n int
	err := pool.QueryRow(context.Background(), `SELECT count(*) FROM pages p JOIN conversations v ON v.id = p.conversation_id
		WHERE v.public_id = $1 AND p.reason = 'unclaimed'`, pid).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
