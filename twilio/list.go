package twilio

import (
	"context"
	"strconv"
	"time"

	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// listLimit bounds how many messages ListSentTo reads.
const listLimit = 200

// SentMessage is a message Twilio holds, as listed by ListSentTo.
type SentMessage struct {
	Sid         string
	To          string
	From        string
	Body        string
	Status      MessageStatus
	ErrorCode   int
	NumSegments int
	DateCreated time.Time // zero when Twilio gave none
	DateSent    time.Time // zero until sent
}

// ListSentTo lists the messages sent to the number to since the given
// time, newest first (at most 200), to reconcile a send whose outcome a
// crash left unknown (docs/design.md rule 8): match on Body, and resend only when
// nothing matches. It asks Twilio for To and DateSent> since, then drops
// any message created before since. Pass since a little before the
// attempt, to allow for clock skew.
func (c *Client) ListSentTo(ctx context.Context, to string, since time.Time) ([]SentMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HTTPTimeout)
	defer cancel()
	p := (&api.ListMessageParams{}).SetTo(to).SetDateSentAfter(since.UTC()).SetPageSize(100).SetLimit(listLimit)
	svc, ct := c.service(ctx)
	msgs, err := svc.ListMessage(p)
	if err != nil {
		return nil, classify("list", err, ct)
	}
	out := make([]SentMessage, 0, len(msgs))
	for _, m := range msgs {
		sm := sentMessage(m)
		if !sm.DateCreated.IsZero() && sm.DateCreated.Before(since) {
			continue
		}
		out = append(out, sm)
	}
	return out, nil
}

// sentMessage copies the fields Tipline uses out of twilio-go's model.
func sentMessage(m api.ApiV2010Message) SentMessage {
	sm := SentMessage{
		Sid:         deref(m.Sid),
		To:          deref(m.To),
		From:        deref(m.From),
		Body:        deref(m.Body),
		Status:      MessageStatus(deref(m.Status)),
		DateCreated: parseDate(deref(m.DateCreated)),
		DateSent:    parseDate(deref(m.DateSent)),
	}
	if m.ErrorCode != nil {
		sm.ErrorCode = *m.ErrorCode
	}
	sm.NumSegments, _ = strconv.Atoi(deref(m.NumSegments))
	return sm
}

// parseDate reads Twilio's RFC 2822 dates; zero when empty or unreadable.
func parseDate(s string) time.Time {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
