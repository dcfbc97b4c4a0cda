package bot

import (
	"context"

	"github.com/jackc/pgx/v5"

	"tipline/flows"
)

// applyTip applies a tip effect of the report flow (the sightings issue
// fills this in).
func (b *Bot) applyTip(ctx context.Context, tx pgx.Tx, t *turnBatch, e flows.Effect) error {
	return nil
}
