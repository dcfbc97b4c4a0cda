package store

import (
	"time"

	"tipline/flood"
)

// storedBucket is a conversation's flood bucket as its row holds it
// (migration 0023): nil tokens and at when no turn has written it yet.
type storedBucket struct {
	tokens *float64
	at     *time.Time
	told   bool
}

// TakeFlood takes the turn's message from its sender's flood bucket
// (package flood) and reports whether the sender is flooding (over) and,
// if so, whether this is the first such message of the flood (tell).
//
// The bucket lives on the conversation row (one conversation per
// contact), so every instance takes from the same bucket. The turn's
// start already read it with the row lock, so two turns of one sender
// never take from it at once, and no other sender waits on it; the new
// value goes with the turn's conversation update (QueueConversationUpdate),
// so a turn that rolls back takes nothing. It costs no statement of its
// own.
//
// A conversation whose previous message is older than the bucket's refill
// time (or that has none) has a full bucket, whatever is stored. A stored
// bucket older than the previous message (one written before the bucket
// moved onto the conversation, or none) means that message found the
// bucket full and took one.
func (t *Turn) TakeFlood(g flood.Guard, c Conversation, now time.Time) (over, tell bool) {
	b := g.Full(now)
	if c.LastInboundAt != nil && now.Sub(*c.LastInboundAt) < g.RefillTime() {
		b = c.flood.bucket(g, *c.LastInboundAt)
	}
	next, over, tell := g.Take(b, now)
	t.flood = &next
	return over, tell
}

// bucket is the stored bucket as the previous turn, at last, left it.
func (s storedBucket) bucket(g flood.Guard, last time.Time) flood.Bucket {
	if s.tokens == nil || s.at == nil || s.at.Before(last) {
		b := g.Full(last)
		b.Tokens--
		return b
	}
	return flood.Bucket{Tokens: *s.tokens, At: *s.at, Told: s.told}
}
