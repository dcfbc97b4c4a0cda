package privacy_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/pgcluster"
	"tipline/seal"
	"tipline/store"
)

// TestNoIdentifierStored (acceptance 1 and 2): after scripted
// conversations on both channels (youth and tipsters, photos, STOP, a
// danger page, DELETE, provider failures, a failed turn) on a private
// PostgreSQL, no sender phone number (in any form), Telegram id, username
// or name is in any column of any table, in any file of the cluster
// (tables, WAL, the server log), and a fresh key opens nothing.
func TestNoIdentifierStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "pg")
	cl, err := pgcluster.Start(ctx, dir)
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip("no PostgreSQL server binaries on this machine")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Stop() })
	admin, err := pgx.Connect(ctx, cl.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE tipline`); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)
	s := newStack(t, cl.URL("tipline"))
	ses := s.serve(t)
	ses.conversations()
	ses.failures(s.tgProxy)
	ses.drained(90 * time.Second)
	ses.p.stop(t)
	if _, err := ses.pool.Exec(ctx, `CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	forms := identifierForms()
	if found := scanDatabase(t, ses.pool, append(forms, textMarker)); len(found) != 1 || found[0] != textMarker {
		// The message text is kept (it is what staff read): finding it
		// shows the scan works; finding anything else is a leak.
		t.Errorf("found in the database: %v (want only the message text marker)", found)
	}
	if len(ses.tw.Creates()) == 0 || len(ses.tg.Sent()) == 0 {
		t.Error("the providers received no replies: the script did not run")
	}
	for _, f := range scanFiles(t, dir, forms) {
		t.Errorf("found in %s", f)
	}
	checkNothingOpens(t, ses.pool, ses.keys)
}

// scanDatabase returns the markers found in any column of any table: each
// row rendered as text (text, jsonb, numbers…), and the raw bytes of
// every bytea column.
func scanDatabase(t *testing.T, pool *pgxpool.Pool, markers []string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 10 {
		t.Fatalf("tables %v: %v", tables, err)
	}
	found := map[string]bool{}
	for _, tb := range tables {
		rows, err := pool.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{tb}.Sanitize()+` t`)
		if err != nil {
			t.Fatal(err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range markers {
			for _, txt := range texts {
				if strings.Contains(strings.ToLower(txt), strings.ToLower(m)) {
					if !found[m] {
						t.Logf("%q found in table %s", m, tb)
					}
					found[m] = true
				}
			}
		}
	}
	for _, m := range scanBytea(t, pool, markers) {
		found[m] = true
	}
	var out []string
	for m := range found {
		out = append(out, m)
	}
	return out
}

// scanBytea searches the raw bytes of every bytea column.
func scanBytea(t *testing.T, pool *pgxpool.Pool, markers []string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type = 'bytea'`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ Table, Column string }
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[col])
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cols {
		for _, m := range markers {
			var n int
			q := `SELECT count(*) FROM ` + pgx.Identifier{c.Table}.Sanitize() + ` WHERE position(convert_to($1, 'UTF8') IN ` +
				pgx.Identifier{c.Column}.Sanitize() + `) > 0`
			if err := pool.QueryRow(ctx, q, m).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				t.Logf("%q found in %s.%s", m, c.Table, c.Column)
				out = append(out, m)
			}
		}
	}
	return out
}

// scanFiles searches every file under dir (data files, WAL, server.log).
func scanFiles(t *testing.T, dir string, markers []string) []string {
	t.Helper()
	var out []string
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		files++
		for _, m := range markers {
			if bytes.Contains(b, []byte(m)) {
				out = append(out, filepath.Base(path)+": "+m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "server.log")); err != nil || files < 100 {
		t.Fatalf("scanned %d files; server log: %v", files, err)
	}
	return out
}

// checkNothingOpens: every sealed value opens with the service's key (so
// the test looks at real sealed values) and with a fresh key none does.
func checkNothingOpens(t *testing.T, pool *pgxpool.Pool, keys *seal.Keys) {
	t.Helper()
	ctx := context.Background()
	fresh, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT channel, id_sealed FROM contacts WHERE id_sealed IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	type sealedRow struct {
		Channel string
		Value   []byte
	}
	vals, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sealedRow])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range store.SealedColumns {
		rows, err := pool.Query(ctx, `SELECT '', `+pgx.Identifier{c.Column}.Sanitize()+` FROM `+pgx.Identifier{c.Table}.Sanitize()+
			` WHERE `+pgx.Identifier{c.Column}.Sanitize()+` IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		more, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sealedRow])
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range more {
			vals = append(vals, sealedRow{Channel: "aad:" + c.AAD, Value: m.Value})
		}
	}
	if len(vals) < 3 {
		t.Fatalf("only %d sealed values stored", len(vals))
	}
	for _, v := range vals {
		aad := "contact:" + v.Channel
		if a, ok := strings.CutPrefix(v.Channel, "aad:"); ok {
			aad = a
		}
		if _, err := keys.Open(v.Value, aad); err != nil {
			t.Errorf("a %s value does not open with the service key: %v", aad, err)
		}
		if _, err := fresh.Open(v.Value, aad); !errors.Is(err, seal.ErrUnknownKey) {
			t.Errorf("a %s value opened, or failed oddly, without the key: %v", aad, err)
		}
	}
	t.Logf("%d sealed values: open with the key, not without", len(vals))
}
