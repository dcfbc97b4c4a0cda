// Package bot is the turn, the channel-neutral inbound path: one inbound
// message is one database transaction (store it once, lock its
// conversation, run the flows, carry out their effects, save the new state
// and the replies as rows). The outbox package delivers those rows
// afterwards (docs/design.md, section 2).
//
// Read turn.go first: Handle, the transaction, the flows step and the
// effects. The rest supports it: order.go (one chat's updates in order),
// tip.go and media.go (sighting reports), sealed_state.go (contact details
// in the state), sightings.go (cases, tip IDs), janitor.go (the periodic
// clean-up cmd schedules), metrics.go.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/flood"
	"tipline/flows"
	"tipline/paging"
	"tipline/seal"
	"tipline/staffing"
	"tipline/store"
)

// Bot handles inbound messages.
type Bot struct {
	pool    *pgxpool.Pool
	keys    *seal.Keys
	engine  atomic.Pointer[flows.Engine]
	clock   tipline.Clock
	metrics *Metrics
	wake    chan struct{}
	urgent  chan struct{}
	// Pager pages staff when a turn asks for it (package paging).
	Pager paging.Pager
	// Flood slows a sender who floods (package flood).
	Flood flood.Guard
	// Providers are the channels' providers, by channel: the turn asks
	// them for attachments and what their channel allows.
	Providers map[tipline.Channel]tipline.Provider
	// Sightings configures sighting reports: media limits, the list of
	// cases, tip IDs (bot/sightings.go).
	Sightings Sightings
	// Hours are the hours of operation per language (STAFF_HOURS): with
	// the staff on shift, whether the bot may say a person can write.
	Hours staffing.Hours
}

// New builds a Bot. A nil clock means the system clock.
func New(pool *pgxpool.Pool, keys *seal.Keys, engine *flows.Engine, clock tipline.Clock, m *Metrics) *Bot {
	if clock == nil {
		clock = tipline.SystemClock{}
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	b := &Bot{pool: pool, keys: keys, clock: clock, metrics: m, wake: make(chan struct{}, 1),
		urgent: make(chan struct{}, 1)}
	b.engine.Store(engine)
	return b
}

// SetEngine swaps the conversation engine (for example after staff changed
// the resource directory); turns in progress finish with the old one.
func (b *Bot) SetEngine(e *flows.Engine) { b.engine.Store(e) }

// Engine returns the engine turns use now.
func (b *Bot) Engine() *flows.Engine { return b.engine.Load() }

// Wake returns a channel that receives when new replies were queued.
func (b *Bot) Wake() <-chan struct{} { return b.wake }

// UrgentWake returns a channel that receives when a committed turn queued
// a crisis reply or a staff page: the outbox claims at once then, also
// while it is gathering rows under load (outbox.Worker.Gather).
func (b *Bot) UrgentWake() <-chan struct{} { return b.urgent }

// Notify wakes the outbox (Wake): call it after a transaction that queued
// outbound messages committed.
func (b *Bot) Notify() { b.notify(false) }

func (b *Bot) notify(urgent bool) {
	if urgent {
		select {
		case b.urgent <- struct{}{}:
		default:
		}
	}
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// turnStart seals the sender and prepares the first statement's arguments.
func (b *Bot) turnStart(in tipline.Inbound, now time.Time) (store.TurnStart, error) {
	kind := string(in.Channel)
	hashes := b.keys.HashAll(kind, in.SenderID)
	sealed, err := b.keys.Seal([]byte(in.SenderID), "contact:"+kind)
	if err != nil {
		return store.TurnStart{}, fmt.Errorf("bot: seal sender: %w", err)
	}
	return store.TurnStart{
		Channel: in.Channel, IDHash: hashes[0], OldHashes: hashes[1:], IDSealed: sealed,
		Alias: seal.Alias(hashes[0]), PublicID: store.NewPublicID(), Simulated: in.Simulated,
		// The text is stored by the turn's last batch (store.QueueInboundBody),
		// so that contact details a flow redacts are never written in clear.
		ProviderID: in.ProviderID, Body: "", MediaCount: len(in.Media),
		ChatRef: in.MessageRef, Source: in.Payload, Now: now,
	}, nil
}

// inboundBody is what the transcript shows of an inbound message.
func inboundBody(in tipline.Inbound) string {
	switch {
	case in.Text != "":
		return in.Text
	case in.Callback != "":
		return "[" + in.Callback + "]"
	case in.Location != nil:
		return "[location]"
	case len(in.Media) > 0:
		return "[photo]"
	}
	return ""
}

// decodeState reads the saved flow state; a damaged state starts afresh.
func decodeState(raw []byte) flows.State {
	st, err := flows.DecodeState(raw)
	if err != nil {
		slog.Warn("conversation state unreadable; starting afresh", "err", errors.Unwrap(err))
	}
	return st
}

// SetBlocked records that the sender blocked (or unblocked) the bot, so
// staff see why replies fail; nothing else about them is stored.
func (b *Bot) SetBlocked(ctx context.Context, ch tipline.Channel, senderID string, blocked bool) error {
	return store.SetContactBlocked(ctx, b.pool, ch, b.keys.HashAll(string(ch), senderID), blocked)
}
