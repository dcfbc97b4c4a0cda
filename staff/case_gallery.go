package staff

import (
	"net/http"
	"strings"
	"time"

	"tipline"
	"tipline/media"
	"tipline/store"
)

// galleryPage is what the case's gallery page shows staff.
type galleryPage struct {
	Case       store.DashCase
	Record     store.GalleryRecord
	Has        bool
	State      string // "", pending, published, expired, withdrawn
	CanApprove bool   // pending, and the caller did not propose it
	Form       store.GalleryProposal
	ReviewDate string // the form's review date, YYYY-MM-DD
	MinDate    string
	MaxDate    string
}

// today is the date in the line's time zone.
func (db *Dashboard) today() time.Time { return db.now().In(db.d.Location) }

// caseGallery shows a case's public gallery record and the forms to
// propose it, approve it (a second staff member) or withdraw it.
func (db *Dashboard) caseGallery(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	cs, err := db.store.Case(c.ctx(), id)
	if err != nil {
		return err
	}
	g, has, err := db.store.GalleryRecord(c.ctx(), id)
	if err != nil {
		return err
	}
	today := db.today()
	p := galleryPage{Case: cs, Record: g, Has: has, Form: g.GalleryProposal,
		MinDate: today.AddDate(0, 0, 1).Format(time.DateOnly), MaxDate: today.Add(store.MaxGalleryReview).Format(time.DateOnly)}
	if has {
		p.State = g.GalleryState(today)
		p.CanApprove = p.State == "pending" && (g.ProposedBy == nil || *g.ProposedBy != c.staff.ID)
		p.ReviewDate = g.ReviewDate.Format(time.DateOnly)
	} else {
		p.Form.PublicName = cs.DisplayName
		p.ReviewDate = today.AddDate(0, 0, 90).Format(time.DateOnly)
	}
	c.render(http.StatusOK, "case_gallery", "Gallery: case "+cs.Number, p)
	return nil
}

// caseGalleryPropose records a proposal to show the case in the gallery.
func (db *Dashboard) caseGalleryPropose(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(c.r.PostFormValue(k)) }
	review, err := time.ParseInLocation(time.DateOnly, f("review_date"), db.d.Location)
	if err != nil {
		return tipline.Errorf(tipline.EInvalid, "the review date must be a date")
	}
	p := store.GalleryProposal{PublicName: f("public_name"), PublicCity: f("public_city"),
		ConsentBy: f("consent_by"), ConsentNote: f("consent_note"), PoliceReport: f("police_report"),
		ReviewDate: review, AbuseDisclosed: f("abuse_disclosed") == "1"}
	if err := db.store.ProposeGallery(c.ctx(), c.actor(), id, p, db.today()); err != nil {
		return err
	}
	return c.redirect(galleryURL(id, "proposed"))
}

// caseGalleryApprove publishes a proposal another staff member made, with
// the case photo re-encoded once more (no metadata) as the public copy.
func (db *Dashboard) caseGalleryApprove(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if c.r.PostFormValue("checked") != "1" {
		return tipline.Errorf(tipline.EInvalid, "confirm that you checked the consent and the police report")
	}
	ap := store.GalleryApproval{SafeguardingReview: c.r.PostFormValue("safeguarding_review")}
	data, ct, err := db.store.CasePhoto(c.ctx(), id)
	switch {
	case tipline.Code(err) == tipline.ENotFound:
	case err != nil:
		return err
	default:
		img, err := media.Process(data, ct, media.Limits{})
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "the case photo could not be prepared: upload it again")
		}
		ap.Photo, ap.PhotoType = img.Stripped, img.ContentType
	}
	if err := db.store.ApproveGallery(c.ctx(), c.actor(), id, ap, db.today()); err != nil {
		return err
	}
	return c.redirect(galleryURL(id, "verified"))
}

// caseGalleryWithdraw takes the case out of the gallery at once.
func (db *Dashboard) caseGalleryWithdraw(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := db.store.WithdrawGallery(c.ctx(), c.actor(), id); err != nil {
		return err
	}
	return c.redirect(galleryURL(id, "published"))
}

// galleryRoutes are the case gallery's staff routes.
func (db *Dashboard) galleryRoutes() []route {
	return []route{
		{pattern: "GET /staff/cases/{id}/gallery", access: anyRole, audit: "case.gallery_view", read: "case", h: db.caseGallery},
		{pattern: "POST /staff/cases/{id}/gallery", access: anyRole, audit: "gallery.propose", h: db.caseGalleryPropose},
		{pattern: "POST /staff/cases/{id}/gallery/approve", access: anyRole, audit: "gallery.approve", h: db.caseGalleryApprove},
		{pattern: "POST /staff/cases/{id}/gallery/withdraw", access: anyRole, audit: "gallery.withdraw", h: db.caseGalleryWithdraw},
	}
}

// galleryURL is a case's gallery page with a flash message key.
func galleryURL(id int64, done string) string {
	return "/staff/cases/" + idString(id) + "/gallery?done=" + done
}
