package bot

import (
	"context"
	"errors"
	"log/slog"
	"mime"
	"strings"
	"time"

	"tipline"
	"tipline/flows"
	"tipline/media"
	"tipline/store"
)

// Limits of downloading.
const (
	maxAttachments = 10               // per message (Twilio's MMS maximum)
	fetchTimeout   = 60 * time.Second // per attachment
	maxDownloads   = 4                // at once per bot: bounds memory (4 × MaxBytes)
	deletionLease  = 5 * time.Minute  // a failed provider deletion is retried after this
	maxDeleteTries = 12
	deletionBatch  = 32
)

// fetched is one attachment after download and processing: the stripped
// copy and the original (kept sealed when stored), or why it was refused.
type fetched struct {
	ref     tipline.MediaRef
	img     media.Image
	problem string // flows.Media*
}

// prefetched holds a message's attachments, fetched before its turn.
type prefetched struct {
	channel tipline.Channel
	items   []fetched
}

type prefetchKey struct{}

func prefetchedFrom(ctx context.Context) *prefetched {
	p, _ := ctx.Value(prefetchKey{}).(*prefetched)
	return p
}

// results are the per-attachment results the flow sees.
func (p *prefetched) results(n int) []flows.MediaResult {
	out := make([]flows.MediaResult, n)
	for i := range out {
		out[i].Problem = flows.MediaFailed
		if p != nil && i < len(p.items) {
			out[i].Problem = p.items[i].problem
		}
	}
	return out
}

// prefetchMedia downloads and processes a message's attachments before
// its turn's transaction (docs/design.md rule 11), when the conversation may take
// them (a report, or ADD): a youth's photo is never downloaded. The
// result rides on the context to the turn.
func (b *Bot) prefetchMedia(ctx context.Context, in tipline.Inbound, ts store.TurnStart) context.Context {
	if len(in.Media) == 0 {
		return ctx
	}
	raw, err := store.ConversationStateOf(ctx, b.pool, ts.Channel, ts.IDHash)
	if err != nil || !flows.WantsMedia(decodeState(raw), in.Text) {
		return ctx
	}
	p := &prefetched{channel: in.Channel}
	for i, ref := range in.Media {
		if i == maxAttachments {
			break
		}
		p.items = append(p.items, b.fetchOne(ctx, in.Channel, ref))
	}
	return context.WithValue(ctx, prefetchKey{}, p)
}

// fetchOne downloads and processes one attachment.
func (b *Bot) fetchOne(ctx context.Context, ch tipline.Channel, ref tipline.MediaRef) fetched {
	f := fetched{ref: ref}
	lim := b.Sightings.MediaLimits
	maxBytes := lim.MaxBytes
	if maxBytes <= 0 {
		maxBytes = media.DefaultMaxBytes
	}
	switch {
	case !maybeImage(ref.ContentType):
		f.problem = flows.MediaNotImage
		return f
	case ref.Size > maxBytes:
		f.problem = flows.MediaTooLarge
		return f
	}
	fetcher := b.Providers[ch]
	if fetcher == nil || !fetcher.Traits().FetchesMedia {
		f.problem = flows.MediaFailed
		return f
	}
	release := b.Sightings.acquireDownload(ctx)
	defer release()
	cctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	data, ctype, err := fetcher.FetchMedia(cctx, ref, maxBytes)
	if err != nil {
		f.problem = fetchProblem(err)
		return f
	}
	img, err := media.Process(data, ctype, lim)
	switch {
	case errors.Is(err, media.ErrTooLarge):
		f.problem = flows.MediaTooLarge
	case errors.Is(err, media.ErrTooManyPixels):
		f.problem = flows.MediaTooBig
	case err != nil:
		f.problem = flows.MediaNotImage
	default:
		f.img = img
	}
	return f
}

// maybeImage reports whether a declared content type may be an image
// worth downloading: images, and files of unknown type (sniffed after).
func maybeImage(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	if ctype == "" || err != nil {
		return true
	}
	return strings.HasPrefix(mt, "image/") || mt == "application/octet-stream"
}

// fetchProblem classifies a download error.
func fetchProblem(err error) string {
	if errors.Is(err, tipline.ErrMediaTooLarge) {
		return flows.MediaTooLarge
	}
	slog.Info("attachment download failed", "err", err)
	return flows.MediaFailed
}

// acquireDownload waits for one of maxDownloads download slots.
func (s *Sightings) acquireDownload(ctx context.Context) func() {
	s.mu.Lock()
	if s.download == nil {
		s.download = make(chan struct{}, maxDownloads)
	}
	sem := s.download
	s.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }
	case <-ctx.Done():
		return func() {}
	}
}

// storePhotos stores the stripped copies, and the sealed originals, of this message's accepted
// photos on the tip (at most n, as the flow counted them).
func (b *Bot) storePhotos(ctx context.Context, t *turn, code string, n int) error {
	p := prefetchedFrom(ctx)
	if p == nil || n <= 0 {
		return nil
	}
	id, err := t.tipID(ctx, code)
	if err != nil || id == 0 {
		return err
	}
	stored := 0
	for _, f := range p.items {
		if stored == n {
			break
		}
		if f.problem != flows.MediaOK {
			continue
		}
		stored++
		sealed, err := b.keys.Seal(f.img.Original, store.OriginalAAD)
		if err != nil {
			return err
		}
		if err := store.AddTipPhoto(ctx, t.tx, id, store.TipPhoto{SHA256: f.img.OriginalSHA256,
			ContentType: f.img.ContentType, Data: f.img.Stripped, Width: f.img.Width, Height: f.img.Height,
			Original: sealed, OriginalSize: len(f.img.Original)}, t.now); err != nil {
			return err
		}
	}
	if t.tip.saved || stored == 0 {
		return nil
	}
	// Photos added to a finished tip are a follow-up staff should notice.
	return store.AddTipUpdate(ctx, t.tx, store.TipUpdate{TipID: id, Source: "tipster", MediaCount: stored, Now: t.now})
}

// queueMediaDeletions records, in the turn's transaction, the provider
// copies of every attachment of a report message to delete once it
// commits: stored or refused, the provider keeps none.
func (b *Bot) queueMediaDeletions(ctx context.Context, tx *store.Turn, p *prefetched, now time.Time) error {
	if p == nil {
		return nil
	}
	if pr := b.Providers[p.channel]; pr == nil || !pr.Traits().KeepsMedia {
		return nil
	}
	for _, f := range p.items {
		if err := store.QueueMediaDeletion(ctx, tx, p.channel, f.ref.Ref, now); err != nil {
			return err
		}
	}
	return nil
}
