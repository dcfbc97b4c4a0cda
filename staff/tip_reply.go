package staff

import (
	"context"
	"strings"

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
	err = db.store.ReplyToTip(c.ctx(), c.actor(), id, store.TipReply{Canned: canned,
		Text: func(t store.DashTipDetail) (string, error) {
			return replyText(text, canned, t.ConversationLang)
		},
		Send: func(_ context.Context, tx store.Tx, t store.DashTipDetail, text string) error {
			return db.replyToTip(c, tx, t, text)
		}})
	if err != nil {
		return err
	}
	db.wake()
	return c.redirect(tipURL(id, "reply"))
}

// replyText is what a reply form sends: the written text, else the canned
// reply chosen, in the tipster's language.
func replyText(text, canned, lang string) (string, error) {
	if canned != "" && text == "" {
		var ok bool
		if text, ok = cannedText(canned, lang); !ok {
			return "", tipline.Errorf(tipline.EInvalid, "unknown canned reply")
		}
	}
	if text == "" {
		return "", tipline.Errorf(tipline.EInvalid, "write a reply or choose a canned one")
	}
	return text, nil
}

// replyToTip queues a staff reply to the tip's reporter: the one way to
// answer a tipster (staffreply.ToTip), for single and bulk replies alike.
func (db *Dashboard) replyToTip(c *reqCtx, tx store.Tx, t store.DashTipDetail, text string) error {
	_, err := staffreply.ToTip(c.ctx(), tx, t.ID, c.staff.ID, text, c.now)
	return err
}
