package bench

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
)

// Options configure one run of the load tool.
type Options struct {
	// Spawn starts `tipline serve` (Binary) against a fresh database with
	// fake providers; otherwise Target is driven.
	Spawn  bool
	Binary string
	// Instances > 1 (with Spawn): that many instances on one database
	// behind HAProxy or nginx, after a run of one instance for the ratio.
	Instances int
	Balancer  string // haproxy, nginx or "" (the first installed)
	// Target is the base URL of a running service (without --spawn).
	Target string
	// DatabaseURL: with Spawn, the server a fresh database is created on
	// (empty: a private cluster in a temporary directory); without Spawn,
	// the service's own database, for the check and the ceiling.
	DatabaseURL string
	// Secrets of a target service.
	TelegramSecret, TwilioToken, PublicURL string
	// PID of a target service, for its CPU and memory (0: not measured).
	PID int

	Concurrency int
	Duration    time.Duration // ends the run unless Messages is set
	Messages    int           // unique messages to send (0: use Duration)
	Senders     int           // conversations opened before the timed run
	NewShare    float64       // share of messages from senders never seen before
	DupShare    float64       // share of deliveries that repeat an accepted one
	Think       time.Duration // least time between two messages of one sender
	Channel     string        // telegram, twilio (SMS), whatsapp, both (Telegram and SMS) or all
	NoDelivery  bool          // spawned service: replies stay queued
	JSON        bool
	Ceiling     bool
	Progress    bool
	// LoadProcs is how many Ps (GOMAXPROCS) the load tool's own Go
	// scheduler has while it drives the service (0: all the CPUs).
	LoadProcs int

	// Bench-only provider limits of the spawned service (docs/design.md section 2
	// limits would otherwise be what is measured).
	TelegramRate float64 // messages/s per bot (TIPLINE_BENCH_TELEGRAM_RATE)
	TwilioMPS    int     // segments/s (TWILIO_MPS)
	DrainTimeout time.Duration
	RetryFor     time.Duration // how long a delivery without 200 is retried
	Seed         int64
	// Env is added to the spawned service's environment (KEY=value).
	Env []string
}

// ParseFlags reads the command line of `tipline bench`.
func ParseFlags(args []string, stderr io.Writer) (Options, error) {
	o := Options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.Spawn, "spawn", false, "start `tipline serve` with a fresh database and fake providers on loopback")
	fs.IntVar(&o.Instances, "instances", 1, "spawn: run this many instances on one database behind HAProxy or nginx (Debian's packages), after a run of one instance for the ratio")
	fs.StringVar(&o.Balancer, "balancer", "", "spawn: haproxy or nginx in front (default with --instances N > 1: the first installed; with one instance it puts the balancer in front of it, to measure its cost)")
	fs.StringVar(&o.Target, "target", "", "base URL of a running service (instead of --spawn)")
	fs.StringVar(&o.DatabaseURL, "database-url", os.Getenv("DATABASE_URL"), "spawn: server to create a fresh database on (default: a private cluster); target: the service's database, for the check")
	fs.StringVar(&o.TelegramSecret, "telegram-secret", "", "target: TELEGRAM_WEBHOOK_SECRET of the service")
	fs.StringVar(&o.TwilioToken, "twilio-token", "", "target: TWILIO_AUTH_TOKEN of the service")
	fs.StringVar(&o.PublicURL, "public-url", "", "target: PUBLIC_URL of the service (Twilio signatures are over it; default --target)")
	fs.IntVar(&o.PID, "pid", 0, "target: process id of the service, for its CPU and memory")
	fs.IntVar(&o.Concurrency, "concurrency", 8, "requests in flight")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "length of the timed run")
	fs.IntVar(&o.Messages, "messages", 0, "send this many unique messages instead of running for --duration")
	fs.IntVar(&o.Senders, "senders", 1000, "conversations opened before the timed run")
	fs.Float64Var(&o.NewShare, "new-share", 0.2, "share of messages from senders never seen before")
	fs.Float64Var(&o.DupShare, "dup-share", 0.05, "share of deliveries that repeat an accepted one (provider retries)")
	fs.DurationVar(&o.Think, "think", 3*time.Second, "least time between two messages of one sender (people read the answer first)")
	fs.StringVar(&o.Channel, "channel", "both", "telegram, twilio (SMS), whatsapp, both (Telegram and SMS) or all three")
	fs.BoolVar(&o.NoDelivery, "no-delivery", false, "the inbound path alone: replies stay queued (spawn: delivery paused; target: say it runs with TIPLINE_DELIVERY=off)")
	fs.BoolVar(&o.JSON, "json", false, "print the report as JSON")
	fs.BoolVar(&o.Ceiling, "ceiling", false, "also run the bare SQL of the message path at the same concurrency, and the ratio (spawn, one instance, delivery running: in three rounds that alternate with the run's, on a database of its own)")
	fs.BoolVar(&o.Progress, "progress", true, "print a progress line while running")
	fs.IntVar(&o.LoadProcs, "load-procs", 1, "GOMAXPROCS of the load tool and fake providers while they drive the service (0: all CPUs; the ceiling always has all)")
	fs.Float64Var(&o.TelegramRate, "telegram-rate", 100000, "spawn: Telegram messages/s per bot the service may send (real limit: 30)")
	fs.IntVar(&o.TwilioMPS, "twilio-mps", 100000, "spawn: TWILIO_MPS of the service")
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", 5*time.Minute, "how long to wait for the outbound queue to drain")
	fs.DurationVar(&o.RetryFor, "retry-for", 2*time.Minute, "how long a delivery that got no 200 is retried")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the traffic mix")
	fs.Func("env", "spawn: add KEY=value to the service's environment (repeatable), e.g. GOGC=200", func(kv string) error {
		if !strings.Contains(kv, "=") {
			return errors.New("want KEY=value")
		}
		o.Env = append(o.Env, kv)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return o, o.Validate()
}

// Validate checks the options and fills defaults.
func (o *Options) Validate() error {
	var problems []string
	bad := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	if o.Spawn == (o.Target != "") {
		bad("give exactly one of --spawn and --target URL")
	}
	if o.Target != "" {
		if u, err := url.Parse(o.Target); err != nil || u.Host == "" {
			bad("--target must be a URL such as http://127.0.0.1:8080")
		}
		if o.PublicURL == "" {
			o.PublicURL = o.Target
		}
		o.Target = strings.TrimRight(o.Target, "/")
		o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	}
	if o.Instances == 0 {
		o.Instances = 1
	}
	if o.Instances < 1 || o.Instances > 1 && !o.Spawn {
		bad("--instances must be at least 1, and more than 1 only with --spawn")
	}
	if o.Balancer != "" && o.Balancer != "haproxy" && o.Balancer != "nginx" {
		bad("--balancer must be haproxy or nginx")
	}
	if o.Concurrency < 1 {
		bad("--concurrency must be at least 1")
	}
	if o.LoadProcs < 0 {
		bad("--load-procs must be 0 (all CPUs) or more")
	}
	if o.Messages < 0 || o.Messages == 0 && o.Duration <= 0 {
		bad("give a positive --duration or --messages")
	}
	if o.Senders < 0 {
		bad("--senders must not be negative")
	}
	if o.NewShare < 0 || o.NewShare > 1 || o.DupShare < 0 || o.DupShare >= 1 {
		bad("--new-share must be within 0..1 and --dup-share within 0..1 (exclusive)")
	}
	switch o.Channel {
	case "telegram", "twilio", "whatsapp", "both", "all":
	default:
		bad("--channel must be telegram, twilio, whatsapp, both or all")
	}
	if o.Target != "" && o.usesTelegram() && o.TelegramSecret == "" {
		bad("--telegram-secret is needed to drive a target's Telegram webhook")
	}
	if o.Target != "" && o.usesTwilio() && o.TwilioToken == "" {
		bad("--twilio-token is needed to drive a target's Twilio webhook")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func (o *Options) usesTelegram() bool { return o.Channel != "twilio" && o.Channel != "whatsapp" }
func (o *Options) usesTwilio() bool   { return o.Channel != "telegram" }
