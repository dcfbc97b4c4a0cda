package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/migrations"
	"tipline/store"
)

// ceilingRounds is how many times the timed run and the ceiling take turns
// (spawn, delivery running). The machine's speed drifts by a fifth within
// a minute here (a shared host); run one after the other, the two sides
// met different machines and the ratio of one run ranged from 52% to 96%.
// Alternating in thirds puts both under the same drift.
const ceilingRounds = 3

// openCeilingDB opens the ceiling's own database, on the service's server,
// migrated like it, with a pool opened as the service opens its own: the
// service keeps running between rounds, and its delivery worker must not
// claim the ceiling's rows.
func openCeilingDB(st *Stack) func(context.Context) (*pgxpool.Pool, func(), error) {
	return func(ctx context.Context) (*pgxpool.Pool, func(), error) {
		db, err := st.DB.Sibling(ctx, "ceiling")
		if err != nil {
			return nil, nil, err
		}
		pool, err := store.Open(ctx, db.URL) // sized as the service's own
		if err == nil {
			err = migrate(ctx, pool)
		}
		if err != nil {
			if pool != nil {
				pool.Close()
			}
			db.Close()
			return nil, nil, err
		}
		return pool, func() { pool.Close(); db.Close() }, nil
	}
}

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		return err
	}
	_, err = store.Migrate(ctx, pool, ms)
	return err
}

// interleaved says whether the timed run and the ceiling alternate.
func (rn *run) interleaved() bool {
	o := rn.opts
	return o.Ceiling && rn.ceilingDB != nil && rn.delivery && rn.pool != nil && o.Messages == 0
}

// rounds runs the timed load and the ceiling by turns: each round a third
// of --duration of load, the drain to the last reply sent, and then the
// ceiling for as many messages as that round accepted. Rates and CPU are
// the sums over the rounds.
func (rn *run) rounds(ctx context.Context, l *loader, stderr io.Writer) error {
	o, r := rn.opts, rn.report
	pool, closeDB, err := rn.ceilingDB(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	perMsg, err := repliesPerMessage(ctx, rn.pool)
	if err != nil {
		return err
	}
	keys, err := rn.ceilingKeys()
	if err != nil {
		return err
	}
	c := &ceiling{pool: pool, keys: keys, opts: o, replies: perMsg, delivery: true}
	if c.data, err = sampleRun(ctx, rn.pool); err != nil { // the run's warm-up's
		return err
	}
	fmt.Fprintf(stderr, "bench: ceiling: opening %d conversations on its own database (untimed)…\n", o.Senders)
	if err := rn.withAllProcs(func() error { return c.warm(ctx, o.Senders) }); err != nil {
		return err
	}
	var inbound, e2e, ceil cpuUse
	var e2eSecs float64
	var res CeilingResult
	before := l.snapshot()
	for i := range ceilingRounds {
		from := l.snapshot()
		s0 := rn.sampler.sample()
		rn.timed(ctx, l, stderr, o.Duration/ceilingRounds)
		s1 := rn.sampler.sample()
		last, err := drain(ctx, rn.pool, o.DrainTimeout)
		if err != nil {
			return err
		}
		inbound, e2e = inbound.plus(s0.to(s1)), e2e.plus(s0.to(rn.sampler.sample()))
		e2eSecs += last.Sub(s0.at).Seconds()
		n := int(l.snapshot().unique - from.unique)
		if c.data, err = sampleRun(ctx, rn.pool); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "bench: round %d of %d: the ceiling, the bare SQL of %d messages…\n", i+1, ceilingRounds, n)
		err = rn.withAllProcs(func() error {
			secs, use, err := c.slice(ctx, n, rn.sampler)
			res.Messages, res.Seconds, ceil = res.Messages+n, res.Seconds+secs, ceil.plus(use)
			return err
		})
		if err != nil {
			return err
		}
	}
	rn.summarise(l, before, inbound)
	r.EndToEnd = &Throughput{Seconds: e2eSecs, Rate: float64(r.Messages) / e2eSecs}
	r.CPU = cpuPer(e2e, r.Messages, "from each round's start until its last reply was sent")
	res.Rate = float64(res.Messages) / res.Seconds
	per := cpuPer(ceil, res.Messages, "the ceiling's timed parts")
	res.CPU, r.Ceiling, r.CeilingRounds = &per, &res, ceilingRounds
	r.CeilingRatio = r.EndToEnd.Rate / res.Rate
	return rn.compareRows(ctx, pool, &res)
}

// compareRows records what the run's and the ceiling's rows hold on
// average, which the report sets side by side: the ceiling writes the
// run's replies and states, so the two should be close.
func (rn *run) compareRows(ctx context.Context, ceilingPool *pgxpool.Pool, res *CeilingResult) error {
	run, err := rowBytes(ctx, rn.pool)
	if err != nil {
		return err
	}
	ceil, err := rowBytes(ctx, ceilingPool)
	if err != nil {
		return err
	}
	res.RunRows, res.Rows = &run, &ceil
	return nil
}

// withAllProcs runs f with every CPU for the load tool's Go scheduler (the
// ceiling's client is never what limits it), then gives the load back
// --load-procs.
func (rn *run) withAllProcs(f func() error) error {
	defer loadProcs(runtime.NumCPU())()
	return f()
}

// repliesPerMessage is the outbound rows per inbound message so far (the
// warm-up's), which the ceiling queues per message.
func repliesPerMessage(ctx context.Context, pool *pgxpool.Pool) (float64, error) {
	var per *float64
	err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE direction = 'out')::float8 /
		nullif(count(*) FILTER (WHERE direction = 'in'), 0) FROM messages`).Scan(&per)
	if err != nil || per == nil {
		return 1, err
	}
	return *per, nil
}

func (a cpuUse) plus(b cpuUse) cpuUse {
	return cpuUse{wall: a.wall + b.wall, service: a.service + b.service, pg: a.pg + b.pg,
		self: a.self + b.self, machine: a.machine + b.machine, balancer: a.balancer + b.balancer}
}
