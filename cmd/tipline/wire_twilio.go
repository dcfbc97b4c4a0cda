package main

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/server"
	"tipline/store"
	"tipline/twilio"
)

// wireTwilio wires channel "sms" when Twilio is configured: its provider,
// its staff page targets, and its inbound and status webhooks; and channel
// "whatsapp" on the same account and webhooks (wireWhatsApp).
func wireTwilio(_ context.Context, a *app, cfg *config.Config, pool *pgxpool.Pool, _ bool) error {
	if !cfg.TwilioEnabled() {
		return nil
	}
	client, err := newTwilioClient(cfg)
	if err != nil {
		return err
	}
	a.addProvider(&twilio.Provider{Client: client,
		StatusCallback: cfg.PublicURL + "/webhooks/twilio/status", MPS: float64(cfg.TwilioMPS)})
	wireWhatsApp(a, cfg, pool, client)
	for i, n := range cfg.StaffAlertSMS {
		target := "sms:" + strconv.Itoa(i)
		a.bot.Pager.Targets = append(a.bot.Pager.Targets, target)
		a.worker.Pages[target] = n
	}
	hook, err := twilio.NewWebhook(twilio.WebhookConfig{PublicURL: cfg.PublicURL, AuthToken: cfg.TwilioAuthToken,
		OnMessage: a.bot.Handle, Fallback: a.degraded.Answer,
		OnStatus: func(ctx context.Context, st twilio.Status) error {
			_, err := store.UpdateDeliveryStatus(ctx, a.worker.Pool, st.MessageSid, string(st.Status), errorCode(st.ErrorCode))
			return err
		}})
	if err != nil {
		return err
	}
	a.routes = append(a.routes,
		server.Route{Pattern: "POST /webhooks/twilio", Handler: hook.Inbound()},
		server.Route{Pattern: "POST /webhooks/twilio/status", Handler: hook.Status()})
	return nil
}

func errorCode(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}
