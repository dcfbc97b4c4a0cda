package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// auditCLI runs `tipline audit ARGS` against one database and key.
type auditCLI struct {
	t    *testing.T
	pool *store.Pool
	key  string
	url  string
}

func newAuditCLI(t *testing.T) *auditCLI {
	url := testdb.MigratedURL(t)
	pool, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &auditCLI{t: t, pool: pool, key: seal.GenerateKey(), url: url}
}

func (a *auditCLI) run(args ...string) (code int, out string) {
	var buf bytes.Buffer
	getenv := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return a.url
		case "TIPLINE_SECRET_KEY":
			return a.key
		}
		return ""
	}
	code = run(context.Background(), append([]string{"audit"}, args...), env{stdout: &buf, stderr: &buf, getenv: getenv})
	return code, buf.String()
}

// appendRows writes n rows as the dashboard does, signed with a's key.
func (a *auditCLI) appendRows(n int) {
	ks, err := seal.ParseKeys(a.key, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	ak := store.NewAuditKeys(ks)
	for i := 0; i < n; i++ {
		e := store.AuditEntry{StaffEmail: "a@example.org", Action: "tip.view", ObjectType: "tip", ObjectID: fmt.Sprint(i)}
		if err := store.AppendAudit(context.Background(), a.pool, ak, e); err != nil {
			a.t.Fatal(err)
		}
	}
}

// exec runs sql with the append-only triggers off, as a superuser could.
func (a *auditCLI) exec(sql string) {
	ctx := context.Background()
	for _, q := range []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`, sql, `ALTER TABLE audit_log ENABLE TRIGGER USER`} {
		if _, err := a.pool.Exec(ctx, q); err != nil {
			a.t.Fatalf("%s: %v", q, err)
		}
	}
}

func (a *auditCLI) idOfSeq(seq int) string {
	var id int64
	if err := a.pool.QueryRow(context.Background(), `SELECT id FROM audit_log WHERE seq = $1`, seq).Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	return fmt.Sprint(id)
}

func TestAuditVerifyCleanThenEdited(t *testing.T) {
	a := newAuditCLI(t)
	if code, out := a.run("verify"); code != 0 || !strings.Contains(out, "no chained rows yet") {
		t.Fatalf("empty log: %d %s", code, out)
	}
	a.appendRows(8)
	code, out := a.run("verify")
	if code != 0 || !strings.Contains(out, "read 8 rows") || !strings.Contains(out, "chain holds; head 8:") {
		t.Fatalf("clean log: %d %s", code, out)
	}
	head := regexp.MustCompile(`head (\d+:[0-9a-f]+)`).FindStringSubmatch(out)[1]
	if code, out := a.run("verify", "--anchor", head); code != 0 {
		t.Fatalf("with its own head as anchor: %d %s", code, out)
	}
	a.exec(`UPDATE audit_log SET staff_email = 'someone@else.org' WHERE seq = 5`)
	code, out = a.run("verify")
	if code != 1 || !strings.Contains(out, "edited: row id "+a.idOfSeq(5)+" (seq 5)") {
		t.Fatalf("edited row: %d %s", code, out)
	}
	t.Log(out)
}

func TestAuditVerifyNamesDeletedRow(t *testing.T) {
	a := newAuditCLI(t)
	a.appendRows(6)
	a.exec(`DELETE FROM audit_log WHERE seq = 3`)
	code, out := a.run("verify")
	if code != 1 || !strings.Contains(out, "deleted: row id "+a.idOfSeq(4)+" (seq 4): the row at seq 3 before it is missing") {
		t.Fatalf("deleted row: %d %s", code, out)
	}
}

func TestAuditSealCoversOlderRows(t *testing.T) {
	a := newAuditCLI(t)
	for i := 0; i < 3; i++ {
		if _, err := a.pool.Exec(context.Background(), `INSERT INTO audit_log (action) VALUES ('login')`); err != nil {
			t.Fatal(err)
		}
	}
	a.appendRows(2)
	if code, out := a.run("verify"); code != 1 || !strings.Contains(out, "unsealed") {
		t.Fatalf("before the seal: %d %s", code, out)
	}
	if code, out := a.run("seal"); code != 0 || !strings.Contains(out, "sealed 3 rows") {
		t.Fatalf("seal: %d %s", code, out)
	}
	if code, out := a.run("verify"); code != 0 || !strings.Contains(out, "3 from before the chain") {
		t.Fatalf("after the seal: %d %s", code, out)
	}
	if code, out := a.run("verify", "--anchor", "nonsense"); code != 2 {
		t.Fatalf("bad anchor: %d %s", code, out)
	}
}

// TestServeSignsAuditRows: rows the dashboard writes under serve are
// chained under TIPLINE_SECRET_KEY, and verify checks them.
func TestServeSignsAuditRows(t *testing.T) {
	a := &auditCLI{t: t, key: seal.GenerateKey(), url: testdb.URL(t)}
	vars := map[string]string{
		"DATABASE_URL": a.url, "PUBLIC_URL": "https://tipline.example.org", "TIPLINE_SECRET_KEY": a.key,
		"LISTEN_ADDR": "127.0.0.1:0", "LOG_LEVEL": "error",
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs, errs := make(chan string, 1), make(chan error, 1)
	go func() {
		errs <- serveWithEnv(ctx, func(k string) string { return vars[k] }, io.Discard, func(s string) { addrs <- s })
	}()
	var base string
	select {
	case s := <-addrs:
		base = "http://" + s
		waitReady(t, base+"/readyz")
	case err := <-errs:
		t.Fatalf("serve: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	for i := 0; i < 3; i++ { // a refused login is audited (login.failed)
		r, err := http.PostForm(base+"/staff/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password!"}})
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}
	cancel()
	if err := <-errs; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	code, out := a.run("verify")
	if code != 0 || !regexp.MustCompile(`\d+ chained \(([1-9]\d*) MACs checked\)`).MatchString(out) {
		t.Fatalf("verify after serve: %d %s", code, out)
	}
	pool, err := store.Open(context.Background(), a.url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	a.pool = pool
	a.exec(`UPDATE audit_log SET client_addr = '203.0.113.9' WHERE seq = 1`)
	if code, out := a.run("verify"); code != 1 || !strings.Contains(out, "edited: row id "+a.idOfSeq(1)+" (seq 1)") {
		t.Fatalf("edited after serve: %d %s", code, out)
	}
}
