package staff

import (
	"strconv"

	"tipline"
	"tipline/store"
)

// tipMerge records a person's confirmation that this tip is the same
// child as another tip (it is merged into it: both kept) or as a case (it
// is linked to it), from a suggestion or typed by hand. A merge that would
// form a cycle is refused with the chain named.
func (db *Dashboard) tipMerge(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	m := store.MergeRequest{IntoCode: c.r.PostFormValue("into"), Reason: c.r.PostFormValue("reason")}
	if m.IntoID, err = formID(c, "into_id"); err != nil {
		return err
	}
	if m.CaseID, err = formID(c, "case"); err != nil {
		return err
	}
	if s := c.r.PostFormValue("score"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 1 {
			return tipline.Errorf(tipline.EInvalid, "the suggestion's score is not a number from 0 to 1")
		}
		m.Score = &f
	}
	if m.IntoID == 0 && m.IntoCode == "" && m.CaseID == 0 {
		return tipline.Errorf(tipline.EInvalid, "name the tip or case this tip is the same child as")
	}
	if _, err := db.store.MergeTip(c.ctx(), c.actor(), id, m); err != nil {
		return err
	}
	if m.CaseID != 0 {
		return c.redirect(tipURL(id, "case"))
	}
	return c.redirect(tipURL(id, "duplicate"))
}

// tipUnmerge undoes a merge shown on this tip's page (either side); the
// merge stays on record as undone, with who, when and why.
func (db *Dashboard) tipUnmerge(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	mid, err := c.pathID("mid")
	if err != nil {
		return err
	}
	if err := db.store.UndoMerge(c.ctx(), c.actor(), id, mid, c.r.PostFormValue("reason")); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "saved"))
}

// formID reads an optional numeric form field (0 when absent).
func formID(c *reqCtx, name string) (int64, error) {
	s := c.r.PostFormValue(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, tipline.Errorf(tipline.EInvalid, "%s is not a row id", name)
	}
	return n, nil
}
