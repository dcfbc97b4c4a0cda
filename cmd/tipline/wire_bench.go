package main

import (
	"log/slog"
	"os"
	"strconv"

	"tipline"
	"tipline/telegram"
)

// Settings that exist for `tipline bench` only (docs/benchmarks.md). They
// are read from the process environment by serve and are not part of the
// configuration table, because no production deployment should set them:
//
//	TIPLINE_DELIVERY=off           no delivery worker runs in this instance:
//	                               replies stay queued (bench --no-delivery
//	                               measures the inbound path alone)
//	TIPLINE_BENCH_TELEGRAM_RATE=N  the worker may send N Telegram messages a
//	                               second per bot instead of Telegram's 30
//	                               (only against a fake Bot API)
const (
	envDelivery     = "TIPLINE_DELIVERY"
	envTelegramRate = "TIPLINE_BENCH_TELEGRAM_RATE"
)

// wireBench applies the bench-only settings. When it pauses delivery it
// reports true: wire then returns without starting the worker.
func wireBench(a *app) (deliveryPaused bool) {
	if v := os.Getenv(envTelegramRate); v != "" {
		rate, err := strconv.ParseFloat(v, 64)
		ts, ok := a.providers[tipline.ChannelTelegram].(*telegram.Provider)
		if err == nil && rate > 0 && ok {
			ts.BotRate = rate
			slog.Warn("bench setting: Telegram per-bot rate overridden", "messages_per_second", rate)
		}
	}
	if os.Getenv(envDelivery) != "off" {
		return false
	}
	slog.Warn("bench setting: delivery paused; replies stay queued", "setting", envDelivery)
	return true
}
