package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"tipline/directory/hsds"
	"tipline/testdb"
)

func toolEnv(dbURL string) func(string) string {
	return func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
}

func resourceCount(t *testing.T, dbURL string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM resources`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestResourcesImportExportRoundTrip(t *testing.T) {
	dbURL := testdb.URL(t)
	getenv := toolEnv(dbURL)
	var out bytes.Buffer
	e := env{stdout: &out, stderr: &out, getenv: getenv}
	if code := run(context.Background(), []string{"migrate"}, e); code != 0 {
		t.Fatalf("migrate: %s", out.String())
	}
	src := filepath.Join("..", "..", "directory", "hsds", "testdata", "official", "service_full.json")
	if code := run(context.Background(), []string{"resources", "import", src}, e); code != 0 {
		t.Fatalf("import: %s", out.String())
	}
	first := filepath.Join(t.TempDir(), "first.json")
	second := filepath.Join(t.TempDir(), "second.json")
	if code := run(context.Background(), []string{"resources", "export", "--format", "hsds-json", "--out", first}, e); code != 0 {
		t.Fatalf("export: %s", out.String())
	}
	if code := run(context.Background(), []string{"resources", "import", first}, e); code != 0 {
		t.Fatalf("re-import: %s", out.String())
	}
	if code := run(context.Background(), []string{"resources", "export", "--format", "hsds-json", "--out", second}, e); code != 0 {
		t.Fatalf("second export: %s", out.String())
	}
	a, _, errA := hsds.ImportFile(first)
	b, _, errB := hsds.ImportFile(second)
	if errA != nil || errB != nil || len(a) == 0 || len(a) != len(b) {
		t.Fatalf("exports unreadable: %v %v", errA, errB)
	}
	ja, _ := os.ReadFile(first)
	jb, _ := os.ReadFile(second)
	if !bytes.Equal(ja, jb) {
		t.Error("export → import → export changed the modelled fields")
	}
}

func TestResourcesImportRejectsMalformedFileAndKeepsDirectory(t *testing.T) {
	dbURL := testdb.URL(t)
	var out bytes.Buffer
	e := env{stdout: &out, stderr: &out, getenv: toolEnv(dbURL)}
	if code := run(context.Background(), []string{"migrate"}, e); code != 0 {
		t.Fatalf("migrate: %s", out.String())
	}
	src := filepath.Join("..", "..", "directory", "hsds", "testdata", "official", "service_simple.json")
	if code := run(context.Background(), []string{"resources", "import", src}, e); code != 0 {
		t.Fatalf("import: %s", out.String())
	}
	before := resourceCount(t, dbURL)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("[\n  {\"id\": \"x\",\n   \"status\": \"active\",\n   \"name\": \n}\n]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"resources", "import", bad}, e); code == 0 {
		t.Fatal("a malformed file was imported")
	}
	if !strings.Contains(out.String(), "bad.json:") {
		t.Errorf("error does not name the file and line: %s", out.String())
	}
	if after := resourceCount(t, dbURL); after != before {
		t.Fatalf("directory changed from %d to %d rows", before, after)
	}
}
