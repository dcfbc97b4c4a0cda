package bot

import (
	"context"
	"fmt"

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
	if e.Tip == nil || e.Tip.Code == "" {
		return nil
	}
	code := e.Tip.Code
	switch e.Detail {
	case flows.TipDraft, flows.TipSubmit, flows.TipAbandon:
		return b.saveTip(ctx, t, e.Detail, e.Tip)
	case flows.TipDiscard:
		return store.DiscardDraft(ctx, t.tx, t.conv.ID, code)
	case flows.TipAppend:
		id, err := t.tipID(ctx, code)
		if err != nil || id == 0 {
			return err
		}
		return store.AddTipUpdate(ctx, t.tx, store.TipUpdate{TipID: id, Source: "tipster", Body: e.Tip.Text, Now: t.now})
	case flows.TipMedia:
		return b.storePhotos(ctx, t, code, e.Tip.Count)
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
func (b *Bot) saveTip(ctx context.Context, t *turn, op string, tip *flows.Tip) error {
	d := store.TipDraft{
		Code: tip.Code, ConversationID: t.conv.ID, ContactID: t.conv.ContactID, Alias: t.conv.Alias,
		Channel: t.conv.Channel, Simulated: t.conv.Simulated, CasePublicID: tip.Case, CaseText: tip.CaseText,
		Urgent: tip.Urgent, SeenAt: tip.SeenAt, SeenText: tip.SeenText, Place: tip.Place, Lat: tip.Lat, Lon: tip.Lon,
		Description: tip.Desc, MayContact: !tip.NoFollowUp, Lang: tip.Lang,
		Submit: op == flows.TipSubmit, Abandon: op == flows.TipAbandon, Now: t.now,
	}
	if tip.Contact != "" {
		sealed, err := b.keys.Seal([]byte(tip.Contact), "tip-contact")
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
	if tip.Redact {
		return store.RedactLastInbound(ctx, t.tx, t.conv.ID, "[contact details, sealed on the tip]")
	}
	return nil
}
