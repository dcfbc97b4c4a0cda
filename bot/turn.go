package bot

import (
	"context"
	"time"

	"tipline"
	"tipline/flows"
	"tipline/paging"
	"tipline/store"
)

// runTurn runs the flows on the locked conversation and carries out what
// the step produced: the effects, the replies as outbound rows, the new
// state. Writes nobody reads back are queued and go with COMMIT.
func (b *Bot) runTurn(ctx context.Context, tx *store.Turn, conv store.Conversation, in tipline.Inbound, ts store.TurnStart, msgID int64) error {
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
	t := &turn{b: b, tx: tx, conv: conv, msgID: msgID, kind: kind, lang: out.State.Lang, now: now}
	for _, e := range out.Effects {
		if err := t.effect(ctx, e); err != nil {
			return err
		}
	}
	t.queueReplies(out.Replies)
	if body := inboundBody(in); body != "" {
		tx.QueueInboundBody(msgID, body)
	}
	tx.QueueConversationUpdate(store.ConversationUpdate{
		ID: conv.ID, State: b.sealState(out.State), Kind: kind, Lang: out.State.Lang, Seq: in.Seq, Now: now,
		Inbound: true,
	})
	if ts.Seq > 0 {
		tx.QueueInflightDone(ts.IDHash, ts.Seq)
	}
	if t.erase && (len(out.Replies) == 0 || conv.OptedOut && b.traits(in.Channel).StopEndsReplies) {
		// Nothing can be sent first: erase now.
		if err := tx.Flush(ctx); err != nil {
			return err
		}
		return store.EraseConversation(ctx, tx, conv.ID)
	}
	return nil
}

// traits says what the channel's provider can do (nothing, when none is
// wired).
func (b *Bot) traits(ch tipline.Channel) tipline.Traits {
	if p := b.Providers[ch]; p != nil {
		return p.Traits()
	}
	return tipline.Traits{}
}

// kindOf says whether a conversation is a youth's or a tipster's.
func kindOf(flow string, current tipline.ConversationKind) tipline.ConversationKind {
	switch flow {
	case flows.FlowHelp:
		return tipline.ConversationYouth
	case flows.FlowReport:
		return tipline.ConversationTipster
	}
	return current
}

// turn is what one turn knows while it carries out the step's effects.
type turn struct {
	b     *Bot
	tx    *store.Turn
	conv  store.Conversation
	msgID int64 // the inbound message
	kind  tipline.ConversationKind
	lang  string
	now   time.Time
	erase bool
	tip   tipTurn // the tip this turn touched (bot/tip.go)
}

func (t *turn) effect(ctx context.Context, e flows.Effect) error {
	switch e.Kind {
	case flows.EffectOptOut:
		t.tx.QueueOptOut(t.conv.ContactID, true, t.now)
	case flows.EffectOptIn:
		t.tx.QueueOptOut(t.conv.ContactID, false, t.now)
	case flows.EffectHighRisk:
		if e.Risk != nil { // the risk screen's outcome: flag, store the reasons, count (store/risk.go)
			t.tx.QueueRisk(store.RiskRecord{ConversationID: t.conv.ID, MessageID: t.msgID, Decision: *e.Risk, Now: t.now})
			t.b.metrics.countRisk(*e.Risk, t.lang)
		}
	case flows.EffectPage:
		return t.page(ctx, e.Detail)
	case flows.EffectDelete:
		t.erase = true
	case flows.EffectTip:
		return t.b.applyTip(ctx, t, e)
	}
	return nil
}

// page pages staff in the turn's transaction (package paging). One page
// per turn: a message that both hits the risk screen and marks a tip
// urgent pages once. Simulator conversations never page anyone.
func (t *turn) page(ctx context.Context, reason string) error {
	if t.conv.Simulated || t.tip.paged {
		return nil
	}
	t.tip.paged = true
	return t.b.Pager.Queue(ctx, t.tx, paging.Page{Reason: reason, ConversationID: t.conv.ID,
		ConversationPID: t.conv.PublicID, TipID: t.tip.id}, t.now)
}

func langLabel(lang string) string {
	switch lang {
	case "en", "es", "fr":
		return lang
	}
	return "unknown"
}

// queueReplies stores the replies as outbound rows. Replies to youth (and
// to anyone not yet known to be a tipster) expire (docs/design.md, rule
// 4); the last reply of a DELETE erases the sender once it is out.
func (t *turn) queueReplies(replies []tipline.Reply) {
	var expires *time.Time
	if t.kind != tipline.ConversationTipster {
		e := t.now.Add(tipline.YouthValidity)
		expires = &e
	}
	convID := t.conv.ID
	for i, r := range replies {
		o := store.Outbound{ConversationID: &convID, Channel: t.conv.Channel, Kind: tipline.MessageBot, Body: r.Text,
			Reply: r, ExpiresAt: expires, Now: t.now}
		if t.erase && i == len(replies)-1 {
			o.AfterSend = store.AfterSendErase
		}
		t.tx.QueueOutbound(o)
	}
}
