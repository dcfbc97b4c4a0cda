package staff

import (
	"net/http"
	"time"

	"tipline"
	"tipline/store"
)

// chatEscalation shows a youth conversation's consent and escalation
// record: the risk categories disclosed, the exceptions invoked and why,
// who was told and when, whether the youth was told, the legal hold; and
// the emergency disclosure requests. Every view is audited.
func (db *Dashboard) chatEscalation(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	rec, err := db.store.Escalation(c.ctx(), chat)
	if err != nil {
		return err
	}
	disclosures, err := db.store.Disclosures(c.ctx(), chat)
	if err != nil {
		return err
	}
	if err := c.record("escalation.view", "conversation", chat.PublicID, nil); err != nil {
		return err
	}
	c.render(http.StatusOK, "escalation", "Escalation record", map[string]any{"Chat": chat, "Record": rec,
		"Disclosures": disclosures, "MyID": c.staff.ID,
		"Exceptions": store.EscalationExceptions, "Now": c.now.In(db.d.Location).Format("2006-01-02T15:04")})
	return nil
}

// chatEscalationAdd appends an entry to the record.
func (db *Dashboard) chatEscalationAdd(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	x := store.EscalationEntry{Kind: c.r.PostFormValue("kind"), Exception: c.r.PostFormValue("exception"),
		Reason: c.r.PostFormValue("reason"), ToldWhom: c.r.PostFormValue("told_whom")}
	if v := c.r.PostFormValue("told_at"); v != "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", v, db.d.Location)
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "when: use the date and time picker")
		}
		x.ToldAt = &at
	}
	if err := db.store.AddEscalation(c.ctx(), c.actor(), chat, x); err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "/escalation?done=saved")
}

// chatEscalationHold places or lifts the legal hold that keeps the record
// after the conversation is erased.
func (db *Dashboard) chatEscalationHold(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	hold := c.r.PostFormValue("hold") == "1"
	if err := db.store.SetEscalationHold(c.ctx(), c.actor(), chat, hold, c.r.PostFormValue("reason")); err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "/escalation?done=hold")
}
