package staff

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/paging"
	"tipline/schedule"
	"tipline/store"
)

// takeoverCheck is how often claims and waits are checked at most; a
// timeout is at most this late. Short timeouts are checked at twice their
// frequency (but not more than once a second).
const takeoverCheck = 30 * time.Second

// check is how often the takeover jobs run.
func (t Takeover) check() time.Duration {
	d := min(takeoverCheck, t.claimIdle()/2, t.repage()/2)
	return max(d, time.Second)
}

// takeoverJobs are the two timeouts of a takeover, run by the one
// scheduler on whichever instance holds the job's turn: idle claims go
// back to the queue, unclaimed high-risk chats page again; and the shifts
// of staff no longer signed in end. They work on PostgreSQL rows (with
// SKIP LOCKED where two runs could meet), so instances agree.
func (db *Dashboard) takeoverJobs() []schedule.Job {
	return []schedule.Job{
		{Name: "claim-idle", Every: db.d.Takeover.check(), Run: func(ctx context.Context, _ time.Time) error {
			_, err := db.ReturnIdleClaims(ctx)
			return err
		}},
		{Name: "high-risk-repage", Every: db.d.Takeover.check(), Run: func(ctx context.Context, _ time.Time) error {
			_, err := db.RepageUnclaimed(ctx)
			return err
		}},
		{Name: "shift-end", Every: pageResendCheck, Run: func(ctx context.Context, _ time.Time) error {
			_, err := db.store.EndAbandonedShifts(ctx, db.now())
			return err
		}},
	}
}

// ReturnIdleClaims hands every claim idle for CLAIM_IDLE back to the queue
// (nothing is sent to the youth) and returns how many it handed back.
func (db *Dashboard) ReturnIdleClaims(ctx context.Context) (int, error) {
	pids, err := db.store.ReturnIdleClaims(ctx, db.now(), db.d.Takeover.claimIdle())
	if len(pids) > 0 {
		slog.Info("staff: idle claims returned to the queue", "count", len(pids))
	}
	return len(pids), err
}

// RepageUnclaimed pages again, once per wait, for every high-risk chat
// left unclaimed for HIGH_RISK_REPAGE, to the secondary destinations when
// set. It returns how many chats it re-paged.
func (db *Dashboard) RepageUnclaimed(ctx context.Context) (int, error) {
	targets := db.d.Takeover.RepageTargets
	if len(targets) == 0 {
		targets = db.d.PageTargets
	}
	now := db.now()
	got, err := db.store.RepageWaiting(ctx, now, db.d.Takeover.repage(), func(r store.Repage) []store.PageMessage {
		out := make([]store.PageMessage, 0, len(targets))
		for _, t := range targets {
			out = append(out, store.PageMessage{Target: t, Channel: pageChannel(t), Body: "page:unclaimed",
				Reply: tipline.Reply{Text: db.repageText(r, now)}, Summary: db.repageSummary})
		}
		return out
	}, paging.DefaultInterval)
	if len(got) > 0 {
		slog.Info("staff: unclaimed high-risk chats paged again", "count", len(got))
		db.wake()
	}
	return len(got), err
}

// repageText names the wait and links the chat: never message text or an
// identifier.
func (db *Dashboard) repageText(r store.Repage, now time.Time) string {
	base := strings.TrimRight(db.d.PublicURL, "/")
	mins := strconv.Itoa(int(now.Sub(r.WaitingSince) / time.Minute))
	what := "A high-risk conversation"
	if r.Category != "" {
		what += " (" + r.Category + ")"
	}
	return "Tipline alert: " + what + " has waited " + mins + " min and nobody has claimed it. Open: " + base + "/staff/chats/" + r.PublicID
}

func (db *Dashboard) repageSummary(n int) (string, any) {
	base := strings.TrimRight(db.d.PublicURL, "/")
	text := "Tipline alert: " + strconv.Itoa(n) + " more high-risk conversations wait unclaimed. Open: " + base + "/staff/queue-health"
	return "page:summary:" + strconv.Itoa(n), tipline.Reply{Text: text}
}

// pageChannel is the channel a page destination is reached on: Telegram
// for "telegram" and "telegram-secondary", SMS for the numbers.
func pageChannel(target string) tipline.Channel {
	if strings.HasPrefix(target, "telegram") {
		return tipline.ChannelTelegram
	}
	return tipline.ChannelSMS
}
