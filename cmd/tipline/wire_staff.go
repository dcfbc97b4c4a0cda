package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/staff"
)

// wireStaff mounts the dashboard (/staff/) and the JSON API (/api/v1/),
// runs its page re-sender, and puts the simulator behind its login.
func wireStaff(a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error {
	deps := staff.Deps{
		Pool: pool, Keys: a.keys, Dev: dev, TrustedProxies: cfg.TrustedProxies, Location: cfg.Timezone,
		PublicURL: cfg.PublicURL, PageTargets: a.bot.Pager.Targets, BotUsername: botUsername(cfg),
		Wake: a.bot.Notify, Takeover: takeoverSettings(a, cfg), RequireTOTP: cfg.StaffRequire2FA,
		SMSNumber: cfg.PublicSMSNumber(), WhatsAppTemplate: cfg.WhatsApp.TemplateSID != "",
		MapTileURL: cfg.MapTileURL,
	}
	d, err := staff.New(deps)
	if err != nil {
		return err
	}
	a.routes = append(a.routes, d.Routes()...)
	a.jobs = append(a.jobs, d.Jobs()...)
	a.requireStaff = d.RequireStaff
	return nil
}

// botUsername asks Telegram (getMe) for the bot's username once it is
// first needed, and remembers a success.
func botUsername(cfg *config.Config) func(context.Context) string {
	if !cfg.TelegramEnabled() {
		return nil
	}
	var mu sync.Mutex
	var name string
	return func(ctx context.Context) string {
		mu.Lock()
		defer mu.Unlock()
		if name != "" {
			return name
		}
		client, err := newTelegramClient(cfg)
		if err != nil {
			return ""
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, name, err = client.GetMe(ctx); err != nil {
			slog.Warn("telegram getMe failed; posters show no deep link", "err", err)
			name = ""
		}
		return name
	}
}
