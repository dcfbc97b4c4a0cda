package staff

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// TestParallelGuessesAllCounted: 30 wrong passwords at once for one
// account. Each is counted before its hash, so only the free ones are
// checked (401) and the rest are refused without hashing (429); the
// account's count equals the guesses checked.
func TestParallelGuessesAllCounted(t *testing.T) {
	k := &clock{at: time.Now()} // still: the delay never runs out here
	e := newEnv(t, func(d *Deps) { d.Now = k.Now })
	statuses := make([]int, 30)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			r := e.post(e.client(), "/staff/login", url.Values{"email": {adminEmail}, "password": {"wrong wrong wrong"}})
			statuses[i] = r.StatusCode
		})
	}
	wg.Wait()
	got := map[int]int{}
	for _, s := range statuses {
		got[s]++
	}
	var counted int
	if err := e.pool.QueryRow(context.Background(), `SELECT failures FROM login_failures WHERE key = $1`,
		throttleKeys(adminEmail, "")[0]).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if got[http.StatusUnauthorized] != freeFailures+1 || got[http.StatusTooManyRequests] != 30-freeFailures-1 ||
		counted != freeFailures+1 {
		t.Fatalf("answers %v, %d counted; want %d checked and counted, the rest refused", got, counted, freeFailures+1)
	}
}
