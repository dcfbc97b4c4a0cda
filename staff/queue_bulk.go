package staff

import (
	"strconv"

	"github.com/jackc/pgx/v5"

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
	err := c.inTx(func(tx pgx.Tx) error {
		if status != "" {
			if err := db.bulkStatus(c, tx, ids, status); err != nil {
				return err
			}
		}
		if canned != "" {
			return db.bulkReply(c, tx, ids, canned)
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.wake()
	return c.redirect("/staff/tips?done=bulk")
}

func (db *Dashboard) bulkStatus(c *reqCtx, tx pgx.Tx, ids []int64, status string) error {
	changed, err := store.DashBulkSetStatus(c.ctx(), tx, ids, status, c.now)
	if err != nil {
		return err
	}
	for _, id := range changed {
		if err := c.audit(tx, "tip.status", "tip", idString(id), map[string]any{"to": status, "bulk": true}); err != nil {
			return err
		}
	}
	return nil
}

func (db *Dashboard) bulkReply(c *reqCtx, tx pgx.Tx, ids []int64, canned string) error {
	for _, id := range ids {
		t, err := store.DashTipByID(c.ctx(), tx, id)
		if err != nil || !t.CanAnswer {
			continue
		}
		text, _ := cannedText(canned, t.ConversationLang)
		if err := db.replyToTip(c, tx, t, text); err != nil {
			return err
		}
		if err := c.audit(tx, "tip.reply", "tip", idString(id), map[string]any{"canned": canned, "bulk": true}); err != nil {
			return err
		}
	}
	return nil
}

// wake nudges the delivery workers, if wired.
func (db *Dashboard) wake() {
	if db.d.Wake != nil {
		db.d.Wake()
	}
}
