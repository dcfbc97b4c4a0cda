package main

import (
	"net/http"

	"tipline/config"
	"tipline/outbox"
	"tipline/telegram"
)

// providerTransport carries every provider client's calls (Twilio's and
// Telegram's APIs). Go's default transport keeps only two idle connections
// per host, so a burst of sends (the delivery worker has up to
// outbox.FlightBatches batches of 16 in flight) closed most connections
// after one call and opened, and in production TLS-handshook, a new one
// for the next: about 50 new connections a second at 500 replies a second
// in the bench. This one keeps as many idle connections per host as sends
// can be in flight.
var providerTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = outbox.FlightBatches * outbox.DefaultBatch
	t.MaxIdleConns = 2 * t.MaxIdleConnsPerHost
	return t
}()

// newTelegramClient is the Bot API client of cfg, on providerTransport.
func newTelegramClient(cfg *config.Config) (*telegram.Client, error) {
	return telegram.New(telegram.Config{Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL,
		HTTPClient: &http.Client{Transport: providerTransport}})
}
