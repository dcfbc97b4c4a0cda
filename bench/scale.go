package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// BalancerInfo says which load balancer was in front of the instances and
// with which exact configuration.
type BalancerInfo struct {
	Kind    string `json:"kind"` // haproxy or nginx
	Version string `json:"version"`
	Config  string `json:"config"`
}

// Scale compares a run of several instances with the run of one instance
// made just before it on the same machine.
type Scale struct {
	// Rate and EndToEnd are the N-instance run's messages/s over the
	// one-instance run's (inbound during the timed run; until the last reply
	// was sent).
	Rate     float64 `json:"rate_ratio"`
	EndToEnd float64 `json:"end_to_end_ratio,omitempty"`
	// CPU is the ratio of service (balancer included) + PostgreSQL CPU per
	// message.
	CPU float64 `json:"cpu_ratio"`
}

// measureScaled is --instances N: one instance first (reached directly,
// as plain --spawn runs it), then N behind the balancer, each on a fresh
// database with the same traffic; the N-instance report carries the
// other and the ratios.
func measureScaled(ctx context.Context, o *Options, stderr io.Writer) (*Report, error) {
	if _, _, err := findBalancer(o.Balancer); err != nil {
		return nil, err
	}
	one := *o
	one.Balancer = "" // reached directly, as plain --spawn
	fmt.Fprintln(stderr, "bench: run 1 of 2: one instance, for the ratio")
	single, err := measureSpawn(ctx, &one, stderr, 1)
	if err != nil {
		return single, err
	}
	fmt.Fprintf(stderr, "bench: run 2 of 2: %d instances behind the load balancer\n", o.Instances)
	r, err := measureSpawn(ctx, o, stderr, o.Instances)
	if r == nil {
		return single, err
	}
	r.OneInstance = single
	r.Scale = &Scale{Rate: ratio(r.Rate, single.Rate), CPU: ratio(r.CPU.Both, single.CPU.Both)}
	if r.EndToEnd != nil && single.EndToEnd != nil {
		r.Scale.EndToEnd = ratio(r.EndToEnd.Rate, single.EndToEnd.Rate)
	}
	return r, err
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// stackSampler watches every instance, the balancer and PostgreSQL.
func stackSampler(st *Stack) sampler {
	s := sampler{servicePID: st.Services[0].PID(), postmaster: st.Postmaster, balancer: st.Balancer.PID()}
	for _, svc := range st.Services[1:] {
		s.others = append(s.others, svc.PID())
	}
	return s
}

// stopAll stops every instance (before the ceiling: their workers would
// compete for its rows).
func stopAll(st *Stack) {
	for _, s := range st.Services {
		_ = s.Stop(40 * time.Second)
	}
}

func (r *Report) oneInstance() *Report {
	if r == nil {
		return nil
	}
	return r.OneInstance
}

// printScale writes the one-instance run, the ratios and the balancer's
// configuration after the N-instance report.
func (r *Report) printScale(w io.Writer) {
	p := func(f string, a ...any) { fmt.Fprintf(w, f+"\n", a...) }
	if b := r.Balancer; b != nil {
		p("balancer:   %s (%s) in front of %d instances on one database; every webhook went through it", b.Kind, b.Version, r.Instances)
	}
	if r.OneInstance != nil && r.Scale != nil {
		e2e := ""
		if r.Scale.EndToEnd > 0 {
			e2e = fmt.Sprintf(", end to end %.2f×", r.Scale.EndToEnd)
		}
		p("scale:      %d instances / one instance: inbound %.2f× the messages/s%s; %.2f× the service (balancer included) + PostgreSQL CPU per message",
			r.Instances, r.Scale.Rate, e2e, r.Scale.CPU)
		p("\n--- the one-instance run (same machine, just before, reached directly) ---")
		_ = r.OneInstance.Print(w, false)
	}
	if b := r.Balancer; b != nil {
		p("\n--- %s configuration ---\n%s", b.Kind, strings.TrimRight(b.Config, "\n"))
	}
}
