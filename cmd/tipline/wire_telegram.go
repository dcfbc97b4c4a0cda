package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	client, err := telegram.New(telegram.Config{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL})
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
	if cfg.TelegramMode == "polling" {
		return wirePoller(ctx, a, client, pool, handle, dev)
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
	a.runners = append(a.runners, func(ctx context.Context) { registerWebhook(ctx, client, pool, cfg) })
	return nil
}

func answerCallback(client *telegram.Client, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.AnswerCallback(ctx, id); err != nil {
		slog.Info("answerCallbackQuery failed", "err", err)
	}
}

// wirePoller long-polls (dev and single machines). dev refuses a bot that
// has a webhook set, at start, with the library's clear message.
func wirePoller(ctx context.Context, a *app, client *telegram.Client, pool *pgxpool.Pool,
	handle func(context.Context, tipline.Inbound) error, dev bool) error {
	url, err := client.WebhookInfo(ctx)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	if url != "" {
		return telegram.ErrWebhookSet
	}
	poller, err := telegram.NewPoller(client, store.AdvisoryLock{Pool: pool, Key: store.LockTelegramPoller}, telegram.PollerConfig{
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

// registerWebhook calls setWebhook once across instances: only when the
// URL, secret or update kinds changed since the last registration.
func registerWebhook(ctx context.Context, client *telegram.Client, pool *pgxpool.Pool, cfg *config.Config) {
	url := cfg.PublicURL + "/webhooks/telegram"
	sum := sha256.Sum256([]byte(url + "\x00" + cfg.TelegramSecret + "\x00" + fmt.Sprint(telegram.DefaultAllowedUpdates)))
	want := hex.EncodeToString(sum[:])
	release, ok, err := store.AdvisoryLock{Pool: pool, Key: store.LockTelegramHook}.TryLock(ctx)
	if err != nil || !ok {
		return
	}
	defer release()
	if got, _ := store.GetKV(ctx, pool, "telegram_webhook"); got == want {
		return
	}
	if err := client.SetWebhook(ctx, url, cfg.TelegramSecret, telegram.DefaultAllowedUpdates); err != nil {
		slog.Error("telegram setWebhook failed", "err", err)
		return
	}
	_ = store.SetKV(ctx, pool, "telegram_webhook", want)
	slog.Info("telegram webhook registered")
}
