package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/config"
	"tipline/sim"
)

// channelWirings wire the channels. Each adds its provider (addProvider),
// which both the turn and the outbox use, and, when its settings are
// present, its webhooks or poller and its staff page targets. A new
// channel is one package (implementing tipline.Provider) and one line here.
var channelWirings = []func(ctx context.Context, a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error{
	wireSimChannel,
	wireTelegram,
	wireTwilio,
	wireWebChat,
}

// wireChannels runs every channel's wiring.
func wireChannels(ctx context.Context, a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error {
	for _, w := range channelWirings {
		if err := w(ctx, a, cfg, pool, dev); err != nil {
			return err
		}
	}
	return nil
}

// addProvider makes a channel's provider known to the turn and the outbox.
func (a *app) addProvider(p tipline.Provider) { a.providers[p.Channel()] = p }

// wireSimChannel adds the simulator's provider; its page (/sim/) is
// mounted by wireSim, behind the staff login outside dev.
func wireSimChannel(_ context.Context, a *app, _ *config.Config, _ *pgxpool.Pool, _ bool) error {
	a.addProvider(sim.Provider{})
	return nil
}
