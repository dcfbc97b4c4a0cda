package bot

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"tipline"
	"tipline/flows"
	"tipline/store"
)

// tipTurn is what a turn knows about the tip it touched.
type tipTurn struct {
	code  string
	id    int64
	saved bool // the draft was written in this turn
	paged bool // a page was queued in this turn (one per turn)
}

// applyTip applies a tip effect of the report flow in the turn's
// transaction.
func (b *Bot) applyTip(ctx context.Context, t *turn, e flows.Effect) error {
	code := e.Tip[flows.TipKeyCode]
	if code == "" {
		return nil
	}
	switch e.Detail {
	case flows.TipDraft, flows.TipSubmit, flows.TipAbandon:
		return b.saveTip(ctx, t, e)
	case flows.TipDiscard:
		return store.DiscardDraft(ctx, t.tx, t.conv.ID, code)
	case flows.TipAppend:
		id, err := t.tipID(ctx, code)
		if err != nil || id == 0 {
			return err
		}
		return store.AddTipUpdate(ctx, t.tx, store.TipUpdate{TipID: id, Source: "tipster",
			Body: e.Tip[flows.TipKeyText], Now: t.now})
	case flows.TipMedia:
		n, _ := strconv.Atoi(e.Tip[flows.TipKeyCount])
		return b.storePhotos(ctx, t, code, n)
	}
	return nil
}

// tipID finds the tip with code among the sender's; 0 when it is gone.
func (t *turn) tipID(ctx context.Context, code string) (int64, error) {
	if t.tip.code == code && t.tip.id != 0 {
		return t.tip.id, nil
	}
	id, err := store.ContactTipID(ctx, t.tx, t.conv.ContactID, code)
	if tipline.Code(err) == tipline.ENotFound {
		return 0, nil // purged or detached meanwhile: nothing to add to
	}
	if err == nil {
		t.tip.code, t.tip.id = code, id
	}
	return id, err
}

// saveTip writes the draft (or the submitted or abandoned tip) with every
// field the tipster gave; contact details are sealed.
func (b *Bot) saveTip(ctx context.Context, t *turn, e flows.Effect) error {
	f := e.Tip
	d := store.TipDraft{
		Code: f[flows.TipKeyCode], ConversationID: t.conv.ID, ContactID: t.conv.ContactID, Alias: t.conv.Alias,
		Channel: t.conv.Channel, Simulated: t.conv.Simulated, CasePublicID: f[flows.TipKeyCase],
		CaseText: f[flows.TipKeyCaseText], Urgent: f[flows.TipKeyUrgent] == "1", SeenText: f[flows.TipKeySeenText],
		Place: f[flows.TipKeyPlace], Description: f[flows.TipKeyDesc], MayContact: f[flows.TipKeyFollow] != "no",
		Lang: f[flows.TipKeyLang], Submit: e.Detail == flows.TipSubmit, Abandon: e.Detail == flows.TipAbandon,
		Now: t.now,
	}
	if at, err := time.Parse(time.RFC3339, f[flows.TipKeySeenAt]); err == nil {
		d.SeenAt = &at
	}
	d.Lat, d.Lon = parseCoord(f[flows.TipKeyLat]), parseCoord(f[flows.TipKeyLon])
	if c := f[flows.TipKeyContact]; c != "" {
		sealed, err := b.keys.Seal([]byte(c), "tip-contact")
		if err != nil {
			return fmt.Errorf("seal contact details: %w", err)
		}
		d.ContactSealed = sealed
	}
	id, _, err := store.SaveTip(ctx, t.tx, d)
	if err != nil {
		return err
	}
	t.tip.code, t.tip.id, t.tip.saved = d.Code, id, true
	if f[flows.TipKeyRedact] == "1" {
		return store.RedactLastInbound(ctx, t.tx, t.conv.ID, "[contact details, sealed on the tip]")
	}
	return nil
}

func parseCoord(s string) *float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}
