package main

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/store"
	"tipline/twilio"
)

// wireWhatsApp adds channel "whatsapp" when WHATSAPP_FROM is set:
// its provider, on the Twilio account's client. Its messages arrive on the
// SMS webhook (whatsapp: addresses) and its statuses on the same status
// callback, so it has no routes of its own.
func wireWhatsApp(a *app, cfg *config.Config, pool *pgxpool.Pool, client *twilio.Client) {
	if !cfg.WhatsApp.Enabled() {
		return
	}
	now := time.Now
	if a.worker != nil && a.worker.Clock != nil {
		now = a.worker.Clock.Now
	}
	a.addProvider(&twilio.WhatsAppProvider{Client: client, From: cfg.WhatsApp.From,
		StatusCallback: cfg.PublicURL + "/webhooks/twilio/status", MPS: float64(cfg.WhatsApp.MPS),
		TemplateSID: cfg.WhatsApp.TemplateSID, ChoicesSID: cfg.WhatsApp.ChoicesSID, Now: now,
		LastInbound: func(ctx context.Context, id int64) (time.Time, bool, error) {
			return store.LastInboundFor(ctx, pool, id)
		}})
}
