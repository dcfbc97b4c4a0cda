package flows

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tipline"
)

// walkTexts are free texts a walk may send, in the three languages:
// greetings, needs, places (known and unknown), danger phrases, keywords
// and noise.
var walkTexts = []string{
	"hi", "hola", "bonjour", "help", "AYUDA", "aide", "INFO", "menu", "LANGUAGE", "idioma", "langue",
	"español", "english", "français", "more", "más", "plus", "skip", "saltar", "passer",
	"I need somewhere to sleep tonight", "tengo hambre", "j'ai besoin de parler à quelqu'un",
	"10001", "77002", "H2X 1Y4", "Houston, TX", "Montréal, QC", "Dallas TX", "00000", "Springfield",
	"he won't let me leave", "me quiero morir", "il va me tuer", "he took my id", "sobredosis",
	"STOP", "PARAR", "ARRÊT", "START", "yes", "oui", "DELETE", "BORRAR", "report", "SEEN 4821",
	"STATUS K7M2P9", "1", "2", "3", "4", "5", "6", "7", "0", "", "???", "ok thanks", "lol",
	"I'm not going to kill it at the exam",
}

// TestRandomWalk drives the flows with a seeded random mix of chosen
// options, free text, locations and silences on both channels and from
// every country, and checks every outbound message against the rules:
// neutral opening, only directory contacts, SMS within 3 segments, valid
// Telegram replies, 911 first on every danger hit.
//
// The report flow is left out here (its default stand-in answers): it
// echoes what tipsters type, so TestRandomWalkReports checks it without
// the contact rule.
func TestRandomWalk(t *testing.T) {
	withReports(t, nil)
	randomWalk(t, 20260314, true)
}

// TestRandomWalkReports is the same walk with the registered report flow,
// checking every rule but the contact one on report-flow messages.
func TestRandomWalkReports(t *testing.T) {
	randomWalk(t, 20260315, false)
}

func randomWalk(t *testing.T, seed uint64, strict bool) {
	e := testEngine(t)
	rng := rand.New(rand.NewPCG(seed, 4))
	countries := []string{"US", "CA", "MX", "", "GB"}
	hints := []string{"en", "es", "fr", "fr-CA", "es-MX", "", "de"}
	langsSeen := map[string]int{}
	for walk := 0; walk < walks; walk++ {
		ch := both[rng.IntN(2)]
		country, hint := countries[rng.IntN(len(countries))], hints[rng.IntN(len(hints))]
		var st State
		var c contact
		now := t0
		for i := 0; i < 25; i++ {
			now = now.Add(time.Duration(rng.IntN(40)) * time.Minute)
			in := walkInput(rng, st, ch, country, hint)
			in.OptedOut, in.Claimed = c.optedOut, c.claimed
			out := e.Step(st, in, now)
			report := st.Flow == FlowReport || out.State.Flow == FlowReport
			for _, r := range out.Replies {
				for _, p := range checkReply(e.Dir, ch, r) {
					if !strict && report && (strings.HasPrefix(p, "number ") || strings.HasPrefix(p, "keyword ")) {
						continue // a tipster's own words echoed back
					}
					t.Errorf("walk %d turn %d (%s %s, %q): %s\n%s", walk, i, ch, country, in.Text, p, rendered(ch, r))
				}
			}
			checkDangerTurn(t, e, turnLog{prev: st, in: in, out: out})
			st = apply(out, &c)
			langsSeen[st.Lang] += len(out.Replies)
		}
	}
	for _, l := range Langs {
		if langsSeen[l] < 50 {
			t.Errorf("the walk sent only %d replies in %s", langsSeen[l], l)
		}
	}
}

// walkInput picks the next message: mostly an offered option, else text or
// a location.
func walkInput(rng *rand.Rand, st State, ch tipline.Channel, country, hint string) Input {
	in := Input{Channel: ch}
	if ch == tipline.ChannelSMS {
		in.Country = country
	} else {
		in.LangHint = hint
	}
	switch n := rng.IntN(10); {
	case n < 5 && len(st.Options) > 0:
		i := rng.IntN(len(st.Options))
		if ch == tipline.ChannelSMS {
			in.Text = fmt.Sprint(i + 1)
		} else {
			in.Callback = st.Options[i]
		}
	case n == 5 && ch == tipline.ChannelTelegram:
		in.Location = &tipline.Location{Lat: 25 + rng.Float64()*25, Lon: -125 + rng.Float64()*60}
	default:
		in.Text = walkTexts[rng.IntN(len(walkTexts))]
		if rng.IntN(4) == 0 {
			in.Text = strings.ToUpper(in.Text)
		}
	}
	return in
}
