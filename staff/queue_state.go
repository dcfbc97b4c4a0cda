package staff

import (
	"context"
	"sync"
	"time"

	"tipline/store"
)

// countsTTL is how long counts per status are reused. Counting reads every
// tip, and during a surge every open dashboard asks for them; the newest
// and urgent tips are never cached, so an urgent tip shows at once.
const countsTTL = 2 * time.Second

// countsCache holds the last counts per status.
type countsCache struct {
	mu     sync.Mutex
	at     time.Time
	counts map[string]int
	total  int
}

// get returns counts no older than countsTTL.
func (cc *countsCache) get(ctx context.Context, db *Dashboard) (map[string]int, int, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	now := time.Now()
	if cc.counts != nil && now.Sub(cc.at) < countsTTL {
		return cc.counts, cc.total, nil
	}
	counts, total, err := db.store.StatusCounts(ctx, true)
	if err != nil {
		return nil, 0, err
	}
	cc.counts, cc.total, cc.at = counts, total, now
	return counts, total, nil
}

// queueState is the live-refresh state: cached counts, live head.
func (db *Dashboard) queueState(ctx context.Context) (store.QueueState, error) {
	var st store.QueueState
	var err error
	if st.Counts, st.Total, err = db.counts.get(ctx, db); err != nil {
		return st, err
	}
	if st.NewestID, st.UrgentNew, st.UrgentMaxID, err = db.store.QueueHead(ctx, true); err != nil {
		return st, err
	}
	st.OpenPages, st.PageMaxID, err = db.store.OpenPages(ctx)
	return st, err
}

// queueData is what the queue page loads; its parts load concurrently.
type queueData struct {
	tips  []store.DashTip
	more  bool
	state store.QueueState
	cases []store.CaseOption
}

func (db *Dashboard) loadQueue(ctx context.Context, f store.QueueFilter) (queueData, error) {
	var q queueData
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() { q.tips, q.more, errs[0] = db.store.Queue(ctx, f) })
	wg.Go(func() { q.state, errs[1] = db.queueState(ctx) })
	wg.Go(func() { q.cases, errs[2] = db.store.CaseOptions(ctx) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return q, err
		}
	}
	return q, nil
}
