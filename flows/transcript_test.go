package flows

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// act is one thing the user does in a script.
type act struct {
	say    string            // free text
	choose string            // an offered option's value: a number on SMS, a button on Telegram
	loc    *tipline.Location // a shared location (Telegram)
	wait   time.Duration     // silence before the message
	only   tipline.Channel   // play this act on this channel only ("" for all)
	staff  string            // a staff action instead of a message: "claim", "release", or "write: <text>"
}

// script is a conversation played on each of its channels.
type script struct {
	name     string
	country  string // Twilio FromCountry (SMS only)
	hint     string // Telegram language_code
	channels []tipline.Channel
	acts     []act
	staffed  bool // someone is on shift (flows.Input.Staffed)
}

// contact is what the bot keeps about a sender outside the flow state.
type contact struct {
	optedOut bool
	claimed  bool
	released time.Time
}

// staffAct does what a staff action does to the conversation: a claim
// makes the bot hold back; a release hands the chat back.
func (c *contact) staffAct(what string, now time.Time) {
	switch what {
	case "claim":
		c.claimed = true
	case "release":
		c.claimed, c.released = false, now
	}
}

// turnLog is one played turn: the input, and the output.
type turnLog struct {
	prev  State // the state the turn started from
	in    Input
	out   Output
	staff string // a staff action, instead of a turn
}

var both = []tipline.Channel{tipline.ChannelSMS, tipline.ChannelTelegram}

// numbered reports whether options go as numbered lines answered by their
// number, and the country comes from Twilio (SMS and WhatsApp).
func numbered(ch tipline.Channel) bool {
	return ch == tipline.ChannelSMS || ch == tipline.ChannelWhatsApp
}

// play runs a script on one channel and returns the turns.
func play(t *testing.T, e *Engine, s script, ch tipline.Channel) []turnLog {
	t.Helper()
	var st State
	var c contact
	now := t0
	var logs []turnLog
	for _, a := range s.acts {
		if a.only != "" && a.only != ch {
			continue
		}
		now = now.Add(time.Minute + a.wait)
		if a.staff != "" {
			c.staffAct(a.staff, now)
			logs = append(logs, turnLog{staff: a.staff})
			continue
		}
		in := Input{Channel: ch, Text: a.say, Location: a.loc, OptedOut: c.optedOut, Claimed: c.claimed,
			ReleasedAt: c.released, Staffed: func(string) bool { return s.staffed }}
		if numbered(ch) {
			in.Country = s.country
		} else {
			in.LangHint = s.hint
		}
		if a.choose != "" {
			in = answerOption(t, st, in, a.choose, logs)
		}
		out := e.Step(st, in, now)
		logs = append(logs, turnLog{prev: st, in: in, out: out})
		st = apply(out, &c)
	}
	return logs
}

// answerOption turns "choose value" into what the channel sends: on SMS
// the option's number; on Telegram the button's callback, or its label for
// a reply keyboard (AskLocation).
func answerOption(t *testing.T, st State, in Input, value string, logs []turnLog) Input {
	t.Helper()
	for i, v := range st.Options {
		if v != value {
			continue
		}
		if numbered(in.Channel) {
			in.Text = fmt.Sprint(i + 1)
			return in
		}
		if r, ok := lastOptions(logs); ok && r.AskLocation {
			in.Text = r.Options[i].Label
			return in
		}
		in.Callback = value
		return in
	}
	t.Fatalf("option %q not offered (offered %v)", value, st.Options)
	return in
}

// lastOptions is the last reply that offered options.
func lastOptions(logs []turnLog) (tipline.Reply, bool) {
	for i := len(logs) - 1; i >= 0; i-- {
		rs := logs[i].out.Replies
		for j := len(rs) - 1; j >= 0; j-- {
			if len(rs[j].Options) > 0 || rs[j].AskLocation {
				return rs[j], true
			}
		}
	}
	return tipline.Reply{}, false
}

// apply does what the bot does with the effects: the contact's opt-out
// state, and DELETE's erasure.
func apply(out Output, c *contact) State {
	st := out.State
	for _, e := range out.Effects {
		switch e.Kind {
		case EffectOptOut:
			c.optedOut = true
		case EffectOptIn:
			c.optedOut = false
		case EffectDelete:
			st = State{}
		}
	}
	return st
}

// transcript renders played turns as a readable golden file.
func transcript(s script, ch tipline.Channel, logs []turnLog) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s on %s", s.name, ch)
	if ch == tipline.ChannelSMS && s.country != "" {
		fmt.Fprintf(&b, " (FromCountry %s)", s.country)
	}
	if ch == tipline.ChannelWhatsApp && s.country != "" {
		fmt.Fprintf(&b, " (a number in %s)", s.country)
	}
	if ch == tipline.ChannelTelegram && s.hint != "" {
		fmt.Fprintf(&b, " (language_code %s)", s.hint)
	}
	b.WriteString("\n")
	for _, l := range logs {
		if l.staff != "" {
			b.WriteString("\n= staff " + l.staff + "\n")
			continue
		}
		b.WriteString("\n" + userLine(l.in) + "\n")
		for _, r := range l.out.Replies {
			lines := strings.Split(rendered(ch, r), "\n")
			b.WriteString("< " + lines[0] + "\n")
			for _, x := range lines[1:] {
				b.WriteString("  " + x + "\n")
			}
		}
		for _, e := range l.out.Effects {
			fmt.Fprintf(&b, "! %s %s\n", e.Kind, e.Detail)
		}
	}
	return b.String()
}

// userLine shows what the user sent.
func userLine(in Input) string {
	switch {
	case in.Location != nil:
		return fmt.Sprintf("> [location %.3f, %.3f]", in.Location.Lat, in.Location.Lon)
	case in.Callback != "":
		return "> [button " + in.Callback + "]"
	}
	return "> " + in.Text
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./flows -run Transcripts -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run with -update and review the diff.\n--- got ---\n%s", path, got)
	}
}

func TestTranscripts(t *testing.T) {
	e := testEngine(t)
	for _, s := range scripts {
		for _, ch := range s.channels {
			t.Run(s.name+"/"+string(ch), func(t *testing.T) {
				logs := play(t, e, s, ch)
				for i, l := range logs {
					for _, r := range l.out.Replies {
						for _, p := range checkReply(e.Dir, ch, r) {
							t.Errorf("turn %d (%s): %s\n%s", i+1, userLine(l.in), p, rendered(ch, r))
						}
					}
					checkDangerTurn(t, e, l)
				}
				golden(t, s.name+"."+string(ch)+".txt", transcript(s, ch, logs))
			})
		}
	}
}
