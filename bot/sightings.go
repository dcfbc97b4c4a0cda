package bot

import (
	"context"
	"crypto/rand"
	"sync"
	"time"

	"tipline/flows"
	"tipline/media"
	"tipline/store"
)

// Sightings configures the turn's part in sighting reports: attachments,
// the list of public cases and tip IDs. The zero value works: without
// providers (Bot.Providers), attachments are answered as not received.
type Sightings struct {
	// MediaLimits bound what a photo may be (zero fields: media defaults).
	MediaLimits media.Limits
	// CasesTTL is how long the list of public cases is reused; negative
	// means never. Default 5s.
	CasesTTL time.Duration
	// NewTipCode makes tip IDs; default NewTipCode.
	NewTipCode func() string

	mu       sync.Mutex
	cases    []flows.Case
	casesAt  time.Time
	download chan struct{}
}

const (
	defaultCasesTTL = 5 * time.Second
	maxSenderTips   = 20 // a sender's tips the flow sees (ADD, STATUS, report limit)
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
