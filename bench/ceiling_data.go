package bench

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
)

// ceilingData is what the run's own rows hold, which the ceiling writes in
// turn: the replies its turns queued (text and buttons) and the states
// its conversations stored. Until 2026-12-06 the ceiling wrote one short
// reply and one small state for every message: its outbound rows held 200
// bytes of reply where the run's held 360, its states 87 bytes where the
// run's held 186, so the bare SQL wrote less than the run did.
type ceilingData struct {
	replies []ceilingOut
	states  []map[string]any
}

// ceilingOut is one reply of the run.
type ceilingOut struct {
	body  string
	reply tipline.Reply
}

// sampleSize is how many of the run's latest replies and states a round
// of the ceiling cycles through.
const sampleSize = 512

// sampleRun reads the run's latest bot replies and conversation states.
func sampleRun(ctx context.Context, pool *pgxpool.Pool) (ceilingData, error) {
	var d ceilingData
	replies, err := sampleJSON(ctx, pool, `SELECT body, reply FROM messages
		WHERE direction = 'out' AND kind = 'bot' AND reply IS NOT NULL ORDER BY id DESC LIMIT $1`)
	if err != nil {
		return d, fmt.Errorf("bench: sample the run's replies: %w", err)
	}
	for _, r := range replies {
		o := ceilingOut{body: r.text}
		if json.Unmarshal(r.raw, &o.reply) == nil {
			d.replies = append(d.replies, o)
		}
	}
	states, err := sampleJSON(ctx, pool, `SELECT '', state FROM conversations WHERE state IS NOT NULL
		ORDER BY last_inbound_at DESC NULLS LAST LIMIT $1`)
	if err != nil {
		return d, fmt.Errorf("bench: sample the run's states: %w", err)
	}
	for _, r := range states {
		var st map[string]any
		if json.Unmarshal(r.raw, &st) == nil && st != nil {
			d.states = append(d.states, st)
		}
	}
	return d, nil
}

// sampled is a text and a JSON value of the run, as sampleJSON reads them.
type sampled struct {
	text string
	raw  []byte
}

// sampleJSON reads up to sampleSize rows of a text and a JSON column.
func sampleJSON(ctx context.Context, pool *pgxpool.Pool, sql string) ([]sampled, error) {
	rows, err := pool.Query(ctx, sql, sampleSize)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (sampled, error) {
		var s sampled
		err := r.Scan(&s.text, &s.raw)
		return s, err
	})
}

// reply is the reply the ceiling queues for its message seq (a typical
// one when the run has none yet).
func (d *ceilingData) reply(seq int64) (string, tipline.Reply) {
	if len(d.replies) == 0 {
		return ceilingReply.Text, ceilingReply
	}
	o := d.replies[uint64(seq)%uint64(len(d.replies))]
	return o.body, o.reply
}

// state is the state the ceiling stores for its message seq.
func (d *ceilingData) state(seq int64) any {
	if len(d.states) == 0 {
		return ceilingState
	}
	return d.states[uint64(seq)%uint64(len(d.states))]
}

// RowBytes is the average size of what a run's or a ceiling's messages
// wrote: the JSON of an outbound row's reply and of a conversation's
// state, as PostgreSQL stores them.
type RowBytes struct {
	Reply float64 `json:"reply"`
	State float64 `json:"state"`
}

// rowBytes measures RowBytes on a database.
func rowBytes(ctx context.Context, pool *pgxpool.Pool) (RowBytes, error) {
	var b RowBytes
	err := pool.QueryRow(ctx, `SELECT
		coalesce((SELECT avg(pg_column_size(reply)) FROM messages WHERE direction = 'out' AND kind = 'bot'), 0)::float8,
		coalesce((SELECT avg(pg_column_size(state)) FROM conversations), 0)::float8`).Scan(&b.Reply, &b.State)
	if err != nil {
		return b, fmt.Errorf("bench: row sizes: %w", err)
	}
	return b, nil
}
