package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/config"
	"tipline/server"
	"tipline/store"
	"tipline/telegram"
)

// wireTelegram wires channel "telegram" when a bot token is set: its
// provider, its staff page target, and its webhook or long-poller.
func wireTelegram(ctx context.Context, a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error {
	if !cfg.TelegramEnabled() {
		return nil
	}
	client, err := newTelegramClient(cfg)
	if err != nil {
		return err
	}
	a.addProvider(&telegram.Provider{Client: client})
	if cfg.StaffAlertTelegramChatID != "" {
		a.bot.Pager.Targets = append(a.bot.Pager.Targets, "telegram")
		a.worker.Pages["telegram"] = cfg.StaffAlertTelegramChatID
	}
	handle := func(ctx context.Context, in tipline.Inbound) error {
		if err := a.bot.Handle(ctx, in); err != nil {
			return err
		}
		if in.CallbackID != "" {
			go answerCallback(client, in.CallbackID)
		}
		return nil
	}
	// Set-up runs in the background and retries: start-up never waits
	// for Telegram (issue 15).
	setup := &telegram.Setup{Client: client, Logger: slog.Default()}
	if cfg.TelegramMode == "polling" {
		a.runners = append(a.runners, func(ctx context.Context) { _ = setup.Run(ctx) })
		return wirePoller(a, client, pool, handle)
	}
	onMember := func(ctx context.Context, u telegram.Update) error {
		return a.bot.SetBlocked(ctx, tipline.ChannelTelegram, u.Inbound.SenderID, u.Kind == telegram.KindBlocked)
	}
	hook, err := telegram.NewWebhook(telegram.WebhookConfig{Secret: cfg.TelegramSecret, OnUpdate: handle, OnMember: onMember,
		Fallback: a.degraded.Answer})
	if err != nil {
		return err
	}
	a.routes = append(a.routes, server.Route{Pattern: "POST /webhooks/telegram", Handler: hook})
	setup.Webhook = func(ctx context.Context) error { return registerWebhook(ctx, client, pool, cfg) }
	a.runners = append(a.runners, func(ctx context.Context) { _ = setup.Run(ctx) })
	return nil
}

func answerCallback(client *telegram.Client, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.AnswerCallback(ctx, id); err != nil {
		slog.Info("answerCallbackQuery failed", "err", err)
	}
}

// wirePoller long-polls (dev and single machines). Nothing is asked of
// Telegram at start: the poller retries while the Bot API is down, and
// logs and waits while the bot has a webhook (getUpdates' 409), never
// deleting it (docs/design.md, rule 9).
func wirePoller(a *app, client *telegram.Client, pool *pgxpool.Pool,
	handle func(context.Context, tipline.Inbound) error) error {
	poller, err := telegram.NewPoller(client, store.AdvisoryLock{Pool: pool, Key: store.LockTelegramPoller}, telegram.PollerConfig{
		Logger: slog.Default(),
		OnMember: func(ctx context.Context, u telegram.Update) error {
			return a.bot.SetBlocked(ctx, tipline.ChannelTelegram, u.Inbound.SenderID, u.Kind == telegram.KindBlocked)
		}})
	if err != nil {
		return err
	}
	a.runners = append(a.runners, func(ctx context.Context) {
		if err := poller.Run(ctx, handle, nil); err != nil && ctx.Err() == nil {
			slog.Error("telegram polling stopped", "err", err)
		}
	})
	return nil
}

// registerWebhook makes sure the bot's webhook is ours: it calls
// setWebhook when getWebhookInfo shows another URL, or when the URL,
// secret or update kinds changed since the last registration (kept in the
// database, as Telegram never shows the secret). One instance registers
// at a time; the others find the work done on their next try. Any failure
// is returned, and telegram.Setup tries again later.
func registerWebhook(ctx context.Context, client *telegram.Client, pool *pgxpool.Pool, cfg *config.Config) error {
	url := cfg.PublicURL + "/webhooks/telegram"
	sum := sha256.Sum256([]byte(url + "\x00" + cfg.TelegramSecret + "\x00" + fmt.Sprint(telegram.DefaultAllowedUpdates)))
	want := hex.EncodeToString(sum[:])
	current, err := client.WebhookInfo(ctx)
	if err != nil {
		return err
	}
	registered := func() (bool, error) {
		got, err := store.GetKV(ctx, pool, "telegram_webhook")
		return current == url && got == want, err
	}
	if done, err := registered(); done || err != nil {
		return err
	}
	release, ok, err := store.AdvisoryLock{Pool: pool, Key: store.LockTelegramHook}.TryLock(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("another instance is registering the webhook")
	}
	defer release()
	if done, err := registered(); done || err != nil {
		return err
	}
	if err := client.SetWebhook(ctx, url, cfg.TelegramSecret, telegram.DefaultAllowedUpdates); err != nil {
		return err
	}
	if err := store.SetKV(ctx, pool, "telegram_webhook", want); err != nil {
		return err
	}
	slog.Info("telegram webhook registered")
	return nil
}
