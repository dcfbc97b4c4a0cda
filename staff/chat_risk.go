package staff

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"tipline/store"
)

// riskView is what the chat page shows about one inbound message: why the
// risk screen flagged it (level, categories, reasons) and any review mark.
// Reasons may quote the message's words: shown to staff, never logged.
type riskView struct {
	Level      string // "concern", "danger", or "" when the screen flagged nothing
	Categories string
	Lang       string
	Score      string
	Reasons    []string
	Mark       string // store.RiskMarkMissed, store.RiskMarkFalseAlarm or ""
	MarkedBy   string
	MarkedAt   *time.Time
}

// markLabels name the review marks on the page.
var markLabels = map[string]string{store.RiskMarkMissed: "missed risk", store.RiskMarkFalseAlarm: "false alarm"}

// chatRisks loads the risk views of chat's inbound messages, by message id.
func (db *Dashboard) chatRisks(c *reqCtx, chat store.DashChat) (map[int64]riskView, error) {
	risks, err := db.store.ChatRisks(c.ctx(), chat)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]riskView, len(risks))
	for id, r := range risks {
		out[id] = newRiskView(r)
	}
	return out, nil
}

func newRiskView(r store.MessageRisk) riskView {
	v := riskView{Level: r.Level, Categories: strings.Join(r.Categories, ", "), Lang: r.Lang,
		Mark: markLabels[r.Mark], MarkedBy: r.MarkedBy, MarkedAt: r.MarkedAt}
	if r.Level != "" {
		v.Score = fmt.Sprintf("%.2f", r.Score)
	}
	for _, x := range r.Reasons {
		switch {
		case x.Layer == "model":
			v.Reasons = append(v.Reasons, fmt.Sprintf("classifier feature %q (%+.2f)", x.Evidence, x.Weight))
		default:
			line := "rule " + x.Rule
			if len(x.Concepts) > 0 {
				line += ": " + strings.Join(x.Concepts, " + ")
			}
			if x.Evidence != "" {
				line += fmt.Sprintf(" (%q)", x.Evidence)
			}
			v.Reasons = append(v.Reasons, line)
		}
	}
	return v
}

// chatRiskMark marks an inbound message of a flagged chat "missed risk" or
// "false alarm" (or clears the mark) for review; audited.
func (db *Dashboard) chatRiskMark(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	mid, err := c.pathID("mid")
	if err != nil {
		return err
	}
	if err := db.store.MarkRisk(c.ctx(), c.actor(), chat, mid, c.r.PostFormValue("mark")); err != nil {
		return err
	}
	return c.redirect(fmt.Sprintf("/staff/chats/%s?done=saved#m%d", chat.PublicID, mid))
}

// riskMarks lists the marked messages, with their text and the screen's
// decision, for an admin to add to the corpus by hand; audited.
func (db *Dashboard) riskMarks(c *reqCtx) error {
	list, err := db.store.RiskMarks(c.ctx(), c.actor(), 500)
	if err != nil {
		return err
	}
	type row struct {
		store.MarkedMessage
		View riskView
	}
	rows := make([]row, len(list))
	for i, m := range list {
		rows[i] = row{MarkedMessage: m, View: newRiskView(m.MessageRisk)}
	}
	c.render(http.StatusOK, "risk_marks", "Risk marks for review", map[string]any{"Marks": rows})
	return nil
}
