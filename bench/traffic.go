package bench

import (
	"math/rand/v2"
	"net/url"
	"strconv"
	"sync"
	"time"

	"tipline/twilio"
)

// Channel names as the database stores them.
const (
	chTelegram = "telegram"
	chSMS      = "sms"
	chWhatsApp = "whatsapp"
)

// sender is one simulated person: a Telegram chat or a phone number, and
// how far their conversation has got.
type sender struct {
	channel string
	id      string    // chat id or E.164 number
	step    int       // next step of the script
	busy    bool      // a message of theirs is in flight
	last    time.Time // when their last message was answered
}

// message is one webhook delivery: the provider's id, the signed request
// body, and whether it repeats an accepted delivery.
type message struct {
	channel string
	id      string // Telegram update_id or Twilio MessageSid
	body    string
	sig     string // X-Twilio-Signature; "" for Telegram
	s       *sender
	dup     bool
	fresh   bool // the sender's first message
}

// traffic makes the message mix: the share of duplicates and of new
// senders is spread evenly (deterministically) over the run; the rest
// continue a random open conversation with the next step of its script.
type traffic struct {
	opts      *Options
	mu        sync.Mutex
	rng       *rand.Rand
	senders   []*sender
	accepted  []*message // ring of recently accepted messages, for duplicates
	deliv     int        // deliveries made
	unique    int        // unique messages made
	nextNew   int        // index of the next new sender
	updateID  int64      // Telegram update_ids increase globally
	chatBase  int64
	phoneArea int
	twilioSID string
}

func newTraffic(o *Options, twilioSID string) *traffic {
	salt := time.Now().UnixNano()
	return &traffic{
		opts: o, rng: rand.New(rand.NewPCG(uint64(o.Seed), 0x7ea1)),
		updateID:  100_000_000 + salt/1e6%1_000_000*1000, // Telegram's ids fit 32 bits
		chatBase:  6_000_000_000 + salt/1e3%1_000_000*10_000_000,
		phoneArea: 200 + int(salt/1e6%800), twilioSID: twilioSID,
	}
}

// share reports whether event n (0-based) is one of a share p spread
// evenly: exactly floor(n*p) of the first n events are.
func share(n int, p float64) bool {
	return int(float64(n+1)*p) > int(float64(n)*p)
}

// newSender opens a conversation for the next simulated person.
func (t *traffic) newSender() *sender {
	n := t.nextNew
	t.nextNew++
	s := &sender{channel: senderChannel(t.opts.Channel, n)}
	if s.channel == chTelegram {
		s.id = strconv.FormatInt(t.chatBase+int64(n), 10)
	} else {
		s.id = "+1" + strconv.Itoa(t.phoneArea) + pad7(n)
	}
	t.senders = append(t.senders, s)
	return s
}

func pad7(n int) string {
	s := strconv.Itoa(n % 10_000_000)
	for len(s) < 7 {
		s = "0" + s
	}
	return s
}

// warmup returns the first message of every sender opened before the run.
func (t *traffic) warmup(n int) []*message {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*message, 0, n)
	for range n {
		s := t.newSender()
		s.busy = true
		out = append(out, t.build(s))
	}
	return out
}

// next returns the next delivery, or nil when limit unique messages were
// made (limit 0: no limit).
func (t *traffic) next(limit int) *message {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.deliv
	if share(n, t.opts.DupShare) && len(t.accepted) > 0 {
		t.deliv++
		m := *t.accepted[t.rng.IntN(len(t.accepted))]
		m.dup = true
		return &m
	}
	if limit > 0 && t.unique >= limit {
		return nil
	}
	t.deliv++
	s := t.pick(share(t.unique, t.opts.NewShare))
	t.unique++
	s.busy = true
	return t.build(s)
}

// pick chooses a sender: a new one, or an open conversation with nothing
// in flight whose last message is at least Think old (a person reads the
// answer before typing again). When 16 tries find none, a new person
// writes in.
func (t *traffic) pick(fresh bool) *sender {
	if !fresh && len(t.senders) > 0 {
		now := time.Now()
		for range 16 {
			if s := t.senders[t.rng.IntN(len(t.senders))]; !s.busy && now.Sub(s.last) >= t.opts.Think {
				return s
			}
		}
	}
	return t.newSender()
}

// done records the outcome of a delivery.
func (t *traffic) done(m *message, accepted bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if m.dup {
		return
	}
	m.s.busy = false
	m.s.last = time.Now()
	if !accepted {
		return
	}
	const ring = 4096
	if len(t.accepted) < ring {
		t.accepted = append(t.accepted, m)
	} else {
		t.accepted[t.rng.IntN(ring)] = m
	}
}

// build makes the sender's next message, signed.
func (t *traffic) build(s *sender) *message {
	step := s.step
	s.step++
	m := &message{channel: s.channel, s: s, fresh: step == 0}
	if s.channel == chTelegram {
		t.updateID++
		m.id = strconv.FormatInt(t.updateID, 10)
		m.body = telegramUpdate(t.updateID, s.id, step)
		return m
	}
	m.id = "SM" + randomHex(16)
	form := twilioForm(m.id, t.twilioSID, s.id, smsText(step, s.id))
	if s.channel == chWhatsApp {
		form = whatsappForm(m.id, t.twilioSID, s.id, smsText(step, s.id))
	}
	m.body = form.Encode()
	m.sig = twilio.Sign(t.opts.TwilioToken, t.opts.PublicURL+"/webhooks/twilio", form)
	return m
}

// twilioForm is what Twilio posts for an inbound SMS, location fields
// included (Tipline must drop them).
func twilioForm(sid, account, from, body string) url.Values {
	return url.Values{
		"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}, "AccountSid": {account},
		"From": {from}, "To": {"+15005550006"}, "Body": {body}, "NumMedia": {"0"}, "NumSegments": {"1"},
		"SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}, "FromCountry": {"US"}, "FromState": {"NY"},
		"FromCity": {"NEW YORK"}, "FromZip": {"10027"}, "ToCountry": {"US"}, "ToState": {"CA"},
		"ToCity": {"SAN FRANCISCO"}, "ToZip": {"94105"},
	}
}
