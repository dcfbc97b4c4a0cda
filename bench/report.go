package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Report is the outcome of one run.
type Report struct {
	Mode        string  `json:"mode"`                // spawn or target
	Instances   int     `json:"instances,omitempty"` // tipline serve processes (spawn)
	Channel     string  `json:"channel"`
	Concurrency int     `json:"concurrency"`
	Delivery    bool    `json:"delivery"`
	Senders     int     `json:"senders"`     // distinct senders, warm-up included
	NewSenders  int     `json:"new_senders"` // senders whose first message was in the timed run
	Messages    int     `json:"messages"`    // unique messages answered 200 in the timed run
	Duplicates  int     `json:"duplicates"`  // repeated deliveries answered 200
	Non200      int     `json:"non_200"`     // answers other than 200 (each retried)
	NetErrors   int     `json:"net_errors"`  // requests that got no answer (each retried)
	Abandoned   int     `json:"abandoned"`   // deliveries given up on
	FirstError  string  `json:"first_error,omitempty"`
	Seconds     float64 `json:"seconds"`
	Rate        float64 `json:"messages_per_second"`
	Latency     Latency `json:"latency_ms"`
	CPU         CPU     `json:"cpu_ms_per_message"`
	ServicePeak float64 `json:"service_peak_mb"` // VmHWM
	// EndToEnd: with delivery, from the start until the last reply was
	// recorded sent.
	EndToEnd *Throughput    `json:"end_to_end,omitempty"`
	Check    *Check         `json:"check,omitempty"`
	CheckOK  bool           `json:"check_ok"`
	Ceiling  *CeilingResult `json:"ceiling,omitempty"`
	// CeilingRatio is the run's rate (end to end with delivery) over the
	// ceiling's.
	CeilingRatio float64 `json:"ceiling_ratio,omitempty"`
	// CeilingRounds is how many times the timed run and the ceiling took
	// turns (0: the ceiling ran once, after the run).
	CeilingRounds int     `json:"ceiling_rounds,omitempty"`
	Machine       Machine `json:"machine"`
	// With --instances N > 1: the balancer, the run of one instance made
	// just before, and the ratios to it.
	Balancer    *BalancerInfo `json:"balancer,omitempty"`
	OneInstance *Report       `json:"one_instance,omitempty"`
	Scale       *Scale        `json:"scale,omitempty"`
}

// Latency percentiles of answered deliveries, in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// CPU per message in milliseconds; Window says over which time.
type CPU struct {
	Service  float64 `json:"service"`
	Postgres float64 `json:"postgres"`
	Both     float64 `json:"service_plus_postgres"`
	LoadTool float64 `json:"load_tool"`
	Machine  float64 `json:"machine"`
	Other    float64 `json:"other_processes"` // machine minus the three above: noise
	// Balancer is the load balancer's share, already inside Service.
	Balancer float64 `json:"balancer,omitempty"`
	Window   string  `json:"window"`
}

// Throughput is messages over seconds.
type Throughput struct {
	Seconds float64 `json:"seconds"`
	Rate    float64 `json:"messages_per_second"`
}

// Machine describes where the numbers came from.
type Machine struct {
	CPUs       int    `json:"cpus"`
	Model      string `json:"cpu_model"`
	MemoryGB   int    `json:"memory_gb"`
	Go         string `json:"go"`
	PostgreSQL string `json:"postgresql"`
	Database   string `json:"database"` // private cluster, or server
	// CommitMs is the median time of one durable single-row commit on the
	// database, alone, measured before the run.
	CommitMs float64 `json:"commit_ms"`
	// BusyBefore is the share of the machine's CPU other processes used
	// in the second before the run (0..1): anything but 0 is noise.
	BusyBefore float64 `json:"busy_before"`
	// LoadProcs is the load tool's GOMAXPROCS during the load (0: all).
	LoadProcs int `json:"load_procs"`
}

func latencies(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := min(int(q*float64(len(ds))), len(ds)-1)
		return ms(ds[i])
	}
	return Latency{P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: ms(ds[len(ds)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func cpuPer(u cpuUse, n int, window string) CPU {
	if n == 0 {
		return CPU{Window: window}
	}
	per := func(d time.Duration) float64 { return ms(d) / float64(n) }
	return CPU{Service: per(u.service), Postgres: per(u.pg), Both: per(u.service + u.pg),
		LoadTool: per(u.self), Machine: per(u.machine), Other: max(per(u.machine-u.service-u.pg-u.self), 0),
		Balancer: per(u.balancer), Window: window}
}

func machineInfo() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			m.MemoryGB = (kb + 512*1024) / (1024 * 1024)
		}
	}
	return m
}

// Print writes the report as text, or as JSON.
func (r *Report) Print(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	p := func(f string, a ...any) { fmt.Fprintf(w, f+"\n", a...) }
	delivery := "running"
	if !r.Delivery {
		delivery = "paused (replies stay queued)"
	}
	inst := ""
	if r.Balancer != nil {
		inst = fmt.Sprintf(", %d instance(s) behind %s", r.Instances, r.Balancer.Kind)
	}
	p("tipline bench: %s%s, channel %s, concurrency %d, delivery %s", r.Mode, inst, r.Channel, r.Concurrency, delivery)
	p("machine:    %d CPUs (%s), %d GB, %s, PostgreSQL %s (%s)", r.Machine.CPUs, r.Machine.Model, r.Machine.MemoryGB,
		r.Machine.Go, r.Machine.PostgreSQL, r.Machine.Database)
	p("            durable commit alone %.2f ms; other processes busy %.0f%% of the CPUs before the run; load tool on %s",
		r.Machine.CommitMs, 100*r.Machine.BusyBefore, procsText(r.Machine.LoadProcs))
	p("traffic:    %d messages in %.1f s from %d senders (%d new), %d duplicate deliveries",
		r.Messages, r.Seconds, r.Senders, r.NewSenders, r.Duplicates)
	p("throughput: %.0f messages/s", r.Rate)
	p("latency:    p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Latency.Max)
	p("errors:     %d non-200 answers, %d without answer, %d abandoned", r.Non200, r.NetErrors, r.Abandoned)
	if r.FirstError != "" {
		p("            first: %s", r.FirstError)
	}
	p("cpu/msg:    service %.3f ms, PostgreSQL %.3f ms, both %.3f ms; load tool %.3f ms; whole machine %.3f ms, of which other processes %.3f ms (%s)",
		r.CPU.Service, r.CPU.Postgres, r.CPU.Both, r.CPU.LoadTool, r.CPU.Machine, r.CPU.Other, r.CPU.Window)
	if r.CPU.Balancer > 0 {
		p("            of the service's, the load balancer %.3f ms", r.CPU.Balancer)
	}
	if r.ServicePeak > 0 {
		p("memory:     service peak %.1f MB (VmHWM)", r.ServicePeak)
	}
	if r.EndToEnd != nil {
		p("end to end: %.0f messages/s (%.1f s until the last reply was sent%s)", r.EndToEnd.Rate, r.EndToEnd.Seconds, r.roundsNote())
	}
	if r.Ceiling != nil {
		p("ceiling:    %.0f messages/s of bare SQL (%d messages, %.1f s%s); this run is %.0f%% of it",
			r.Ceiling.Rate, r.Ceiling.Messages, r.Ceiling.Seconds, r.roundsNote(), 100*r.CeilingRatio)
		if c := r.Ceiling.CPU; c != nil {
			p("            its cpu/msg: PostgreSQL %.3f ms, its client (the load tool) %.3f ms; whole machine %.3f ms, of which other processes %.3f ms",
				c.Postgres, c.LoadTool, c.Machine, c.Other)
		}
		if a, b := r.Ceiling.Rows, r.Ceiling.RunRows; a != nil && b != nil {
			p("            its rows: a reply %.0f bytes, a state %.0f (the run's: %.0f and %.0f)", a.Reply, a.State, b.Reply, b.State)
		}
	}
	if c := r.Check; c != nil {
		r.printCheck(p, c)
	}
	if r.Balancer != nil {
		r.printScale(w)
	}
	return nil
}

func (r *Report) printCheck(p func(string, ...any), c *Check) {
	verdict := "OK"
	if !r.CheckOK {
		verdict = "FAILED"
	}
	p("check:      %s: %d accepted messages (warm-up included): %d lost, %d stored twice, %d turns without a reply",
		verdict, c.Accepted, c.Lost, c.StoredTwice, c.Unanswered)
	if c.FloodPaused > 0 {
		p("            %d turns kept but not answered by design: their sender outpaced the flood guard and was told replies pause", c.FloodPaused)
	}
	p("            %d replies: %d sent, %d pending, %d expired, %d failed", c.Replies, c.Sent, c.Pending, c.Expired, c.Failed)
	if c.ProviderCheck {
		p("            providers received %d: %d doubled, %d repeated after an unknown outcome (rule 8), %d recorded sent but not received",
			c.ProviderSends, c.Doubled, c.Rule8Repeats, c.NotReceived)
	}
}

// procsText says how many of the machine's CPUs the load tool's scheduler
// had.
func procsText(n int) string {
	if n <= 0 {
		return "all CPUs (GOMAXPROCS)"
	}
	return fmt.Sprintf("GOMAXPROCS=%d", n)
}

// roundsNote says that the run and the ceiling took turns.
func (r *Report) roundsNote() string {
	if r.CeilingRounds == 0 {
		return ""
	}
	return fmt.Sprintf(", summed over %d rounds that alternate with the other", r.CeilingRounds)
}
