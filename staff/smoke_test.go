package staff

import (
	"net/http"
	"strings"
	"testing"
)

func TestSmokePages(t *testing.T) {
	e := newEnv(t)
	c := e.login(adminEmail)
	for _, p := range []string{"/staff/tips", "/staff/tips/" + itoa(e.fx.tipID), "/staff/chats", "/staff/chats/" + e.fx.chatPID,
		"/staff/cases", "/staff/cases/" + itoa(e.fx.caseID), "/staff/cases/" + itoa(e.fx.caseID) + "/poster",
		"/staff/resources", "/staff/resources/" + e.fx.resourceID, "/staff/audit", "/staff/people", "/staff/account",
		"/staff/tips/chart.svg", "/staff/cases/new"} {
		r := e.get(c, p)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %s", p, r.StatusCode, firstLine(bodyOf(t, r)))
		}
	}
}

func firstLine(s string) string {
	if i := strings.Index(s, "alert"); i >= 0 {
		return s[i:min(len(s), i+200)]
	}
	return s[:min(len(s), 200)]
}
