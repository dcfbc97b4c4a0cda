package staff

import (
	"net/url"
	"time"

	"tipline/store"
)

// addGallerySamples gives the case gallery's routes requests that succeed.
func addGallerySamples(m map[string]sample, cs string) {
	m["GET /staff/cases/{id}/gallery"] = get(cs + "/gallery")
	m["POST /staff/cases/{id}/gallery"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		e.exec(`UPDATE cases SET status = 'active', closed_at = NULL WHERE id = $1`, e.fx.caseID)
		return formReq(cs+"/gallery", galleryForm(false))
	}}
	m["POST /staff/cases/{id}/gallery/approve"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		pendingGallery(e, e.victim().ID, false)
		return formReq(cs+"/gallery/approve", url.Values{"checked": {"1"}})
	}}
	m["POST /staff/cases/{id}/gallery/withdraw"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		pendingGallery(e, e.victim().ID, false)
		return formReq(cs+"/gallery/withdraw", nil)
	}}
}

// galleryForm is a complete proposal.
func galleryForm(abuse bool) url.Values {
	v := url.Values{"public_name": {"Ana"}, "public_city": {"Newark, NJ"}, "consent_by": {"mother"},
		"consent_note": {"signed form, 2026-11-21"}, "police_report": {"NPD-2026-4411"},
		"review_date": {time.Now().AddDate(0, 0, 30).Format(time.DateOnly)}}
	if abuse {
		v.Set("abuse_disclosed", "1")
	}
	return v
}

// pendingGallery makes the fixture case active and public with a proposal
// by proposer waiting for approval.
func pendingGallery(e *env, proposer int64, abuse bool) {
	e.exec(`UPDATE cases SET status = 'active', public = true, closed_at = NULL WHERE id = $1`, e.fx.caseID)
	e.exec(`INSERT INTO case_gallery (case_id, public_name, public_city, consent_by, consent_note, police_report,
		review_date, abuse_disclosed, proposed_by, proposed_at)
		VALUES ($1, 'Ana', 'Newark, NJ', 'mother', 'signed form', 'NPD-1', current_date + 30, $2, $3, now())
		ON CONFLICT (case_id) DO UPDATE SET abuse_disclosed = $2, proposed_by = $3, approved_by = NULL,
		approved_at = NULL, withdrawn_at = NULL, safeguarding_review = '', photo = NULL, photo_type = ''`,
		e.fx.caseID, abuse, proposer)
}
