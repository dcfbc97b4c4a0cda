package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/gallery"
	"tipline/schedule"
	"tipline/server"
	"tipline/store"
)

// galleryExpireEvery is how often the photo copies of gallery records past
// their review date are deleted.
const galleryExpireEvery = time.Hour

// wireGallery mounts the public gallery of missing children (/cases) when
// GALLERY_ENABLED (on in dev). Its Telegram deep links name the bot from
// getMe, its SMS keyword the public number. Whether mounted or not, a job
// deletes the photo copies of records past their review date.
func wireGallery(a *app, cfg *config.Config, pool *pgxpool.Pool) {
	a.jobs = append(a.jobs, schedule.Job{Name: "gallery-expire", Every: galleryExpireEvery,
		Run: func(ctx context.Context, now time.Time) error {
			n, err := store.ExpireGalleryPhotos(ctx, pool, now.In(cfg.Timezone))
			if n > 0 {
				slog.Info("gallery: photos past their review date deleted", "count", n)
			}
			return err
		}})
	if !cfg.Gallery.Enabled {
		return
	}
	h := gallery.New(gallery.Config{DB: pool, Location: cfg.Timezone, SMSNumber: cfg.PublicSMSNumber(),
		BotUsername: botUsername(cfg), Origins: cfg.Gallery.Origins})
	for _, p := range gallery.Patterns {
		a.routes = append(a.routes, server.Route{Pattern: p, Handler: h, MaxBody: 1})
	}
}
