package staff

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTipTextEscaped: a tip holding markup shows as text everywhere.
func TestTipTextEscaped(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE tips SET description = '<script>alert(1)</script>', place_text = '"><img src=x onerror=alert(2)>' WHERE id = $1`, e.fx.tipID)
	c := e.login(reviewerEmail)
	for _, p := range []string{"/staff/tips", "/staff/tips/" + itoa(e.fx.tipID), "/staff/tips/" + itoa(e.fx.tipID) + "/export.html",
		"/staff/tips/export.html", "/staff/cases/" + itoa(e.fx.caseID)} {
		body := bodyOf(t, e.get(c, p))
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: markup from a tip is live", p)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: escaped text missing", p)
		}
	}
	var b strings.Builder
	_ = writeCSV(&b, []string{"a"}, [][]string{{"<script>"}})
	if !strings.Contains(b.String(), "<script>") {
		t.Error("CSV mangles text")
	}
}

// TestCSVFormulasNeutralised: cells that start a formula get a quote.
func TestCSVFormulasNeutralised(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "ok": "ok", "": "", "a=b": "a=b"} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q", in, got)
		}
	}
	e := newEnv(t)
	e.exec(`UPDATE tips SET description = '=HYPERLINK("http://evil.example","x")', place_text = '@SUM(1)' WHERE id = $1`, e.fx.tipID)
	r := e.get(e.login(reviewerEmail), "/staff/tips/export.csv")
	body := bodyOf(t, r)
	if r.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("headers: %v", r.Header)
	}
	if !strings.Contains(body, `"'=HYPERLINK(""http://evil.example"",""x"")"`) || !strings.Contains(body, "'@SUM(1)") {
		t.Errorf("formulas not neutralised:\n%s", body)
	}
	if strings.Contains(body, ",=HYPERLINK") || strings.Contains(body, `,"=HYPERLINK`) {
		t.Error("a live formula left")
	}
}

// TestCSAMHiddenPreservedExcluded: a photo marked as abuse material is
// served to nobody, left out of packages, kept, and NCMEC is named.
func TestCSAMHiddenPreservedExcluded(t *testing.T) {
	e := newEnv(t)
	admin, reviewer := e.login(adminEmail), e.login(reviewerEmail)
	tip := "/staff/tips/" + itoa(e.fx.tipID)
	media := tip + "/media/" + itoa(e.fx.mediaID)
	r := e.get(reviewer, media)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("photo before: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if zipNames(t, e, admin, tip+"/export.zip") != 4 {
		t.Error("package without the photo before marking")
	}
	if r := e.post(reviewer, media+"/csam", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d", r.StatusCode)
	}
	for _, c := range []*http.Client{admin, reviewer} {
		if r := e.get(c, media); r.StatusCode != http.StatusNotFound {
			t.Errorf("marked photo served: %d", r.StatusCode)
		}
	}
	page := bodyOf(t, e.get(admin, tip))
	if strings.Contains(page, "/media/"+itoa(e.fx.mediaID)) || !strings.Contains(page, "https://report.cybertip.org") {
		t.Error("tip page shows the photo or lacks the CyberTipline reminder")
	}
	if n := zipNames(t, e, admin, tip+"/export.zip"); n != 3 {
		t.Errorf("package holds %d files, want 3 (no photo)", n)
	}
	var kept, keep bool
	_ = e.pool.QueryRow(context.Background(), `SELECT csam AND octet_length(data) > 0 FROM tip_media WHERE id = $1`, e.fx.mediaID).Scan(&kept)
	_ = e.pool.QueryRow(context.Background(), `SELECT keep FROM tips WHERE id = $1`, e.fx.tipID).Scan(&keep)
	if !kept || !keep {
		t.Errorf("not preserved: media kept=%v tip keep=%v", kept, keep)
	}
}

func zipNames(t *testing.T, e *env, c *http.Client, path string) int {
	t.Helper()
	r := e.get(c, path)
	b := []byte(bodyOf(t, r))
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, f := range zr.File {
		if f.Name == "SHA256SUMS.txt" {
			rc, _ := f.Open()
			var sums bytes.Buffer
			_, _ = sums.ReadFrom(rc)
			if !strings.Contains(sums.String(), "tip.json") {
				t.Error("hash list incomplete")
			}
		}
	}
	return len(zr.File)
}

// TestContactDetailsAdminsOnly: admins see the decrypted contact (each
// view audited); reviewers never get it.
func TestContactDetailsAdminsOnly(t *testing.T) {
	e := newEnv(t)
	tip := "/staff/tips/" + itoa(e.fx.tipID)
	rev := e.login(reviewerEmail)
	if body := bodyOf(t, e.get(rev, tip)); strings.Contains(body, tipContact) || strings.Contains(body, "/contact") {
		t.Error("reviewer's tip page shows contact details or their link")
	}
	if r := e.get(rev, tip+"/contact"); r.StatusCode != http.StatusForbidden || strings.Contains(bodyOf(t, r), tipContact) {
		t.Errorf("reviewer contact page: %d", r.StatusCode)
	}
	before := e.auditCount("tip.contact_view")
	if body := bodyOf(t, e.get(e.login(adminEmail), tip+"/contact")); !strings.Contains(body, tipContact) {
		t.Error("admin does not see the contact details")
	}
	if e.auditCount("tip.contact_view") != before+1 {
		t.Error("contact view not audited")
	}
}

// TestTwoPersonContactChange: the proposer cannot verify their own change.
func TestTwoPersonContactChange(t *testing.T) {
	e := newEnv(t)
	admin, rev := e.login(adminEmail), e.login(reviewerEmail)
	res := "/staff/resources/" + e.fx.resourceID
	form := url.Values{"url": {"https://report.cybertip.org/new"}, "phone": {"1-800-THE-LOST (1-800-843-5678)"}, "phone_e164": {"+18008435678"}}
	if r := e.post(admin, res+"/contacts", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	if r := e.post(admin, res+"/verify", url.Values{"what": {"contacts"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("proposer verified own change: %d", r.StatusCode)
	}
	got, _ := storeResourceURL(e)
	if got == "https://report.cybertip.org/new" {
		t.Fatal("change visible before verification")
	}
	if r := e.post(rev, res+"/verify", url.Values{"what": {"contacts"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second person: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	if got, by := storeResourceURL(e); got != "https://report.cybertip.org/new" || by != reviewerEmail {
		t.Fatalf("after verification: %s by %s", got, by)
	}
}

func storeResourceURL(e *env) (string, string) {
	var u, by string
	_ = e.pool.QueryRow(context.Background(), `SELECT url, verified_by FROM resources WHERE id = $1`, e.fx.resourceID).Scan(&u, &by)
	return u, by
}

// TestDuplicateMergedView: both tips stay and each page shows the other.
func TestDuplicateMergedView(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	e.post(c, "/staff/tips/"+itoa(e.fx.tip2ID)+"/duplicate", url.Values{"of": {"tipurg1"}})
	if body := bodyOf(t, e.get(c, "/staff/tips/"+itoa(e.fx.tipID))); !strings.Contains(body, "TIPOLD1") || !strings.Contains(body, "Boy on a bike") {
		t.Error("original does not show its duplicate")
	}
	body := bodyOf(t, e.get(c, "/staff/tips/"+itoa(e.fx.tip2ID)))
	if !strings.Contains(body, "Original tip TIPURG1") || !strings.Contains(body, "duplicate") {
		t.Error("duplicate does not show the original")
	}
	if r := e.post(c, "/staff/tips/"+itoa(e.fx.tipID)+"/duplicate", url.Values{"of": {"TIPURG1"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("self-duplicate: %d", r.StatusCode)
	}
}
