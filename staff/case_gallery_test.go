package staff

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestGalleryNeedsASecondStaffMember: the proposer cannot approve; the
// other staff member can, and the approval keeps a photo copy; a proposal
// missing the consent or the police report is refused.
func TestGalleryNeedsASecondStaffMember(t *testing.T) {
	e := newEnv(t)
	cs := "/staff/cases/" + itoa(e.fx.caseID)
	e.exec(`UPDATE cases SET status = 'active', public = true, photo = $2, photo_type = 'image/png' WHERE id = $1`,
		e.fx.caseID, tinyPNG(t))
	admin, reviewer := e.login(adminEmail), e.login(reviewerEmail)
	bad := galleryForm(false)
	bad.Del("police_report")
	if r := e.post(admin, cs+"/gallery", bad); r.StatusCode != http.StatusBadRequest &&
		r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no police report: status %d", r.StatusCode)
	}
	if r := e.post(admin, cs+"/gallery", galleryForm(false)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("propose: status %d: %s", r.StatusCode, bodyOf(t, r))
	}
	if r := e.post(admin, cs+"/gallery/approve", url.Values{"checked": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("proposer approves: status %d", r.StatusCode)
	}
	page := bodyOf(t, e.get(reviewer, cs+"/gallery"))
	if !strings.Contains(page, `id="approve"`) {
		t.Fatal("the second staff member is not offered the approval")
	}
	if r := e.post(reviewer, cs+"/gallery/approve", url.Values{"checked": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: status %d: %s", r.StatusCode, bodyOf(t, r))
	}
	var approved, photo bool
	if err := e.pool.QueryRow(context.Background(), `SELECT approved_by = $2, photo IS NOT NULL FROM case_gallery
		WHERE case_id = $1`, e.fx.caseID, e.reviewer.ID).Scan(&approved, &photo); err != nil || !approved || !photo {
		t.Fatalf("approved by the reviewer %v, photo copy %v, err %v", approved, photo, err)
	}
	if n := e.auditCount("gallery.approve"); n != 1 {
		t.Fatalf("%d gallery.approve audit rows", n)
	}
}

// TestGalleryAbuseNeedsReview: a child who disclosed abuse at home is not
// published without the approver's safeguarding review, and the database
// itself refuses such an approval.
func TestGalleryAbuseNeedsReview(t *testing.T) {
	e := newEnv(t)
	cs := "/staff/cases/" + itoa(e.fx.caseID)
	pendingGallery(e, e.admin.ID, true)
	reviewer := e.login(reviewerEmail)
	if r := e.post(reviewer, cs+"/gallery/approve", url.Values{"checked": {"1"}}); r.StatusCode < 400 {
		t.Fatalf("approved without a safeguarding review: status %d", r.StatusCode)
	}
	_, err := e.pool.Exec(context.Background(), `UPDATE case_gallery SET approved_by = $2, approved_at = now()
		WHERE case_id = $1`, e.fx.caseID, e.reviewer.ID)
	if err == nil {
		t.Fatal("the database took an approval without the review")
	}
	r := e.post(reviewer, cs+"/gallery/approve", url.Values{"checked": {"1"},
		"safeguarding_review": {"Police and the caseworker agree: the father is in custody; no risk from home."}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("with the review: status %d: %s", r.StatusCode, bodyOf(t, r))
	}
}

// TestGalleryLeavesWhenTheCaseCloses: closing the case withdraws its
// gallery record and deletes the photo copy.
func TestGalleryLeavesWhenTheCaseCloses(t *testing.T) {
	e := newEnv(t)
	pendingGallery(e, e.admin.ID, false)
	e.exec(`UPDATE case_gallery SET approved_by = $2, approved_at = now(), photo = '\x00'::bytea,
		photo_type = 'image/png' WHERE case_id = $1`, e.fx.caseID, e.reviewer.ID)
	admin := e.login(adminEmail)
	if r := e.post(admin, "/staff/cases/"+itoa(e.fx.caseID)+"/close", url.Values{"status": {"found"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: status %d", r.StatusCode)
	}
	var withdrawn, photo bool
	if err := e.pool.QueryRow(context.Background(), `SELECT withdrawn_at IS NOT NULL, photo IS NOT NULL
		FROM case_gallery WHERE case_id = $1`, e.fx.caseID).Scan(&withdrawn, &photo); err != nil || !withdrawn || photo {
		t.Fatalf("withdrawn %v, photo kept %v, err %v", withdrawn, photo, err)
	}
}
