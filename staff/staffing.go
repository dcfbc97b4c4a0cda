package staff

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"tipline/staffing"
	"tipline/store"
)

// Takeover is how staff take over conversations (docs/design.md section
// 9): the hours people answer, when an idle claim returns to the queue,
// and when and where an unclaimed high-risk chat pages again.
type Takeover struct {
	// Hours are STAFF_HOURS; the zero value means no hours set.
	Hours staffing.Hours
	// ClaimIdle returns a claim with no activity by its holder for this
	// long to the queue (CLAIM_IDLE); 0 means DefaultClaimIdle.
	ClaimIdle time.Duration
	// Repage pages again for a high-risk chat left unclaimed this long
	// (HIGH_RISK_REPAGE); 0 means DefaultRepage.
	Repage time.Duration
	// RepageTargets are the page destinations of a re-page: the secondary
	// ones when configured, else Deps.PageTargets.
	RepageTargets []string
}

// The defaults of the takeover settings.
const (
	DefaultClaimIdle = 15 * time.Minute
	DefaultRepage    = 5 * time.Minute
)

func (t Takeover) claimIdle() time.Duration {
	if t.ClaimIdle > 0 {
		return t.ClaimIdle
	}
	return DefaultClaimIdle
}

func (t Takeover) repage() time.Duration {
	if t.Repage > 0 {
		return t.Repage
	}
	return DefaultRepage
}

func (db *Dashboard) staffingRoutes() []route {
	return []route{
		{pattern: "GET /staff/queue-health", access: anyRole, h: db.queueHealth},
		{pattern: "GET /staff/conversations", access: anyRole, h: db.conversations},
		{pattern: "POST /staff/shift", access: anyRole, audit: "shift.start", h: db.shiftStart},
		{pattern: "POST /staff/shift/end", access: anyRole, audit: "shift.end", h: db.shiftEnd},
		{pattern: "GET /staff/chats/{pid}/escalation", access: anyRole, audit: "escalation.view", h: db.chatEscalation},
		{pattern: "GET /staff/chats/{pid}/export.html", access: anyRole, audit: "export.chat_html", h: db.exportChatHTML},
		{pattern: "POST /staff/chats/{pid}/escalation", access: anyRole, audit: "escalation.record", h: db.chatEscalationAdd},
		{pattern: "POST /staff/chats/{pid}/escalation/hold", access: anyRole, audit: "escalation.legal_hold", h: db.chatEscalationHold},
		{pattern: "POST /staff/chats/{pid}/disclosure", access: anyRole, audit: "disclosure.request", h: db.chatDisclosureRequest},
		{pattern: "POST /staff/chats/{pid}/disclosure/{id}/confirm", access: anyRole, audit: "disclosure.confirm", h: db.chatDisclosureConfirm},
		{pattern: "POST /staff/chats/{pid}/disclosure/{id}/reveal", access: anyRole, audit: "disclosure.reveal", h: db.chatDisclosureReveal},
	}
}

// shiftStart puts the caller on shift for the languages ticked (all when
// none is); every instance sees it (the shift is a row in PostgreSQL).
func (db *Dashboard) shiftStart(c *reqCtx) error {
	if err := c.r.ParseForm(); err != nil {
		return err
	}
	if err := db.store.StartShift(c.ctx(), c.actor(), c.r.PostForm["lang"]); err != nil {
		return err
	}
	return c.redirect("/staff/queue-health?done=saved")
}

// shiftEnd takes the caller off shift.
func (db *Dashboard) shiftEnd(c *reqCtx) error {
	if err := db.store.EndShift(c.ctx(), c.actor()); err != nil {
		return err
	}
	return c.redirect("/staff/queue-health?done=saved")
}

// queueRow is one chat on the panel with its waits spelled out.
type queueRow struct {
	store.QueuedChat
	Waited     string // since it started waiting (or was claimed)
	Unanswered string // since its oldest unanswered message ("" none)
	Idle       string // since its holder's last action (claimed chats)
}

// langOpen is one language's state on the panel.
type langOpen struct {
	Lang      string
	Open      bool // within its hours
	OnShift   int
	Available bool
}

// queueHealth is the panel: chats waiting for a person (high-risk first)
// with their waits, the chats staff hold, who is on shift, whether each
// language is staffed now, the oldest unanswered message and the pages
// nobody acknowledged. It shows no message text, so it writes no audit row.
func (db *Dashboard) queueHealth(c *reqCtx) error {
	q, err := db.store.QueueHealth(c.ctx(), 200)
	if err != nil {
		return err
	}
	now := c.now
	rows := func(cs []store.QueuedChat) []queueRow {
		out := make([]queueRow, 0, len(cs))
		for _, x := range cs {
			r := queueRow{QueuedChat: x, Waited: ago(now, &x.Since), Unanswered: ago(now, x.Unanswered), Idle: ago(now, x.ActiveAt)}
			out = append(out, r)
		}
		return out
	}
	mine := false
	langs := make([]langOpen, 0, len(store.ShiftLangs))
	for _, l := range store.ShiftLangs {
		n := 0
		for _, s := range q.Shifts {
			if slices.Contains(s.Langs, l) {
				n++
			}
		}
		langs = append(langs, langOpen{Lang: l, Open: db.d.Takeover.Hours.Open(l, now), OnShift: n,
			Available: staffing.Available(db.d.Takeover.Hours, l, now, n)})
	}
	checked := map[string]bool{"en": true, "es": true, "fr": true} // going on shift: all by default
	for _, s := range q.Shifts {
		if s.StaffID == c.staff.ID {
			mine, checked = true, map[string]bool{}
			for _, l := range s.Langs {
				checked[l] = true
			}
		}
	}
	c.render(http.StatusOK, "queue_health", "Queue health", map[string]any{
		"Waiting": rows(q.Waiting), "Claimed": rows(q.Claimed), "Shifts": q.Shifts, "OnShift": mine, "Checked": checked,
		"Langs": langs, "Hours": db.d.Takeover.Hours.String(), "Oldest": ago(now, q.OldestUnanswered),
		"UnackedPages": q.UnackedPages, "ClaimIdle": db.d.Takeover.claimIdle().String(), "Repage": db.d.Takeover.repage().String(),
	})
	return nil
}

// conversations lists recent conversations of every kind, flagged or not,
// for a staff member to open and take over (no message text).
func (db *Dashboard) conversations(c *reqCtx) error {
	chats, err := db.store.RecentChats(c.ctx(), 200)
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "conversations", "Conversations", map[string]any{"Chats": chats})
	return nil
}

// ago says how long before now t was, in whole minutes ("" for nil).
func ago(now time.Time, t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	d := now.Sub(*t)
	if d < time.Minute {
		return "under 1 min"
	}
	if d < time.Hour {
		return strconv.Itoa(int(d/time.Minute)) + " min"
	}
	return strconv.Itoa(int(d/time.Hour)) + " h " + strconv.Itoa(int(d%time.Hour/time.Minute)) + " min"
}
