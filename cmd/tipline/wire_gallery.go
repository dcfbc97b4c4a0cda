package main

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/gallery"
	"tipline/server"
)

// wireGallery mounts the public gallery of missing children (/cases) when
// GALLERY_ENABLED (on in dev). Its Telegram deep links name the bot from
// getMe, its SMS keyword the public number.
func wireGallery(a *app, cfg *config.Config, pool *pgxpool.Pool) {
	if !cfg.Gallery.Enabled {
		return
	}
	h := gallery.New(gallery.Config{DB: pool, Location: cfg.Timezone, SMSNumber: cfg.PublicSMSNumber(),
		BotUsername: botUsername(cfg), Origins: cfg.Gallery.Origins})
	for _, p := range gallery.Patterns {
		a.routes = append(a.routes, server.Route{Pattern: p, Handler: h, MaxBody: 1})
	}
}
