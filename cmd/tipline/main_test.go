package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/migrations"
	"tipline/testdb"
)

func noEnv(string) string { return "" }

func TestServeWithoutEnvironmentListsEverything(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve"}, env{stdout: &out, stderr: &errb, getenv: noEnv})
	if code == 0 {
		t.Fatal("serve started with no configuration")
	}
	for _, want := range []string{"DATABASE_URL", "PUBLIC_URL", "TIPLINE_SECRET_KEY"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("error does not name %s:\n%s", want, errb.String())
		}
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, env{stdout: &out, stderr: &out, getenv: noEnv}); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range []string{"dev", "serve", "migrate", "staff add", "resources import", "chat", "purge", "keys rotate", "bench"} {
		if !strings.Contains(out.String(), c) {
			t.Errorf("--help lacks %q", c)
		}
	}
}

// withTestMigration adds a migration that records each application and
// sleeps, so instances starting together would collide without the lock.
func withTestMigration(t *testing.T) {
	m := fstest.MapFS{}
	entries, _ := fs.ReadDir(migrations.FS, ".")
	for _, e := range entries {
		b, _ := fs.ReadFile(migrations.FS, e.Name())
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	m["9999_test_sleep.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE test_applied (at timestamptz DEFAULT now());
		INSERT INTO test_applied DEFAULT VALUES; SELECT pg_sleep(0.5);`)}
	old := migrationsFS
	migrationsFS = m
	t.Cleanup(func() { migrationsFS = old })
}

func TestFiveInstancesStartTogether(t *testing.T) {
	withTestMigration(t)
	dbURL := testdb.URL(t)
	getenv := func(k string) string {
		return map[string]string{
			"DATABASE_URL":       dbURL,
			"PUBLIC_URL":         "https://tipline.example.org",
			"TIPLINE_SECRET_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
			"LISTEN_ADDR":        "127.0.0.1:0",
			"LOG_LEVEL":          "error",
		}[k]
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	addrs := make(chan string, 5)
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sink bytes.Buffer
			errs <- serveWithEnv(ctx, getenv, &sink, func(a string) { addrs <- a })
		}()
	}
	for range 5 {
		select {
		case a := <-addrs:
			waitReady(t, "http://"+a+"/readyz")
		case err := <-errs:
			t.Fatalf("instance failed: %v", err)
		case <-time.After(60 * time.Second):
			t.Fatal("instances did not start")
		}
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM test_applied`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("test migration ran %d times (%v)", n, err)
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", url)
}
