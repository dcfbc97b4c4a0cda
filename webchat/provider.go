package webchat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"tipline"
)

// Provider carries channel "webchat" for the core (tipline.Provider). A
// reply is already a row the session's stream reads from the database, so
// sending only wakes the streams of that session on this instance (a
// stream on another instance finds it at its next poll). There are no
// provider copies, attachments or carrier limits.
type Provider struct {
	hub *Hub
}

var _ tipline.Provider = (*Provider)(nil)

// NewProvider returns the provider that wakes the streams of hub.
func NewProvider(hub *Hub) *Provider { return &Provider{hub: hub} }

// Channel implements tipline.Provider.
func (*Provider) Channel() tipline.Channel { return tipline.ChannelWebChat }

// Traits implements tipline.Provider: web chat does nothing beyond sending.
func (*Provider) Traits() tipline.Traits { return tipline.Traits{} }

// Limits implements tipline.Provider: the page is ours; there are none.
func (*Provider) Limits(string, tipline.Reply) []tipline.Rate { return nil }

// Send implements tipline.Provider: the outbox marks the row sent when it
// returns; the session's streams are woken to read it.
func (p *Provider) Send(_ context.Context, to string, _ tipline.Reply, _ tipline.SendOptions) (string, error) {
	p.hub.Wake(to)
	return "", nil
}

// Reconcile implements tipline.Provider (unsupported: a lost send is sent
// again, and the page shows each message once by its id).
func (*Provider) Reconcile(context.Context, string, tipline.Reply, time.Time) (string, bool, error) {
	return "", false, fmt.Errorf("webchat: reconcile: %w", errors.ErrUnsupported)
}

// EraseChat implements tipline.Provider (unsupported: the page holds
// nothing once the tab is closed).
func (*Provider) EraseChat(context.Context, string, []string) error {
	return fmt.Errorf("webchat: erase chat: %w", errors.ErrUnsupported)
}

// FetchMedia implements tipline.Provider (unsupported: the page sends
// text only).
func (*Provider) FetchMedia(context.Context, tipline.MediaRef, int64) ([]byte, string, error) {
	return nil, "", fmt.Errorf("webchat: fetch media: %w", errors.ErrUnsupported)
}

// DeleteMedia implements tipline.Provider (unsupported).
func (*Provider) DeleteMedia(context.Context, string) error {
	return fmt.Errorf("webchat: delete media: %w", errors.ErrUnsupported)
}

// RedactBody implements tipline.Provider (unsupported: no provider copy).
func (*Provider) RedactBody(context.Context, string) error {
	return fmt.Errorf("webchat: redact: %w", errors.ErrUnsupported)
}

// Hub wakes the open streams of a session on this instance. It holds
// open streams in memory by a hash of their token, never the token.
type Hub struct {
	mu      sync.Mutex
	waiters map[string]map[chan struct{}]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{waiters: map[string]map[chan struct{}]struct{}{}}
}

// Wake wakes every stream open for token.
func (h *Hub) Wake(token string) {
	k := sessionKey(token)
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.waiters[k] {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// listen registers a stream of token; the channel receives a value when
// a reply for it was sent. cancel unregisters it.
func (h *Hub) listen(token string) (wake <-chan struct{}, cancel func()) {
	k := sessionKey(token)
	c := make(chan struct{}, 1)
	h.mu.Lock()
	if h.waiters[k] == nil {
		h.waiters[k] = map[chan struct{}]struct{}{}
	}
	h.waiters[k][c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.waiters[k], c)
		if len(h.waiters[k]) == 0 {
			delete(h.waiters, k)
		}
	}
}

// sessionKey is what a session is known by in memory (the hub, the
// limits): a hash of its token.
func sessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:16])
}
