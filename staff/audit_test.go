package staff

import (
	"context"
	"net/http"
	"testing"
)

// TestEveryActionAuditedOnce: each route that views, changes, exports or
// signs in writes exactly one audit row with its action, naming the
// caller and their address.
func TestEveryActionAuditedOnce(t *testing.T) {
	e := newEnv(t)
	ss := samples(e)
	for _, rt := range e.dash.routes {
		if rt.audit == "" {
			continue
		}
		s := ss[rt.pattern]
		c, tok := e.callerClient(rt, s, e.admin)
		req := s.make(e, e.admin)
		before, beforeAction := e.auditTotal(), e.auditCount(rt.audit)
		r := e.send(c, rt, req, tok, nil)
		if r.StatusCode >= 400 {
			t.Errorf("%s: status %d: %s", rt.pattern, r.StatusCode, firstLine(bodyOf(t, r)))
			continue
		}
		if got := e.auditTotal() - before; got != 1 {
			t.Errorf("%s: %d audit rows, want exactly 1", rt.pattern, got)
		}
		if got := e.auditCount(rt.audit) - beforeAction; got != 1 {
			t.Errorf("%s: %d rows with action %q, want 1", rt.pattern, got, rt.audit)
		}
		var email, addr string
		if err := e.pool.QueryRow(context.Background(), `SELECT staff_email, client_addr FROM audit_log ORDER BY id DESC LIMIT 1`).
			Scan(&email, &addr); err != nil {
			t.Fatal(err)
		}
		if email == "" || addr != "127.0.0.1" {
			t.Errorf("%s: audit row names %q from %q", rt.pattern, email, addr)
		}
	}
}

// TestFailedLoginAuditedOnce: a wrong password leaves one row too.
func TestFailedLoginAuditedOnce(t *testing.T) {
	e := newEnv(t)
	before := e.auditCount("login.failed")
	r := e.post(e.client(), "/staff/login", map[string][]string{"email": {adminEmail}, "password": {"wrong password!"}})
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d", r.StatusCode)
	}
	if got := e.auditCount("login.failed") - before; got != 1 {
		t.Fatalf("%d login.failed rows, want 1", got)
	}
}

// TestAuditLogAppendOnly: the database itself refuses to change history.
func TestAuditLogAppendOnly(t *testing.T) {
	e := newEnv(t)
	e.get(e.login(adminEmail), "/staff/tips/"+itoa(e.fx.tipID))
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `UPDATE audit_log SET action = 'x'`); err == nil {
		t.Error("UPDATE of the audit log succeeded")
	}
	if _, err := e.pool.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("DELETE from the audit log succeeded")
	}
	for _, rt := range e.dash.routes {
		if m := methodOf(rt.pattern); m == http.MethodDelete || m == http.MethodPut || m == http.MethodPatch {
			t.Errorf("route %s could edit records", rt.pattern)
		}
	}
}
