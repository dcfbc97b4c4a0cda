package staff

// exportChatHTML is one conversation as a printable page for law
// enforcement or a partner agency: who it is known as (the alias only),
// its channel, language, country and risk level; the transcript with each
// message's risk outcome (level and category codes, not the reasons); and,
// for a youth, the consent and escalation record (docs/design.md section
// 9). Emergency disclosures are never exported. Audited, with the number
// of messages and record entries.
func (db *Dashboard) exportChatHTML(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	msgs, err := db.store.Messages(c.ctx(), chat.ID)
	if err != nil {
		return err
	}
	lines, err := db.transcript(c.ctx(), msgs, chat.Lang)
	if err != nil {
		return err
	}
	risks, err := db.store.ChatRisks(c.ctx(), chat)
	if err != nil {
		return err
	}
	rec, err := db.store.Escalation(c.ctx(), chat)
	if err != nil {
		return err
	}
	if err := c.record("export.chat_html", "conversation", chat.PublicID,
		map[string]any{"messages": len(msgs), "escalation_entries": len(rec.Entries)}); err != nil {
		return err
	}
	outcomes := make(map[int64]string, len(risks))
	for id, r := range risks {
		outcomes[id] = newRiskView(r).Level + " " + newRiskView(r).Categories
	}
	return c.renderBare("chat_export", map[string]any{
		"Title": "Chat " + chat.Alias, "Generated": fmtTime(c.now, db.d.Location), "By": c.staff.Email,
		"Chat": chat, "Messages": lines, "Outcomes": outcomes, "Record": rec, "Youth": chat.Kind != "tipster",
	})
}
