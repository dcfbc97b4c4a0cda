package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/config"
	"tipline/flows"
	"tipline/seal"
	"tipline/sim"
	"tipline/store"
)

const chatHelp = `Talking to the bot as a simulated %s user (nothing is paged; the conversation is marked simulated).
Type a message and press Enter.%s
/location LAT,LON shares a location (Telegram, WhatsApp; never SMS or the web chat), /new starts a new conversation, /quit or Ctrl-D ends.
`

// runChat is `tipline chat [--as sms|telegram|whatsapp|webchat]`: a terminal conversation
// with the bot as a simulated user, through the same turn and outbox as the
// real channels, rendered as the chosen channel shows it.
func runChat(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	as := fs.String("as", "sms", "render the bot's answers as `sms`, telegram, whatsapp or webchat")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*as != "sms" && *as != "telegram" && *as != "whatsapp" && *as != "webchat") {
		fmt.Fprintln(e.stderr, "usage: tipline chat [--as sms|telegram|whatsapp|webchat]")
		return errUsage
	}
	cfg, err := config.Load(e.getenv, config.ModeDev)
	if err != nil {
		return err
	}
	setupLogging(e.stderr, cfg)
	dbURL, stop, err := chatDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer stop()
	c, err := newChat(ctx, cfg, dbURL, *as, e)
	if err != nil {
		return err
	}
	defer c.pool.Close()
	return c.run(ctx)
}

// chatDatabase finds the database: DATABASE_URL, or the private cluster of
// a checkout where `tipline dev` ran. stop stops the cluster if chat
// started it (a running `tipline dev` keeps its own).
func chatDatabase(ctx context.Context, cfg *config.Config) (string, func(), error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	if _, err := os.Stat(devDir); err != nil {
		return "", nil, errors.New("no database: set DATABASE_URL, or run 'tipline dev' once in this directory (it keeps a private PostgreSQL under ./.tipline/)")
	}
	_, err := os.Stat(filepath.Join(devDir, "postgres", "data", "postmaster.pid"))
	wasRunning := err == nil
	cl, err := startDevCluster(ctx)
	if err != nil {
		return "", nil, err
	}
	return cl.URL("tipline"), func() {
		if !wasRunning {
			_ = cl.Stop()
		}
	}, nil
}

// chatKeys are TIPLINE_SECRET_KEY's keys, or the dev key of this checkout.
func chatKeys(cfg *config.Config) (*seal.Keys, error) {
	key := cfg.SecretKey
	if key == "" {
		if _, err := os.Stat(devDir); err != nil {
			return nil, errors.New("TIPLINE_SECRET_KEY is required (or run 'tipline dev' once in this directory)")
		}
		var err error
		if key, err = devSecretKey(); err != nil {
			return nil, err
		}
	}
	keys, err := seal.ParseKeys(key, cfg.PrevKeys)
	if err != nil {
		return nil, fmt.Errorf("TIPLINE_SECRET_KEY: %w", err)
	}
	return keys, nil
}

// chat is one terminal conversation.
type chat struct {
	e       env
	as      string // sms, telegram, whatsapp or webchat
	pool    *pgxpool.Pool
	keys    *seal.Keys
	bot     *bot.Bot
	in      *bufio.Scanner
	echo    bool // stdin is not a terminal: echo what is read
	session string
	lastID  int64        // the newest message shown
	buttons []sim.Button // the latest Telegram buttons, pressed by number
}

func newChat(ctx context.Context, cfg *config.Config, dbURL, as string, e env) (*chat, error) {
	keys, err := chatKeys(cfg)
	if err != nil {
		return nil, err
	}
	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	engine, err := chatEngine(ctx, cfg, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	in := bufio.NewScanner(e.stdin)
	in.Buffer(make([]byte, 64<<10), 64<<10)
	return &chat{e: e, as: as, pool: pool, keys: keys, bot: bot.New(pool, keys, engine, nil, nil),
		in: in, echo: !isTerminal(e.stdin), session: sim.NewSessionID()}, nil
}

// chatEngine migrates the database and loads the flows with its resource
// directory, as the service does.
func chatEngine(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool) (*flows.Engine, error) {
	ms, err := store.LoadMigrations(migrationsFS)
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx, pool, ms); err != nil {
		return nil, err
	}
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		return nil, err
	}
	dir, err := store.LoadDirectory(ctx, pool)
	if err != nil {
		return nil, err
	}
	return &flows.Engine{Dir: dir, TZ: cfg.Timezone, Timeout: cfg.FlowTimeout}, nil
}

func (c *chat) run(ctx context.Context) error {
	extra := " Options are numbered: type the number."
	if c.buttonsShown() {
		extra = " Press a button by typing its number in brackets."
	}
	fmt.Fprintf(c.e.stdout, chatHelp, map[string]string{"sms": "SMS", "telegram": "Telegram", "whatsapp": "WhatsApp",
		"webchat": "web chat"}[c.as], extra)
	for ctx.Err() == nil {
		line, ok := c.prompt("you> ")
		if !ok {
			break
		}
		in, done, err := c.parse(line)
		switch {
		case done:
			return nil
		case err != nil:
			fmt.Fprintln(c.e.stdout, "  ("+err.Error()+")")
			continue
		case in == nil:
			continue
		}
		if err := c.turn(ctx, *in); err != nil {
			return err
		}
	}
	fmt.Fprintln(c.e.stdout)
	return ctx.Err()
}

func (c *chat) prompt(p string) (string, bool) {
	fmt.Fprint(c.e.stdout, p)
	if !c.in.Scan() {
		return "", false
	}
	line := strings.TrimRight(c.in.Text(), "\r")
	if c.echo {
		fmt.Fprintln(c.e.stdout, line) // piped input: keep the transcript readable
	}
	return line, true
}

// parse turns a typed line into what the user sends: nil for nothing,
// done for /quit.
func (c *chat) parse(line string) (in *sim.Input, done bool, err error) {
	t := strings.TrimSpace(line)
	switch {
	case t == "":
		return nil, false, nil
	case t == "/quit" || t == "/exit":
		return nil, true, nil
	case t == "/new":
		c.session, c.lastID, c.buttons = sim.NewSessionID(), 0, nil
		fmt.Fprintln(c.e.stdout, "  (new conversation)")
		return nil, false, nil
	case strings.HasPrefix(t, "/location"):
		return c.location(strings.TrimSpace(strings.TrimPrefix(t, "/location")))
	}
	if n, err := strconv.Atoi(t); err == nil && c.buttonsShown() && n >= 1 && n <= len(c.buttons) {
		return c.press(c.buttons[n-1])
	}
	return &sim.Input{Text: line}, false, nil
}

// press sends what pressing a Telegram button sends.
func (c *chat) press(b sim.Button) (*sim.Input, bool, error) {
	switch b.Kind {
	case sim.ButtonCallback:
		return &sim.Input{Callback: b.Value}, false, nil
	case sim.ButtonLocation:
		coords, ok := c.prompt("latitude, longitude> ")
		if !ok {
			return nil, true, nil
		}
		return c.location(coords)
	}
	return &sim.Input{Text: b.Label}, false, nil
}

func (c *chat) location(coords string) (*sim.Input, bool, error) {
	if c.as == "sms" || c.as == "webchat" {
		return nil, false, errors.New("an SMS or web chat user cannot share a location: type a place, such as a ZIP code or a city")
	}
	lat, lon, ok := strings.Cut(strings.ReplaceAll(coords, " ", ""), ",")
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	in := &sim.Input{Location: &tipline.Location{Lat: la, Lon: lo}}
	if !ok || err1 != nil || err2 != nil || in.Validate() != nil {
		return nil, false, errors.New("type the location as LAT,LON, such as 40.758,-73.9855")
	}
	return in, false, nil
}

// turn runs one message through the bot, delivers the replies the way the
// simulator sender does, and prints them.
func (c *chat) turn(ctx context.Context, in sim.Input) error {
	if err := in.Validate(); err != nil {
		fmt.Fprintln(c.e.stdout, "  ("+tipline.Message(err)+")")
		return nil
	}
	if err := c.bot.Handle(ctx, sim.Inbound(c.session, in, time.Now())); err != nil {
		return err
	}
	conv, msgs, err := sim.Transcript(ctx, c.pool, c.keys, c.session, c.lastID, 1000)
	if err != nil || conv == nil {
		return err
	}
	erased, err := c.deliver(ctx, conv.ID)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		c.lastID = max(c.lastID, m.ID)
		if m.Direction == "out" {
			c.print(m)
		}
	}
	if erased {
		fmt.Fprintln(c.e.stdout, "  (the conversation was erased; what you type next starts a new one)")
		c.lastID, c.buttons = 0, nil
	}
	return nil
}

// deliver marks the conversation's queued replies sent, as a worker with
// only the simulator sender would, and erases it when DELETE asked. It
// touches no other conversation's rows: a worker's RunOnce claims every
// channel's due rows, and without their senders it would fail real
// messages of a shared database.
func (c *chat) deliver(ctx context.Context, convID int64) (erased bool, err error) {
	erase, err := store.DeliverSim(ctx, c.pool, convID, time.Now())
	if err != nil || !erase {
		return false, err
	}
	return true, store.InTx(ctx, c.pool, func(tx pgx.Tx) error { return store.EraseConversation(ctx, tx, convID) })
}

// print shows one outbound message as the chosen channel would.
func (c *chat) print(m sim.Message) {
	w := c.e.stdout
	who := "bot"
	if m.Kind == "staff" {
		who = "staff"
	}
	if c.as == "whatsapp" {
		fmt.Fprintf(w, "%s: %s\n", who, indent(m.WhatsApp.Text))
		fmt.Fprintf(w, "     [%d characters%s]\n", m.WhatsApp.Chars, map[bool]string{true: "; over 1600: the provider would refuse it"}[m.WhatsApp.TooLong])
		return
	}
	if c.as == "sms" {
		fmt.Fprintf(w, "%s: %s\n", who, indent(m.SMS.Text))
		fmt.Fprintf(w, "     [%s, %d segment%s%s]\n", m.SMS.Encoding, m.SMS.Segments, plural(m.SMS.Segments), tooLong(m.SMS))
		return
	}
	fmt.Fprintf(w, "%s: %s\n", who, indent(m.Telegram.Text))
	if len(m.Telegram.Buttons) == 0 {
		return
	}
	c.buttons = m.Telegram.Buttons
	if m.Telegram.Keyboard {
		fmt.Fprintln(w, "     keyboard:")
	}
	for i, b := range c.buttons {
		label := b.Label
		if b.Kind == sim.ButtonLocation {
			label += " share location"
		}
		fmt.Fprintf(w, "     [%d] %s\n", i+1, label)
	}
}

// buttonsShown reports whether options show as buttons pressed by number:
// Telegram, and the web chat (its buttons are Telegram's inline ones; the
// flows never ask it for a location).
func (c *chat) buttonsShown() bool { return c.as == "telegram" || c.as == "webchat" }

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n     ") }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func tooLong(v *sim.SMSView) string {
	if v.TooLong {
		return "; over 3 segments: the provider would refuse it"
	}
	return ""
}
