package bot

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/flows"
	"tipline/store"
)

// runTurn runs the flows on the locked conversation and saves everything
// the step produced in one batch.
func (b *Bot) runTurn(ctx context.Context, tx pgx.Tx, conv store.Conversation, in tipline.Inbound, ts store.TurnStart, msgID int64) error {
	now := ts.Now
	st := b.openState(decodeState(conv.State))
	out, err := b.step(ctx, tx, conv, st, flows.Input{
		Channel: in.Channel, Text: in.Text, Callback: in.Callback, Payload: in.Payload,
		Location: in.Location, MediaCount: len(in.Media), Country: in.Country, LangHint: in.LangHint,
		OptedOut: conv.OptedOut, Claimed: conv.Claimed,
	}, now)
	if err != nil {
		return err
	}
	kind := kindOf(out.State.Flow, conv.Kind)
	t := &turnBatch{b: b, conv: conv, msgID: msgID, kind: kind, lang: out.State.Lang, now: now, batch: &pgx.Batch{}}
	for _, e := range out.Effects {
		if err := t.effect(ctx, tx, e); err != nil {
			return err
		}
	}
	t.queueReplies(out.Replies)
	if body := inboundBody(in); body != "" {
		store.QueueInboundBody(t.batch, msgID, body)
	}
	store.QueueConversationUpdate(t.batch, store.ConversationUpdate{
		ID: conv.ID, State: b.sealState(out.State), Kind: kind, Lang: out.State.Lang, Seq: in.Seq, Now: now,
		Inbound: true,
	})
	if ts.Seq > 0 {
		store.QueueInflightDone(t.batch, ts.IDHash, ts.Seq)
	}
	if t.erase && len(out.Replies) == 0 || t.erase && conv.OptedOut && in.Channel == tipline.ChannelSMS {
		// Nothing can be sent first: erase now.
		if err := store.SendBatch(ctx, tx, t.batch); err != nil {
			return err
		}
		return store.EraseConversation(ctx, tx, conv.ID)
	}
	return store.SendBatch(ctx, tx, t.batch)
}

// kindOf says whether a conversation is a youth's or a tipster's.
func kindOf(flow, current string) string {
	switch flow {
	case "help":
		return "youth"
	case "report":
		return "tipster"
	}
	return current
}

// turnBatch gathers the writes of one turn.
type turnBatch struct {
	b     *Bot
	conv  store.Conversation
	msgID int64 // the inbound message
	kind  string
	lang  string
	now   time.Time
	batch *pgx.Batch
	erase bool
	tip   tipTurn // the tip this turn touched (bot/tips.go)
}

func (t *turnBatch) effect(ctx context.Context, tx pgx.Tx, e flows.Effect) error {
	switch e.Kind {
	case flows.EffectOptOut:
		store.QueueOptOut(t.batch, t.conv.ContactID, true, t.now)
	case flows.EffectOptIn:
		store.QueueOptOut(t.batch, t.conv.ContactID, false, t.now)
	case flows.EffectHighRisk:
		if e.Risk != nil { // the risk screen's outcome: flag, store the reasons, count (store/risk.go)
			store.QueueRisk(t.batch, store.RiskRecord{ConversationID: t.conv.ID, MessageID: t.msgID, Decision: *e.Risk, Now: t.now})
			t.b.metrics.countRisk(*e.Risk, t.lang)
		}
	case flows.EffectPage:
		return t.page(ctx, tx, e.Detail)
	case flows.EffectDelete:
		t.erase = true
	case flows.EffectTip:
		return t.b.applyTip(ctx, tx, t, e)
	}
	return nil
}

func langLabel(lang string) string {
	switch lang {
	case "en", "es", "fr":
		return lang
	}
	return "unknown"
}

// queueReplies stores the replies as outbound rows. Replies to youth (and
// to anyone not yet known to be a tipster) expire (DESIGN rule 4); the last
// reply of a DELETE erases the sender once it is out.
func (t *turnBatch) queueReplies(replies []tipline.Reply) {
	var expires *time.Time
	if t.kind != "tipster" {
		e := t.now.Add(YouthValidity)
		expires = &e
	}
	convID := t.conv.ID
	for i, r := range replies {
		o := store.Outbound{ConversationID: &convID, Channel: t.conv.Channel, Kind: "bot", Body: r.Text,
			Reply: r, ExpiresAt: expires, Now: t.now}
		if t.erase && i == len(replies)-1 {
			o.AfterSend = "erase"
		}
		store.QueueOutbound(t.batch, o)
	}
}
