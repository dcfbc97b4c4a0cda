package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/password"
	"tipline/pgcluster"
)

var loginRe = regexp.MustCompile(`staff login \(shown once\): (\S+)\s+password: (\S+)`)
var listenRe = regexp.MustCompile(`dashboard: http://([0-9.:]+)/staff/`)

// TestDevFromNothingTwice runs `tipline dev` as a newcomer would, with no
// DATABASE_URL: it starts its own PostgreSQL under ./.tipline, serves, and
// stops; a second run reuses everything.
func TestDevFromNothingTwice(t *testing.T) {
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
	first := runDevOnce(t, getenv)
	m := loginRe.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first run printed no staff login:\n%s", first)
	}
	second := runDevOnce(t, getenv)
	if loginRe.MatchString(second) {
		t.Error("second run printed a password again")
	}
	checkLogin(t, filepath.Join(dir, devDir, "postgres"), m[1], m[2])
}

// runDevOnce starts dev, checks health and readiness, stops it with a
// cancel (as Ctrl-C does) and returns what it printed.
func runDevOnce(t *testing.T, getenv func(string) string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"dev"}, env{stdout: &out, stderr: &out, getenv: getenv}) }()
	var addr string
	for i := 0; i < 600 && addr == ""; i++ {
		if m := listenRe.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("dev exited %d:\n%s", code, out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if addr == "" {
		t.Fatalf("dev did not start:\n%s", out.String())
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("dev exited %d:\n%s", code, out.String())
	}
	return out.String()
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
