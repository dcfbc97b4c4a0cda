package bot

import (
	"context"
	"log/slog"
	"time"

	"tipline/staffing"
	"tipline/store"
)

// staffed tells the flows whether a person from the team can write now in
// a language: someone on shift who answers in it, within STAFF_HOURS
// (package staffing). It asks the database in the turn's transaction,
// only when a reply depends on it; a failure reads as nobody, which makes
// the bot give the 24/7 line rather than promise a person.
func (b *Bot) staffed(ctx context.Context, tx *store.Turn, now time.Time) func(lang string) bool {
	return func(lang string) bool {
		if !b.Hours.Open(lang, now) {
			return false
		}
		n, err := store.OnShift(ctx, tx, lang)
		if err != nil {
			slog.Warn("staffing check failed", "err", err)
			return false
		}
		return staffing.Available(b.Hours, lang, now, n)
	}
}
