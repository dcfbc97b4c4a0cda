package staff

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"tipline/store"
)

// maxResends bounds how often one page is sent again (every 5 minutes
// for an hour).
const maxResends = 12

// pageResendCheck is how often pages are checked for re-sending.
const pageResendCheck = 30 * time.Second

// resendJob sends again each page nobody acknowledged within
// PageResendAfter of its last sending (a schedule job; the scheduler logs
// a failure). Pages are claimed with SKIP LOCKED, so overlapping runs on
// several instances would still send each once.
func (db *Dashboard) resendJob(ctx context.Context, _ time.Time) error {
	n, err := db.ResendPages(ctx)
	if n > 0 {
		slog.Info("staff: pages sent again", "count", n)
	}
	return err
}

// ResendPages queues one more copy of every page due again and returns
// how many pages it re-sent.
func (db *Dashboard) ResendPages(ctx context.Context) (int, error) {
	if len(db.d.PageTargets) == 0 {
		return 0, nil
	}
	due, err := db.store.ResendDuePages(ctx, db.now(), PageResendAfter, maxResends, db.d.PageTargets, db.pageText)
	if err != nil {
		return 0, err
	}
	if len(due) > 0 {
		db.wake()
	}
	return len(due), nil
}

// pageText is a re-sent page: the reason and a dashboard link, never
// message text or an identifier. Several pages due together become one
// summary pointing at the chats list.
func (db *Dashboard) pageText(due []store.DuePage) string {
	if len(due) > 1 {
		base := strings.TrimRight(db.d.PublicURL, "/")
		return "Tipline alert: " + strconv.Itoa(len(due)) + " alerts not yet acknowledged. Open: " + base + "/staff/chats"
	}
	p := due[0]
	what := "High-risk conversation (" + p.Reason + ") needs a staff member."
	path := "chats"
	if p.Reason == "urgent_tip" {
		what = "Urgent sighting tip: the child may be in danger now."
	}
	if p.ConversationPID != "" {
		path = "chats/" + p.ConversationPID
	}
	if p.TipID != nil {
		path = "tips/" + idString(*p.TipID)
	}
	base := strings.TrimRight(db.d.PublicURL, "/")
	return "Tipline alert, not yet acknowledged. " + what + " Open: " + base + "/staff/" + path
}
