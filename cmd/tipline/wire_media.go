package main

import (
	"context"
	"time"

	"tipline"
	"tipline/bot"
	"tipline/config"
	"tipline/telegram"
	"tipline/twilio"
)

// sightingsJanitorEvery is how often abandoned drafts are swept into
// incomplete tips and provider copies of photos are deleted.
const sightingsJanitorEvery = 30 * time.Second

// wireSightings gives the bot what sighting reports need beyond the
// message path: attachment fetchers for the configured channels (Telegram
// files by file_id; Twilio MMS with the account's credentials, deleted at
// Twilio once stored) and the janitor. Call it from wire after the
// channels: if err := wireSightings(a, cfg); err != nil { return nil, err }
func wireSightings(a *app, cfg *config.Config) error {
	fetchers := map[string]bot.MediaFetcher{}
	if cfg.TelegramEnabled() {
		c, err := telegram.New(telegram.Config{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL})
		if err != nil {
			return err
		}
		fetchers[string(tipline.ChannelTelegram)] = bot.TelegramMedia{Client: c}
	}
	if cfg.TwilioEnabled() {
		c, err := twilio.NewClient(twilio.ClientConfig{AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken,
			From: cfg.TwilioFrom, APIURL: cfg.TwilioAPIURL})
		if err != nil {
			return err
		}
		fetchers[string(tipline.ChannelSMS)] = bot.TwilioMedia{Client: c}
	}
	a.bot.Sightings.Fetchers = fetchers
	a.runners = append(a.runners, func(ctx context.Context) {
		a.bot.RunSightingsJanitor(ctx, sightingsJanitorEvery, cfg.FlowTimeout)
	})
	return nil
}
