package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/server"
	"tipline/webchat"
)

// wireWebChat adds the web chat's provider (always, so that replies to
// its conversations are delivered) and, with WEBCHAT_ENABLED (on in dev),
// mounts /chat: the page, the widget and the API. The provider and the
// handler share a hub, through which a delivered reply wakes the streams
// of its session on this instance.
func wireWebChat(_ context.Context, a *app, cfg *config.Config, pool *pgxpool.Pool, _ bool) error {
	hub := webchat.NewHub()
	a.addProvider(webchat.NewProvider(hub))
	if !cfg.WebChat.Enabled {
		return nil
	}
	h := webchat.NewHandler(webchat.Config{Bot: a.bot, DB: pool, Keys: a.keys, Hub: hub,
		ExitURL: cfg.WebChat.ExitURL, Origins: cfg.WebChat.Origins, TrustedProxies: cfg.TrustedProxies})
	a.routes = append(a.routes,
		server.Route{Pattern: "/chat", Handler: h, MaxBody: 64 << 10},
		server.Route{Pattern: "/chat/", Handler: h, MaxBody: 64 << 10})
	return nil
}
