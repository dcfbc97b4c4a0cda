package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/password"
	"tipline/pgcluster"
)

var loginRe = regexp.MustCompile(`staff login \(shown once\): (\S+)\s+password: (\S+)`)
var listenRe = regexp.MustCompile(`dashboard: http://([0-9.:]+)/staff/`)

// TestDevFromNothingTwice runs `tipline dev` as a newcomer would, with no
// DATABASE_URL: it starts its own PostgreSQL under ./.tipline, reports
// each step of the cold start, serves, and stops; a second dev in the same
// folder meanwhile refuses and leaves the first one's server alone; the
// other commands run in the folder use the dev database, joining the
// running server or starting (and stopping) it; a later run reuses all.
func TestDevFromNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a private PostgreSQL from nothing (-short)")
	}
	if _, err := pgcluster.Binaries(); err != nil {
		t.Skip("no PostgreSQL server binaries")
	}
	dir, err := os.MkdirTemp("", "tipline-dev-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Chdir(dir)
	getenv := func(k string) string {
		return map[string]string{"LISTEN_ADDR": "127.0.0.1:0", "LOG_LEVEL": "warn"}[k]
	}
	addr, stop := startDev(t, getenv)
	out := refusedSecondDev(t, getenv)
	if !strings.Contains(out, "already running") || !strings.Contains(out, "pid ") {
		t.Errorf("second dev did not say who runs:\n%s", out)
	}
	checkReady(t, addr) // its PostgreSQL is untouched
	if out := runTool(t, getenv, "", "staff", "list"); !strings.Contains(out, devEmail) {
		t.Errorf("staff list in the dev folder (dev running):\n%s", out)
	}
	checkReady(t, addr)
	first := stop()
	for _, want := range []string{"initialising the private PostgreSQL", "applying migrations", "seeding", "done in", "ready in"} {
		if !strings.Contains(first, want) {
			t.Errorf("cold start did not report %q:\n%s", want, first)
		}
	}
	m := loginRe.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first run printed no staff login:\n%s", first)
	}
	runTool(t, getenv, "secret-password-1\n", "staff", "add", "--email", "second@tipline.local", "--role", "reviewer")
	if running(filepath.Join(dir, devDir, "postgres")) {
		t.Error("staff add left the server it started running")
	}
	_, stop = startDev(t, getenv)
	if second := stop(); loginRe.MatchString(second) || strings.Contains(second, "initialising") {
		t.Errorf("second run printed a password or initialised again:\n%s", second)
	}
	checkLogin(t, filepath.Join(dir, devDir, "postgres"), m[1], m[2])
}

// startDev starts dev, checks health and readiness and returns its
// address and a stop that cancels it (as Ctrl-C does) and returns what it
// printed.
func startDev(t *testing.T, getenv func(string) string) (string, func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"dev"}, env{stdout: &out, stderr: &out, getenv: getenv}) }()
	var addr string
	for i := 0; i < 1200 && addr == ""; i++ {
		if m := listenRe.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("dev exited %d:\n%s", code, out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("dev did not start:\n%s", out.String())
	}
	checkReady(t, addr)
	return addr, func() string {
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("dev exited %d:\n%s", code, out.String())
		}
		return out.String()
	}
}

// refusedSecondDev runs a second dev, which must exit at once with an error.
func refusedSecondDev(t *testing.T, getenv func(string) string) string {
	t.Helper()
	var out syncBuffer
	if code := run(context.Background(), []string{"dev"}, env{stdout: &out, stderr: &out, getenv: getenv}); code == 0 {
		t.Fatalf("a second dev in the same folder ran:\n%s", out.String())
	}
	return out.String()
}

// runTool runs a one-shot command in the current folder and returns its output.
func runTool(t *testing.T, getenv func(string) string, stdin string, args ...string) string {
	t.Helper()
	var out syncBuffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &out, getenv: getenv}
	if code := run(context.Background(), args, e); code != 0 {
		t.Fatalf("tipline %s exited %d:\n%s", strings.Join(args, " "), code, out.String())
	}
	return out.String()
}

func checkReady(t *testing.T, addr string) {
	t.Helper()
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
}

// running reports whether the cluster under base has a server.
func running(base string) bool {
	_, err := os.Stat(filepath.Join(base, "data", "postmaster.pid"))
	return err == nil
}

// checkLogin starts the private cluster again and checks that the login
// dev printed exists with that password.
func checkLogin(t *testing.T, base, email, pw string) {
	t.Helper()
	ctx := context.Background()
	cl, err := pgcluster.Start(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Stop() //nolint:errcheck
	conn, err := pgx.Connect(ctx, cl.URL("tipline"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var hash, role string
	if err := conn.QueryRow(ctx, `SELECT password_hash, role FROM staff WHERE email = $1`, email).Scan(&hash, &role); err != nil {
		t.Fatalf("printed login %s not in the database: %v", email, err)
	}
	if ok, _ := password.Verify(hash, pw); !ok || role != "admin" {
		t.Fatalf("printed password does not open %s (role %s)", email, role)
	}
}
