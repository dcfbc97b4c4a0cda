package staff

import (
	"context"
	"strconv"

	"tipline"
	"tipline/store"
)

// bulk applies a status and/or a canned reply to the selected tips, for
// surges. Each tip changed gets its own audit row, so every tip's record
// is complete; a canned reply goes only where a reply can still reach.
func (db *Dashboard) bulk(c *reqCtx) error {
	if err := c.r.ParseForm(); err != nil {
		return tipline.Errorf(tipline.EInvalid, "bad form")
	}
	var ids []int64
	for _, s := range c.r.PostForm["id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && len(ids) < 500 {
			ids = append(ids, id)
		}
	}
	status, canned := c.r.PostFormValue("status"), c.r.PostFormValue("canned")
	if len(ids) == 0 || (status == "" && canned == "") {
		return tipline.Errorf(tipline.EInvalid, "select tips and an action")
	}
	if canned != "" {
		if _, ok := cannedText(canned, "en"); !ok {
			return tipline.Errorf(tipline.EInvalid, "unknown canned reply")
		}
	}
	if err := db.store.Bulk(c.ctx(), c.actor(), ids, status, db.bulkReply(c, canned)); err != nil {
		return err
	}
	db.wake()
	return c.redirect("/staff/tips?done=bulk")
}

// bulkReply is the canned reply of a bulk action, in each tip's language,
// sent the way every staff reply is (nil when no reply was chosen).
func (db *Dashboard) bulkReply(c *reqCtx, canned string) *store.TipReply {
	if canned == "" {
		return nil
	}
	return &store.TipReply{Canned: canned,
		Text: func(t store.DashTipDetail) (string, error) {
			text, _ := cannedText(canned, t.ConversationLang)
			return text, nil
		},
		Send: func(_ context.Context, tx store.Tx, t store.DashTipDetail, text string) error {
			return db.replyToTip(c, tx, t, text)
		}}
}

// wake nudges the delivery workers, if wired.
func (db *Dashboard) wake() {
	if db.d.Wake != nil {
		db.d.Wake()
	}
}
