package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"tipline"
	"tipline/flows"
	"tipline/paging"
	"tipline/risk"
	"tipline/store"
)

// Handle runs one inbound message through the whole turn in a single
// transaction. A message already stored (a retried delivery) changes
// nothing and returns nil. An error means nothing was saved: the provider
// should retry.
//
// Every channel's message passes here first, so this is the one place its
// text is made storable: NUL removed, invalid UTF-8 and lone surrogates
// replaced (tipline.CleanText), before anything is stored or screened.
// Content never fails a turn (docs/design.md rule 17).
func (b *Bot) Handle(ctx context.Context, in tipline.Inbound) error {
	in = in.Clean()
	if !in.Channel.Valid() || in.ProviderID == "" || in.SenderID == "" {
		return tipline.Errorf(tipline.EInvalid, "inbound message lacks channel, provider id or sender")
	}
	start := time.Now()
	now := b.clock.Now()
	ts, err := b.turnStart(in, now)
	if err != nil {
		return err
	}
	ctx = b.prefetchMedia(ctx, in, ts) // attachments, before the transaction (bot/media.go)
	dup, urgent, err := b.transact(ctx, in, ts)
	b.metrics.observeTurn(in.Channel, dup, err, time.Since(start))
	if err != nil {
		slog.Error("turn failed", "channel", in.Channel, "err", err)
		return fmt.Errorf("bot: %w", err)
	}
	if !dup {
		b.notify(urgent)
	}
	return nil
}

// transact runs the turn's transaction (store.RunTurn: one inbound
// message is one transaction), stepping back while an earlier update of
// the same chat is in flight (bot/order.go). dup reports a retried
// delivery, which changes nothing; urgent, a committed crisis reply or
// page.
func (b *Bot) transact(ctx context.Context, in tipline.Inbound, ts store.TurnStart) (dup, urgent bool, err error) {
	// The text goes in with the message's insert, unless the conversation
	// is in the report flow (store/turn_start.go): then after the step.
	ts.Body = inboundBody(in)
	return b.transactThen(ctx, in, ts, nil)
}

// transactThen is transact with then (when not nil) run in the same
// transaction after the turn's own work.
func (b *Bot) transactThen(ctx context.Context, in tipline.Inbound, ts store.TurnStart,
	then func(tx *store.Turn, conv store.Conversation, msgID int64) error) (dup, urgent bool, err error) {
	clearInflight, err := b.announce(ctx, in, &ts)
	if err != nil {
		return false, false, err
	}
	for attempt := 0; ; attempt++ {
		err = store.RunTurn(ctx, b.pool, ts, func(tx *store.Turn, conv store.Conversation, msgID int64, inserted bool) error {
			if !inserted {
				dup = true
				return nil
			}
			if b.holdBack(conv, in, attempt) {
				return errHoldBack
			}
			u, err := b.runTurn(ctx, tx, conv, in, ts, msgID)
			urgent = u
			if err != nil || then == nil {
				return err
			}
			return then(tx, conv, msgID)
		})
		if !errors.Is(err, errHoldBack) {
			break
		}
		if err = waitHoldBack(ctx); err != nil {
			break
		}
	}
	if err != nil || dup {
		clearInflight()
	}
	return dup, urgent && err == nil, err
}

// runTurn runs the flows on the locked conversation and carries out what
// the step produced: the effects, the replies as outbound rows, the new
// state. Writes nobody reads back are queued and go with COMMIT. urgent
// reports a crisis reply or a staff page among them.
func (b *Bot) runTurn(ctx context.Context, tx *store.Turn, conv store.Conversation, in tipline.Inbound, ts store.TurnStart, msgID int64) (urgent bool, err error) {
	now := ts.Now
	st := b.openState(decodeState(conv.State))
	fin := flows.Input{
		Channel: in.Channel, Text: in.Text, Callback: in.Callback, Payload: in.Payload,
		Location: in.Location, MediaCount: len(in.Media), Country: in.Country, LangHint: in.LangHint,
		OptedOut: conv.OptedOut, Claimed: conv.Claimed, Staffed: b.staffed(ctx, tx, now),
	}
	if conv.ReleasedAt != nil {
		fin.ReleasedAt = *conv.ReleasedAt
	}
	out, err := b.step(ctx, tx, conv, st, fin, now)
	if err != nil {
		return false, err
	}
	kind := kindOf(out.State.Flow, conv.Kind)
	t := &turn{b: b, tx: tx, conv: conv, msgID: msgID, kind: kind, lang: out.State.Lang, now: now}
	for _, e := range out.Effects {
		if err := t.effect(ctx, e); err != nil {
			return false, err
		}
	}
	t.queueReplies(out.Replies)
	urgent = t.crisis && len(out.Replies) > 0 || t.tip.paged
	if body := inboundBody(in); body != "" && conv.TextDeferred {
		tx.QueueInboundBody(msgID, body)
	}
	tx.QueueConversationUpdate(store.ConversationUpdate{
		ID: conv.ID, State: b.sealState(out.State), Kind: kind, Lang: out.State.Lang, Seq: in.Seq, Now: now,
		Inbound: true,
	})
	if t.erase && (len(out.Replies) == 0 || conv.OptedOut && b.traits(in.Channel).StopEndsReplies) {
		// Nothing can be sent first: erase now.
		if err := tx.Flush(ctx); err != nil {
			return false, err
		}
		return urgent, store.EraseConversation(ctx, tx, conv.ID)
	}
	return urgent, nil
}

// step runs the flows for one message: slowed when the sender floods
// (package flood; the bucket is shared by all instances, store/flood.go),
// with the report data loaded when the flow may need it.
func (b *Bot) step(ctx context.Context, tx *store.Turn, conv store.Conversation, st flows.State, in flows.Input,
	now time.Time) (flows.Output, error) {
	e := b.engine.Load()
	if over, tell := tx.TakeFlood(b.Flood, conv, now); over {
		return e.Slowed(st, in, now, tell), nil
	}
	pre := prefetchedFrom(ctx)
	if flows.NeedsReportData(st, in) || pre != nil {
		ri, err := b.reportInput(ctx, tx, conv, now)
		if err != nil {
			return flows.Output{}, err
		}
		ri.Media = pre.results(in.MediaCount)
		in.Report = ri
	}
	if err := b.queueMediaDeletions(ctx, tx, pre, now); err != nil {
		return flows.Output{}, err
	}
	return e.Step(st, in, now), nil
}

// reportInput loads what the report flow needs: the public active cases
// (briefly cached), the sender's tips and a fresh tip ID.
func (b *Bot) reportInput(ctx context.Context, tx *store.Turn, conv store.Conversation, now time.Time) (*flows.ReportInput, error) {
	cases, err := b.Sightings.caseList(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	tips, err := store.ContactTips(ctx, tx, conv.ContactID, maxSenderTips)
	if err != nil {
		return nil, err
	}
	ri := &flows.ReportInput{Cases: cases, NewCode: b.Sightings.newCode()}
	for _, t := range tips {
		ri.Tips = append(ri.Tips, flows.TipRef{Code: t.Code, Status: neutralStatus(t.Status), CreatedAt: t.CreatedAt})
	}
	return ri, nil
}

// neutralStatus says a tip's status in the words STATUS may use.
func neutralStatus(s string) string {
	switch s {
	case "new":
		return flows.TipReceived
	case "closed", "duplicate":
		return flows.TipClosed
	}
	return flows.TipReviewing
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
	// crisis: the risk screen read the message as danger, so the replies
	// are crisis replies (store.Outbound.Crisis).
	crisis bool
	tip    tipTurn // the tip this turn touched (bot/tip.go)
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
			t.crisis = t.crisis || e.Risk.Level == risk.Danger
			t.b.metrics.countRisk(*e.Risk, t.lang)
		}
	case flows.EffectPage:
		return t.page(ctx, e.Detail)
	case flows.EffectPerson:
		t.tx.QueueWantsPerson(t.conv.ID, t.now)
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
			Reply: r, ExpiresAt: expires, Crisis: t.crisis, Now: t.now}
		if t.erase && i == len(replies)-1 {
			o.AfterSend = store.AfterSendErase
		}
		t.tx.QueueOutbound(o)
	}
}
