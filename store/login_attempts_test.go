package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tipline/store"
	"tipline/testdb"
)

// testDelay is a login delay schedule: free for 2 failures, then 1 s.
func testDelay(n int) time.Duration {
	if n <= 2 {
		return 0
	}
	return time.Second
}

// TestReserveLoginCountsParallelGuesses: 40 guesses at once, each from
// its own address, at one account: every one that was let through was
// counted before the next was judged, so exactly the free ones pass and
// the account's count says so; each address counts its own.
func TestReserveLoginCountsParallelGuesses(t *testing.T) {
	s := store.NewDashboard(testdb.New(t))
	ctx := context.Background()
	now := time.Now()
	since := now.Add(-15 * time.Minute)
	var reserved, refused atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			r, err := s.ReserveLogin(ctx, []string{"acct:a@example.org", "addr:" + string(rune('A'+i))}, now, since, testDelay)
			switch {
			case err != nil:
				t.Error(err)
			case r.Wait > 0:
				refused.Add(1)
			default:
				reserved.Add(1)
			}
		})
	}
	wg.Wait()
	n, err := s.LoginAttempts(ctx, "acct:a@example.org", since)
	if err != nil {
		t.Fatal(err)
	}
	if reserved.Load() != 3 || refused.Load() != 37 || n != 3 {
		t.Fatalf("reserved %d, refused %d, counted %d; want 3, 37, 3", reserved.Load(), refused.Load(), n)
	}
	// After the delay one more guess passes and counts; a release gives
	// one back; an old failure no longer counts.
	later := now.Add(time.Second)
	r, _ := s.ReserveLogin(ctx, []string{"acct:a@example.org"}, later, since, testDelay)
	if r.Wait != 0 {
		t.Fatalf("still refused after the delay: %v", r.Wait)
	}
	if err := s.ReleaseLogin(ctx, r, "acct:a@example.org"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.LoginAttempts(ctx, "acct:a@example.org", since); n != 3 {
		t.Fatalf("after a release: %d, want 3", n)
	}
	if r, _ := s.ReserveLogin(ctx, []string{"acct:a@example.org"}, later.Add(time.Millisecond), since, testDelay); r.Wait != 0 {
		t.Fatalf("a release left the account in a delay from the released attempt: %v", r.Wait)
	}
	if r, _ := s.ReserveLogin(ctx, []string{"acct:a@example.org"}, later.Add(time.Second), later.Add(time.Second), testDelay); r.Wait != 0 {
		t.Fatal("failures before the window still delay")
	}
}

// TestReserveLoginRefusesInDelayWithoutCounting: while the address is in
// its delay an attempt on a fresh account is refused and counts nowhere.
func TestReserveLoginRefusesInDelayWithoutCounting(t *testing.T) {
	s := store.NewDashboard(testdb.New(t))
	ctx := context.Background()
	now := time.Now().Truncate(time.Millisecond)
	since := now.Add(-time.Hour)
	for range 3 {
		if _, err := s.ReserveLogin(ctx, []string{"addr:x", "acct:" + time.Now().String()}, now, since, testDelay); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.ReserveLogin(ctx, []string{"addr:x", "acct:fresh"}, now.Add(300*time.Millisecond), since, testDelay)
	if err != nil || r.Wait != 700*time.Millisecond {
		t.Fatalf("wait %v, %v; want 700ms", r.Wait, err)
	}
	if n, _ := s.LoginAttempts(ctx, "acct:fresh", since); n != 0 {
		t.Fatalf("a refused attempt counted %d", n)
	}
}
