package main

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tipline/config"
	"tipline/directory"
	"tipline/seal"
	"tipline/testdb"
)

// TestTwoInstancesSeeADirectoryEditAtOnce: two wired apps on one database,
// as two instances of serve; a resource edit stamped a day earlier than
// every other row (a writer whose clock is behind) reaches both bots'
// engines within seconds, by notification, without waiting for a poll.
func TestTwoInstancesSeeADirectoryEditAtOnce(t *testing.T) {
	t.Parallel()
	env := map[string]string{"TIPLINE_SECRET_KEY": seal.GenerateKey()}
	cfg, err := config.Load(func(k string) string { return env[k] }, config.ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	pool := testdb.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var apps []*app
	var wired []*directory.Directory // what wire loaded, before the watch started
	for range 2 {
		a, err := wire(ctx, cfg, pool, prometheus.NewRegistry(), true)
		if err != nil {
			t.Fatal(err)
		}
		wired = append(wired, a.bot.Engine().Dir)
		for _, r := range a.runners {
			go r(ctx)
		}
		apps = append(apps, a)
	}
	var before []*directory.Directory
	for i, a := range apps {
		before = append(before, reloaded(t, a, wired[i], "its first load"))
	}
	start := time.Now()
	if _, err := pool.Exec(ctx, `UPDATE resources SET notes = 'checked', updated_at = now() - interval '1 day'
		WHERE id = (SELECT min(id) FROM resources)`); err != nil {
		t.Fatal(err)
	}
	for i, a := range apps {
		reloaded(t, a, before[i], "the edit")
	}
	t.Logf("both instances reloaded %v after the edit", time.Since(start).Round(time.Millisecond))
}

// reloaded waits until a's bot no longer uses the directory old.
func reloaded(t *testing.T, a *app, old *directory.Directory, what string) *directory.Directory {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for a.bot.Engine().Dir == old {
		if time.Now().After(deadline) {
			t.Fatalf("no reload after %s within 10 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return a.bot.Engine().Dir
}
