package bot

import (
	"context"
	"time"

	"tipline/flows"
	"tipline/store"
)

// step runs the flows for one message: slowed when the sender floods
// (package flood), with the report data loaded when the flow may need it.
func (b *Bot) step(ctx context.Context, tx *store.Turn, conv store.Conversation, st flows.State, in flows.Input,
	now time.Time) (flows.Output, error) {
	e := b.engine.Load()
	if over, tell := b.Flood.Over(conv.ContactID, now); over {
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
