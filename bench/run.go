package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/seal"
)

// Run is `tipline bench`: the load, the check and the report (on stdout;
// progress goes to stderr).
func Run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	r, err := measure(ctx, &o, stderr)
	if r != nil {
		if perr := r.Print(stdout, o.JSON); perr != nil && err == nil {
			err = perr
		}
	}
	if err == nil && r != nil && r.Check != nil && !r.CheckOK {
		err = fmt.Errorf("the database check failed")
	}
	if one := r.oneInstance(); err == nil && one != nil && one.Check != nil && !one.CheckOK {
		err = fmt.Errorf("the database check of the one-instance run failed")
	}
	return err
}

// run is one measured run against a service: where it is, how to watch it.
type run struct {
	opts     *Options
	target   string
	pool     *pgxpool.Pool // nil: no database check
	keys     *seal.Keys
	fakes    *Fakes
	sampler  sampler
	delivery bool
	stop     func() // stops the service before the ceiling (spawn)
	// ceilingDB opens the ceiling's own database (spawn, one instance):
	// then the timed run and the ceiling alternate (rounds.go).
	ceilingDB func(context.Context) (*pgxpool.Pool, func(), error)
	logTail   func() string // the service's last log lines (spawn)
	report    *Report
}

func measure(ctx context.Context, o *Options, stderr io.Writer) (*Report, error) {
	switch {
	case !o.Spawn:
		return measureTarget(ctx, o, stderr)
	case o.Instances > 1:
		return measureScaled(ctx, o, stderr)
	}
	return measureSpawn(ctx, o, stderr, 1)
}

// measureSpawn runs the spawned stack: one instance reached directly (or
// behind the balancer when --balancer is given), or n behind it.
func measureSpawn(ctx context.Context, o *Options, stderr io.Writer, n int) (*Report, error) {
	settings := map[string]string{}
	if o.NoDelivery {
		settings["TIPLINE_DELIVERY"] = "off"
	} else {
		settings["TIPLINE_BENCH_TELEGRAM_RATE"] = strconv.FormatFloat(o.TelegramRate, 'f', -1, 64)
		settings["TWILIO_MPS"] = strconv.Itoa(o.TwilioMPS)
		settings["WHATSAPP_MPS"] = strconv.Itoa(o.TwilioMPS)
	}
	for _, kv := range o.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			settings[k] = v
		}
	}
	fmt.Fprintf(stderr, "bench: starting PostgreSQL, fake providers and %d× tipline serve…\n", n)
	st, err := StartStack(ctx, StackConfig{Binary: o.Binary, AdminURL: o.DatabaseURL, Settings: settings,
		Instances: n, Balancer: n > 1 || o.Balancer != "", BalancerKind: o.Balancer})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	o.TelegramSecret, o.TwilioToken, o.PublicURL = st.TelegramSecret, st.Fakes.TwilioToken, st.PublicURL
	rn := &run{opts: o, target: st.URL(), pool: st.Pool, keys: st.Keys, fakes: st.Fakes,
		sampler: stackSampler(st), delivery: !o.NoDelivery,
		stop: func() { stopAll(st) }, logTail: st.Services[0].Log.Tail}
	if n == 1 {
		rn.ceilingDB = openCeilingDB(st)
	}
	rn.report = &Report{Mode: "spawn", Instances: n, Machine: machineInfo()}
	if b := st.Balancer; b != nil {
		rn.report.Balancer = &BalancerInfo{Kind: b.Kind, Version: b.Version, Config: b.Config}
	}
	rn.report.Machine.PostgreSQL = st.PGVersion
	rn.report.Machine.Database = "private cluster"
	if !st.DB.Private {
		rn.report.Machine.Database = "fresh database on a shared server (PostgreSQL CPU includes its other clients)"
	}
	return rn.report, rn.do(ctx, stderr, st.Fakes.TwilioSID)
}

func measureTarget(ctx context.Context, o *Options, stderr io.Writer) (*Report, error) {
	rn := &run{opts: o, target: o.Target, delivery: !o.NoDelivery, sampler: sampler{servicePID: o.PID}}
	rn.report = &Report{Mode: "target", Machine: machineInfo()}
	if o.DatabaseURL != "" {
		pool, err := openPool(ctx, o.DatabaseURL, 4)
		if err != nil {
			return nil, err
		}
		defer pool.Close()
		if err := durable(ctx, pool); err != nil {
			return nil, err
		}
		rn.pool = pool
		rn.report.Machine.PostgreSQL, rn.sampler.postmaster = serverInfo(ctx, pool)
		rn.report.Machine.Database = "the target's database"
	}
	return rn.report, rn.do(ctx, stderr, "AC"+randomHex(16))
}

// do runs warm-up, the timed load, the drain, the check and the ceiling.
func (rn *run) do(ctx context.Context, stderr io.Writer, twilioSID string) error {
	o, r := rn.opts, rn.report
	r.Channel, r.Concurrency, r.Delivery = o.Channel, o.Concurrency, rn.delivery
	r.Machine.LoadProcs = o.LoadProcs
	restore := loadProcs(o.LoadProcs)
	defer restore()
	mix := newTraffic(o, twilioSID)
	l := newLoader(ctx, o, []string{rn.target}, mix)
	if o.Senders > 0 {
		fmt.Fprintf(stderr, "bench: opening %d conversations (untimed)…\n", o.Senders)
		l.sendAll(ctx, mix.warmup(o.Senders))
		if s := l.snapshot(); s.non200+s.netErrs > 0 {
			fmt.Fprintf(stderr, "bench: warm-up: %d failed answers (retried); first: %s\n", s.non200+s.netErrs, l.firstErr)
			rn.showLog(stderr)
		}
		if err := rn.settle(ctx); err != nil {
			return err
		}
	}
	rn.quiet(ctx)
	if rn.interleaved() {
		if err := rn.rounds(ctx, l, stderr); err != nil {
			return err
		}
	} else if err := rn.once(ctx, l, stderr); err != nil {
		return err
	}
	for _, pid := range append([]int{rn.sampler.servicePID}, rn.sampler.others...) {
		if b, ok := peakRSS(pid); ok && pid > 0 {
			r.ServicePeak = max(r.ServicePeak, float64(b)/(1<<20))
		}
	}
	if rn.pool == nil {
		return nil
	}
	if err := rn.check(ctx, l); err != nil {
		return err
	}
	if o.Ceiling && !rn.interleaved() {
		restore() // the ceiling's client is never what limits it
		return rn.ceiling(ctx, stderr)
	}
	return nil
}

// once runs the timed load in one piece and, with delivery, waits for its
// last reply.
func (rn *run) once(ctx context.Context, l *loader, stderr io.Writer) error {
	r := rn.report
	before := l.snapshot()
	s0 := rn.sampler.sample()
	rn.timed(ctx, l, stderr, rn.opts.Duration)
	s1 := rn.sampler.sample()
	rn.summarise(l, before, s0.to(s1))
	if !rn.delivery || rn.pool == nil {
		return nil
	}
	last, err := drain(ctx, rn.pool, rn.opts.DrainTimeout)
	if err != nil {
		return err
	}
	s2 := rn.sampler.sample()
	secs := last.Sub(s0.at).Seconds()
	r.EndToEnd = &Throughput{Seconds: secs, Rate: float64(r.Messages) / secs}
	r.CPU = cpuPer(s0.to(s2), r.Messages, "from the start until the last reply was sent")
	return nil
}

// loadProcs gives the load tool n Ps (GOMAXPROCS) for the load and
// returns what puts the old number back (n 0: nothing changes; putting it
// back twice is harmless). The load
// tool and the fake providers share the machine with the service and
// PostgreSQL: with a P per CPU its scheduler's idle spinning and thread
// hand-offs cost 0.1 ms of CPU a message that one P does not spend, and
// one P drives 2,600 messages/s with a quarter of a core.
func loadProcs(n int) func() {
	if n <= 0 {
		return func() {}
	}
	prev := runtime.GOMAXPROCS(n)
	return func() { runtime.GOMAXPROCS(prev) }
}

// showLog prints the end of the service's log (it holds no message text,
// identifiers or secrets).
func (rn *run) showLog(w io.Writer) {
	if rn.logTail != nil {
		fmt.Fprintf(w, "bench: the service's last log lines:\n%s\n", rn.logTail())
	}
}

// quiet measures, before the run, what the machine is doing without it:
// the durable commit time and the CPU others use.
func (rn *run) quiet(ctx context.Context) {
	if rn.pool != nil {
		rn.report.Machine.CommitMs = commitProbe(ctx, rn.pool)
	}
	a := rn.sampler.sample()
	time.Sleep(time.Second)
	b := rn.sampler.sample()
	u := a.to(b)
	rn.report.Machine.BusyBefore = float64(u.machine) / float64(u.wall) / float64(rn.report.Machine.CPUs)
}

// settle waits for the warm-up's replies to go out (delivery running).
func (rn *run) settle(ctx context.Context) error {
	if !rn.delivery || rn.pool == nil {
		return nil
	}
	_, err := drain(ctx, rn.pool, rn.opts.DrainTimeout)
	return err
}

// timed runs the measured load (for d, unless --messages) with a progress
// line.
func (rn *run) timed(ctx context.Context, l *loader, stderr io.Writer, d time.Duration) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if rn.opts.Messages == 0 {
		runCtx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	done := make(chan struct{})
	if rn.opts.Progress {
		go progress(stderr, l, done)
	}
	l.run(runCtx, rn.opts.Messages)
	close(done)
}

func (rn *run) summarise(l *loader, before snapshot, use cpuUse) {
	r, now := rn.report, l.snapshot()
	r.Messages = int(now.unique - before.unique)
	r.Duplicates = int(now.dups - before.dups)
	r.Non200, r.NetErrors = int(now.non200-before.non200), int(now.netErrs-before.netErrs)
	r.Abandoned = int(now.abandoned - before.abandoned)
	r.Senders, r.NewSenders = now.senders, now.senders-before.senders
	r.Seconds = use.wall.Seconds()
	r.Rate = float64(r.Messages) / r.Seconds
	l.mu.Lock()
	r.Latency = latencies(l.latencies)
	r.FirstError = l.firstErr
	l.mu.Unlock()
	window := "inbound only, during the timed run"
	if rn.delivery {
		window = "during the timed run, delivery running"
	}
	r.CPU = cpuPer(use, r.Messages, window)
}

func (rn *run) check(ctx context.Context, l *loader) error {
	l.mu.Lock()
	tg, sms := append([]string(nil), l.acceptedTG...), append([]string(nil), l.acceptedSM...)
	l.mu.Unlock()
	c, err := checker{pool: rn.pool, keys: rn.keys, fakes: rn.fakes}.run(ctx, tg, sms)
	if err != nil {
		return err
	}
	rn.report.Check, rn.report.CheckOK = &c, c.OK(!rn.delivery)
	return nil
}

func (rn *run) ceiling(ctx context.Context, stderr io.Writer) error {
	if rn.stop != nil {
		rn.stop() // its workers would compete for the ceiling's rows
	}
	r := rn.report
	perMsg := 1.0
	if c := r.Check; c != nil && c.Accepted > 0 {
		perMsg = float64(c.Replies) / float64(c.Accepted)
	}
	fmt.Fprintf(stderr, "bench: ceiling: the bare SQL of %d messages at concurrency %d…\n", r.Messages, rn.opts.Concurrency)
	keys, err := rn.ceilingKeys()
	if err != nil {
		return err
	}
	c := &ceiling{pool: rn.pool, keys: keys, opts: rn.opts, replies: perMsg, delivery: rn.delivery}
	res, err := c.run(ctx, rn.opts.Senders, r.Messages, rn.sampler)
	if err != nil {
		return err
	}
	r.Ceiling = &res
	rate := r.Rate
	if r.EndToEnd != nil {
		rate = r.EndToEnd.Rate
	}
	r.CeilingRatio = rate / res.Rate
	return nil
}

// ceilingKeys are the keys the ceiling seals with: the service's, or
// fresh ones (target mode).
func (rn *run) ceilingKeys() (*seal.Keys, error) {
	if rn.keys != nil {
		return rn.keys, nil
	}
	return seal.ParseKeys(seal.GenerateKey(), nil)
}

// progress prints a line a second (rewritten in place on a terminal).
func progress(w io.Writer, l *loader, done <-chan struct{}) {
	start, prev := time.Now(), l.snapshot()
	tty := isTerminal(w)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			if tty {
				fmt.Fprintln(w)
			}
			return
		case now := <-t.C:
			cur := l.snapshot()
			line := fmt.Sprintf("%6.1fs %9d messages %7d/s  non-200 %d  no answer %d",
				now.Sub(start).Seconds(), cur.unique, cur.unique-prev.unique, cur.non200, cur.netErrs)
			prev = cur
			if tty {
				fmt.Fprint(w, "\r"+line)
			} else if int(now.Sub(start).Seconds())%5 == 0 {
				fmt.Fprintln(w, line)
			}
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
