package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgconn"

	"tipline/migrations"
	"tipline/store"
	"tipline/testdb"
)

func TestMigrateAppliesAllAndIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.NewWithMigrations(t, false)
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	n, err := store.Migrate(ctx, pool, ms)
	if err != nil || n != len(ms) {
		t.Fatalf("first run applied %d of %d: %v", n, len(ms), err)
	}
	if n, err = store.Migrate(ctx, pool, ms); err != nil || n != 0 {
		t.Fatalf("second run applied %d: %v", n, err)
	}
	_, current, err := store.SchemaStatus(ctx, pool, ms)
	if err != nil || !current {
		t.Fatalf("schema not current: %v", err)
	}
	// A binary that knows fewer migrations refuses the newer schema.
	if _, err := store.Migrate(ctx, pool, ms[:len(ms)-1]); err == nil {
		t.Fatal("older binary accepted a newer schema")
	}
}

func TestConcurrentMigrationsRunOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.NewWithMigrations(t, false)
	fsys := fstest.MapFS{
		"0001_log.sql":   {Data: []byte(`CREATE TABLE applied (at timestamptz DEFAULT now())`)},
		"0002_sleep.sql": {Data: []byte(`INSERT INTO applied DEFAULT VALUES; SELECT pg_sleep(0.3);`)},
	}
	ms, err := store.LoadMigrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := store.Migrate(ctx, pool, ms)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM applied`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("sleeping migration ran %d times: %v", n, err)
	}
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestSchemaConstraints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	mustExec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	mustExec(`INSERT INTO conversations (id, public_id, channel) VALUES (1, 'c1', 'sms')`)
	mustExec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind) VALUES (1, 'in', 'sms', 'SM1', 'user')`)
	cases := []struct {
		name, sql, code string
	}{
		{"duplicate provider id", `INSERT INTO messages (conversation_id, direction, channel, provider_id, kind) VALUES (1, 'in', 'sms', 'SM1', 'user')`, "23505"},
		{"inbound without provider id", `INSERT INTO messages (conversation_id, direction, channel, kind) VALUES (1, 'in', 'sms', 'user')`, "23514"},
		{"message of no conversation", `INSERT INTO messages (conversation_id, direction, channel, provider_id) VALUES (99, 'in', 'sms', 'SM2')`, "23503"},
		{"tip of no case", `INSERT INTO tips (code, channel, case_id) VALUES ('T1', 'sms', 42)`, "23503"},
		{"unknown channel", `INSERT INTO conversations (public_id, channel) VALUES ('c2', 'fax')`, "23514"},
		{"audit log update", `INSERT INTO audit_log (action) VALUES ('x'); UPDATE audit_log SET action = 'y'`, "P0001"},
	}
	for _, c := range cases {
		_, err := pool.Exec(ctx, c.sql)
		if got := pgCode(err); got != c.code {
			t.Errorf("%s: got %q (%v), want SQLSTATE %s", c.name, got, err, c.code)
		}
	}
	// The same provider id on another channel is a different message.
	mustExec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind) VALUES (1, 'in', 'telegram', 'SM1', 'user')`)
	// Outbound rows carry no provider id and never collide.
	mustExec(`INSERT INTO messages (conversation_id, direction, channel) VALUES (1, 'out', 'sms'), (1, 'out', 'sms')`)
}
