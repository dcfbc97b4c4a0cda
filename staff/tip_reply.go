package staff

import (
	"context"
	"strings"

	"tipline"
	"tipline/flows"
	"tipline/sms"
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
	if refused, err := db.checkTipReply(c, id, text, canned); refused || err != nil {
		return err
	}
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

// checkTipReply checks a reply before it is queued (checkDraft: the SMS
// budget of the whole message with its header, numbers the directory
// does not hold); when it cannot go as it is, the tip page is shown again
// with the text in its box and refused is true.
func (db *Dashboard) checkTipReply(c *reqCtx, id int64, text, canned string) (refused bool, err error) {
	t, err := db.store.Tip(c.ctx(), id)
	if err != nil {
		return false, err
	}
	body, err := replyText(text, canned, t.ConversationLang)
	if err != nil {
		return true, db.showTip(c, id, draft{Text: text, Canned: canned, Problem: tipline.Message(err)})
	}
	if p, err := db.tipWhatsAppProblem(c, t); err != nil {
		return false, err
	} else if p != "" {
		return true, db.showTip(c, id, draft{Text: text, Canned: canned, Problem: p})
	}
	sent := sms.Render(flows.StaffReplyText(t.ConversationLang, t.Code, body))
	d, ok, err := db.checkDraft(c.ctx(), t.Channel, sent, body, c.r.PostFormValue("confirm_numbers"))
	if err != nil || ok {
		return false, err
	}
	d.Text, d.Canned = text, canned
	return true, db.showTip(c, id, d)
}

// replyPrefix is what every reply to the tipster of t starts with (who it
// is from and the tip ID, in their language), for the live segment count.
func replyPrefix(t store.DashTipDetail) string {
	return flows.StaffReplyText(t.ConversationLang, t.Code, "").Text
}
