// Package paging alerts staff: a page records why a conversation or a tip
// needs a person now, and queues a message to every staff destination (a
// Telegram group, SMS numbers), throttled per destination so that a burst
// is summarised instead of flooding the group. A page holds no message
// text and no identifier, only a dashboard link (docs/design.md, rule 12).
// The turn queues pages in its transaction; the outbox sends them; the
// dashboard re-sends unacknowledged ones.
package paging

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/store"
)

// DefaultInterval is the least time between two pages to one destination.
const DefaultInterval = 10 * time.Second

// Pager queues pages. The zero value pages nobody.
type Pager struct {
	// Targets are the staff destinations: "telegram" and "sms:0", "sms:1",
	// … (the chat id and numbers stay in configuration, for the outbox).
	Targets []string
	// DashboardURL is the base URL staff open from a page (PUBLIC_URL).
	DashboardURL string
	// Interval is the least time between two pages to one destination;
	// pages in between are summarised. Default DefaultInterval.
	Interval time.Duration
}

// Page is one alert.
type Page struct {
	Reason          string // "urgent_tip", or the risk category of a high-risk chat
	ConversationID  int64
	ConversationPID string // the conversation's public id, for the link
	TipID           int64  // 0 when the page is not about a tip
}

// Queue records p and queues it for every destination, in the turn's
// transaction.
func (pg *Pager) Queue(ctx context.Context, t *store.Turn, p Page, now time.Time) error {
	var tipID *int64
	path := "chats/" + p.ConversationPID
	if p.TipID != 0 {
		tipID = &p.TipID
		path = "tips/" + strconv.FormatInt(p.TipID, 10)
	}
	convID := p.ConversationID
	t.QueuePage(p.Reason, &convID, tipID, now)
	for _, target := range pg.Targets {
		err := store.QueueThrottledPage(ctx, t, store.PageMessage{
			Target: target, Channel: channelOf(target), Body: "page:" + p.Reason,
			Reply: tipline.Reply{Text: pg.text(p.Reason, path)}, Summary: pg.summary,
		}, now, pg.interval())
		if err != nil {
			return err
		}
	}
	return nil
}

// text is what staff receive: the reason and a dashboard link, never
// message text or an identifier.
func (pg *Pager) text(reason, path string) string {
	what := map[string]string{
		"urgent_tip": "Urgent sighting tip: the child may be in danger now.",
	}[reason]
	if what == "" {
		what = "High-risk conversation (" + reason + ") needs a staff member."
	}
	return "Tipline alert. " + what + " Open: " + strings.TrimRight(pg.DashboardURL, "/") + "/staff/" + path
}

// summary is the page that stands for n pages folded together.
func (pg *Pager) summary(n int) (string, any) {
	what := "1 more urgent alert"
	if n != 1 {
		what = strconv.Itoa(n) + " more urgent alerts"
	}
	text := fmt.Sprintf("Tipline alert. %s (urgent sighting tips or high-risk chats) since the last page. Open: %s/staff/tips",
		what, strings.TrimRight(pg.DashboardURL, "/"))
	return "page:summary:" + strconv.Itoa(n), tipline.Reply{Text: text}
}

func (pg *Pager) interval() time.Duration {
	if pg.Interval > 0 {
		return pg.Interval
	}
	return DefaultInterval
}

// channelOf is the channel a destination is reached on.
func channelOf(target string) tipline.Channel {
	if target == "telegram" {
		return tipline.ChannelTelegram
	}
	return tipline.ChannelSMS
}
