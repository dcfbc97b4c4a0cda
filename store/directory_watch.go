package store

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DirectoryChannel is the channel on which the resources trigger
// (migration 0015) notifies each committed change, with the new value of
// the directory's change counter as payload.
const DirectoryChannel = "tipline_directory"

// DefaultDirectoryPoll is DirectoryWatch's fallback poll.
const DefaultDirectoryPoll = time.Minute

// DirectoryVersion returns the directory's change counter: one more for
// every statement that changed resources. Read under MVCC, it moves only
// once the change is committed and visible.
func DirectoryVersion(ctx context.Context, db DBTX) (int64, error) {
	var v int64
	if err := db.QueryRow(ctx, `SELECT version FROM directory_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("directory version: %w", err)
	}
	return v, nil
}

// DirectoryWatch keeps one instance's copy of the directory in step with
// the resources table. It listens on a connection of its own for the
// trigger's notifications and reloads on each; it also compares the change
// counter every Poll (and while the connection is down), so a notification
// lost with a connection delays an edit by one poll at most. It never
// compares timestamps, so clock skew between instances cannot hide an edit.
type DirectoryWatch struct {
	// Pool is the instance's pool: the counter is read on it, and the
	// listening connection opened with its settings.
	Pool *pgxpool.Pool
	// Poll is how often the counter is compared when no notification
	// comes. Default DefaultDirectoryPoll.
	Poll time.Duration
	// Reload loads the directory and puts it in use. It is called from
	// Run's goroutine only, once at the start and after every change.
	Reload func(ctx context.Context) error

	seen   int64 // the counter when the directory in use was loaded
	loaded bool
}

// Run watches until ctx ends.
func (w *DirectoryWatch) Run(ctx context.Context) {
	backoff := time.Second
	for {
		listened, err := w.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		if listened {
			backoff = time.Second
		}
		slog.Warn("directory: not listening for changes; polling meanwhile", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		w.syncLogged(ctx)
		backoff = min(2*backoff, w.poll())
	}
}

func (w *DirectoryWatch) poll() time.Duration {
	if w.Poll > 0 {
		return w.Poll
	}
	return DefaultDirectoryPoll
}

// listen opens the listening connection and serves it until it fails.
// listened reports that LISTEN took effect.
func (w *DirectoryWatch) listen(ctx context.Context) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, w.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return false, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+DirectoryChannel); err != nil {
		return false, err
	}
	w.syncLogged(ctx) // what changed before LISTEN took effect
	for {
		wctx, cancel := context.WithTimeout(ctx, w.poll())
		n, err := conn.WaitForNotification(wctx)
		timedOut := wctx.Err() != nil
		cancel()
		switch {
		case ctx.Err() != nil:
			return true, nil
		case err == nil:
			if v, perr := strconv.ParseInt(n.Payload, 10, 64); perr == nil && w.loaded && v <= w.seen {
				continue // a change the directory in use already holds
			}
		case timedOut: // the poll; and is the connection still there?
			if err := conn.Ping(ctx); err != nil {
				return true, err
			}
		default:
			return true, err
		}
		w.syncLogged(ctx)
	}
}

// syncLogged is sync, logging a failure: the next notification or poll
// tries again.
func (w *DirectoryWatch) syncLogged(ctx context.Context) {
	if err := w.sync(ctx); err != nil && ctx.Err() == nil {
		slog.Warn("directory: reload failed; will retry", "err", err)
	}
}

// sync reloads when the counter moved since the directory in use was
// loaded. The counter is read before loading: a change committed in
// between is in the load and notifies again, which reloads once more.
func (w *DirectoryWatch) sync(ctx context.Context) error {
	v, err := DirectoryVersion(ctx, w.Pool)
	if err != nil {
		return err
	}
	if w.loaded && v == w.seen {
		return nil
	}
	if err := w.Reload(ctx); err != nil {
		return err
	}
	w.seen, w.loaded = v, true
	return nil
}
