package staff

import (
	"strings"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/staffreply"
	"tipline/store"
)

// tipReply sends a written or canned reply to the tipster through the
// bot; the tipster never learns who wrote it. The audit row records that
// a reply was sent, not its text.
func (db *Dashboard) tipReply(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.r.PostFormValue("text"))
	canned := c.r.PostFormValue("canned")
	err = c.inTx(func(tx pgx.Tx) error {
		t, err := store.DashTipByID(c.ctx(), tx, id)
		if err != nil {
			return err
		}
		if !t.CanAnswer {
			return tipline.Errorf(tipline.EConflict, "this tip can no longer be answered: %s", t.AnswerBlocker)
		}
		if canned != "" && text == "" {
			var ok bool
			if text, ok = cannedText(canned, t.ConversationLang); !ok {
				return tipline.Errorf(tipline.EInvalid, "unknown canned reply")
			}
		}
		if text == "" {
			return tipline.Errorf(tipline.EInvalid, "write a reply or choose a canned one")
		}
		if err := db.replyToTip(c, tx, t, text); err != nil {
			return err
		}
		return c.audit(tx, "tip.reply", "tip", idString(id), map[string]any{"canned": canned, "chars": len(text)})
	})
	if err != nil {
		return err
	}
	db.wake()
	return c.redirect(tipURL(id, "reply"))
}

// replyToTip queues a staff reply to the tip's reporter: the one way to
// answer a tipster (staffreply.ToTip), for single and bulk replies alike.
func (db *Dashboard) replyToTip(c *reqCtx, tx pgx.Tx, t store.DashTipDetail, text string) error {
	_, err := staffreply.ToTip(c.ctx(), tx, t.ID, c.staff.ID, text, c.now)
	return err
}
