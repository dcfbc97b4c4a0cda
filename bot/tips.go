package bot

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/flows"
	"tipline/media"
	"tipline/store"
)

// Sightings configures the bot's part in sighting reports: attachments,
// staff-page throttling, tip IDs and the per-sender message limit. The
// zero value works: without providers (Bot.Providers), attachments are answered as not
// received.
type Sightings struct {
	// MediaLimits bound what a photo may be (zero fields: media defaults).
	MediaLimits media.Limits
	// PageInterval is the least time between two pages to one staff
	// destination; pages in between are summarised. Default 10s.
	PageInterval time.Duration
	// CasesTTL is how long the list of public cases is reused; negative
	// means never. Default 5s.
	CasesTTL time.Duration
	// NewTipCode makes tip IDs; default NewTipCode.
	NewTipCode func() string
	// PerMinute and Burst bound how many messages one sender has answered:
	// Burst at once, then PerMinute a minute. Defaults 20 and 12.
	PerMinute, Burst int

	mu       sync.Mutex
	cases    []flows.Case
	casesAt  time.Time
	senders  map[int64]*bucket
	sweptAt  time.Time
	download chan struct{}
}

const (
	defaultPageInterval = 10 * time.Second
	defaultCasesTTL     = 5 * time.Second
	maxSenderTips       = 20 // a sender's tips the flow sees (ADD, STATUS, report limit)
)

// tipAlphabet has no characters that read alike (0/O, 1/I/L, U/V): tip IDs
// are typed on phones from a screen or a note.
const tipAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// NewTipCode returns a random tip ID: 8 characters of tipAlphabet from
// crypto/rand, without modulo bias (about 39 bits; guessing one is
// useless anyway, since only the sender who made a tip can use it).
func NewTipCode() string {
	const n = len(tipAlphabet)
	const limit = 256 - 256%n
	out := make([]byte, 0, 8)
	buf := make([]byte, 16)
	for len(out) < cap(out) {
		_, _ = rand.Read(buf) // never fails (Go 1.24+)
		for _, c := range buf {
			if int(c) < limit && len(out) < cap(out) {
				out = append(out, tipAlphabet[int(c)%n])
			}
		}
	}
	return string(out)
}

// step runs the flows for one message: slowed when the sender floods,
// with the report data loaded when the flow may need it.
func (b *Bot) step(ctx context.Context, tx pgx.Tx, conv store.Conversation, st flows.State, in flows.Input,
	now time.Time) (flows.Output, error) {
	e := b.engine.Load()
	if over, tell := b.Sightings.overLimit(conv.ContactID, now); over {
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
func (b *Bot) reportInput(ctx context.Context, tx pgx.Tx, conv store.Conversation, now time.Time) (*flows.ReportInput, error) {
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

func (s *Sightings) newCode() string {
	if s.NewTipCode != nil {
		return s.NewTipCode()
	}
	return NewTipCode()
}

// caseList returns the public active cases, from the cache when fresh.
func (s *Sightings) caseList(ctx context.Context, db store.DBTX, now time.Time) ([]flows.Case, error) {
	ttl := s.CasesTTL
	if ttl == 0 {
		ttl = defaultCasesTTL
	}
	s.mu.Lock()
	cached, at := s.cases, s.casesAt
	s.mu.Unlock()
	if ttl > 0 && cached != nil && now.Sub(at) < ttl && !now.Before(at) {
		return cached, nil
	}
	rows, err := store.PublicActiveCases(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make([]flows.Case, 0, len(rows))
	for _, c := range rows {
		out = append(out, flows.Case{ID: c.PublicID, Number: c.Number, Name: c.Name, Age: c.Age})
	}
	s.mu.Lock()
	s.cases, s.casesAt = out, now
	s.mu.Unlock()
	return out, nil
}

// tipTurn is what a turn knows about the tip it touched.
type tipTurn struct {
	code  string
	id    int64
	saved bool // the draft was written in this turn
	paged bool // a page was queued in this turn (one per turn)
}

// applyTip applies a tip effect of the report flow in the turn's
// transaction.
func (b *Bot) applyTip(ctx context.Context, tx pgx.Tx, t *turnBatch, e flows.Effect) error {
	code := e.Tip[flows.TipKeyCode]
	if code == "" {
		return nil
	}
	switch e.Detail {
	case flows.TipDraft, flows.TipSubmit, flows.TipAbandon:
		return b.saveTip(ctx, tx, t, e)
	case flows.TipDiscard:
		return store.DiscardDraft(ctx, tx, t.conv.ID, code)
	case flows.TipAppend:
		id, err := t.tipID(ctx, tx, code)
		if err != nil || id == 0 {
			return err
		}
		return store.AddTipUpdate(ctx, tx, store.TipUpdate{TipID: id, Source: "tipster",
			Body: e.Tip[flows.TipKeyText], Now: t.now})
	case flows.TipMedia:
		n, _ := strconv.Atoi(e.Tip[flows.TipKeyCount])
		return b.storePhotos(ctx, tx, t, code, n)
	}
	return nil
}

// tipID finds the tip with code among the sender's; 0 when it is gone.
func (t *turnBatch) tipID(ctx context.Context, tx pgx.Tx, code string) (int64, error) {
	if t.tip.code == code && t.tip.id != 0 {
		return t.tip.id, nil
	}
	id, err := store.ContactTipID(ctx, tx, t.conv.ContactID, code)
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
func (b *Bot) saveTip(ctx context.Context, tx pgx.Tx, t *turnBatch, e flows.Effect) error {
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
	id, _, err := store.SaveTip(ctx, tx, d)
	if err != nil {
		return err
	}
	t.tip.code, t.tip.id, t.tip.saved = d.Code, id, true
	if f[flows.TipKeyRedact] == "1" {
		return store.RedactLastInbound(ctx, tx, t.conv.ID, "[contact details, sealed on the tip]")
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
