package flows

import (
	"strings"
	"testing"

	"tipline"
)

// honestScripts are the transcripts of issue 16, each played on SMS and
// Telegram against testdata/<name>.<channel>.txt: the "nothing listed near
// you" answer, a place in the first message, menu choices typed in words
// and "thanks" in each language, and tipsters' words, which are never
// answered with the youth lines.
var honestScripts = []script{
	{name: "nothing-near-en", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{say: "77002"},
	}},
	{name: "nothing-near-es", country: "US", hint: "es", channels: both, acts: []act{
		{say: "hola"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{say: "Chicago, IL"},
	}},
	{name: "nothing-near-fr", country: "CA", hint: "fr-CA", channels: both, acts: []act{
		{say: "allo"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{say: "T2P 1J9"},
	}},
	{name: "place-first-message-en", country: "US", hint: "en", channels: both, acts: []act{
		{say: "need somewhere to sleep in 77002"},
		{say: "im 16, what about 10001"},
		{choose: "need:shelter"},
	}},
	{name: "place-first-message-es", country: "US", hint: "es", channels: both, acts: []act{
		{say: "tengo hambre, estoy en Houston, TX"},
	}},
	{name: "place-first-message-fr", country: "CA", hint: "fr-CA", channels: both, acts: []act{
		{say: "J'ai besoin d'un endroit pour dormir ce soir, je suis à Montréal, QC"},
	}},
	{name: "menu-words-en", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{say: "help for me please"},
		{say: "im hungry"},
		{say: "im in 10001"},
		{say: "thanks!"},
		{say: "I want to report a sighting"},
	}},
	{name: "menu-words-es", country: "US", hint: "es", channels: both, acts: []act{
		{say: "hola"},
		{say: "ayuda para mí"},
		{say: "comida"},
		{say: "Houston, TX"},
		{say: "muchas gracias"},
		{say: "quiero cambiar de idioma"},
	}},
	{name: "menu-words-fr", country: "CA", hint: "fr-CA", channels: both, acts: []act{
		{say: "bonjour"},
		{say: "de l'aide pour moi svp"},
		{say: "un endroit sûr"},
		{say: "H2X 1Y4"},
		{say: "merci"},
		{say: "je veux faire un signalement"},
	}},
	{name: "tipster-words-fr", country: "CA", hint: "fr-CA", channels: both, acts: []act{
		{say: "J'ai vu une fille qui ressemble à l'affiche à la gare ce soir, elle avait l'air d'avoir peur"},
		{choose: "rpt:skip"},
		{choose: "rpt:no"},
		{say: "ce soir vers 20h"},
		{say: "Gare Centrale, Montréal"},
		{say: "cheveux noirs, sac rose"},
		{choose: "rpt:nophoto"},
		{choose: "rpt:no"},
	}},
	{name: "tipster-words-en", country: "US", hint: "en", channels: both, acts: []act{
		{say: "I saw a girl at the bus station who looked scared. I need help, what do I do?"},
		{say: "someone i saw"},
	}},
	{name: "tipster-words-es", country: "US", hint: "es", channels: both, acts: []act{
		{say: "Vi a una niña que se parece a la del cartel en la central de autobuses"},
	}},
	{name: "tipster-danger", country: "US", hint: "en", channels: both, acts: []act{
		{say: "I saw a man hitting a little girl at the bus stop, she is bleeding"},
	}},
	{name: "tipster-danger-es", country: "US", hint: "es", channels: both, acts: []act{
		{say: "Vi a un hombre que metió a una niña a la fuerza en una camioneta, ella gritaba"},
	}},
}

// youthLines are catalogue keys only a youth asking for themselves may
// get: a tipster's words must never bring them.
var youthLines = []string{"danger.first", "concern.first", "help.need.ask", "help.where.ask", "crisis.ack.staffed",
	"crisis.ack.unstaffed", "help.local", "help.national", "emergency.call"}

func TestHonestTranscripts(t *testing.T) {
	e := testEngine(t)
	for _, s := range honestScripts {
		for _, ch := range s.channels {
			t.Run(s.name+"/"+string(ch), func(t *testing.T) {
				logs := play(t, e, s, ch)
				var wrote []string
				for i, l := range logs {
					wrote = append(wrote, l.in.Text)
					for _, r := range l.out.Replies {
						for _, p := range checkReply(e.Dir, ch, sanitized(r, wrote...)) {
							t.Errorf("turn %d (%s): %s\n%s", i+1, userLine(l.in), p, rendered(ch, r))
						}
						if strings.HasPrefix(s.name, "tipster-") {
							noYouthLines(t, l, r)
						}
					}
					if strings.HasPrefix(s.name, "tipster-") && l.out.State.Crisis != nil {
						t.Errorf("turn %d (%s): a tipster's words started crisis mode", i+1, userLine(l.in))
					}
				}
				golden(t, s.name+"."+string(ch)+".txt", transcript(s, ch, logs))
			})
		}
	}
}

// noYouthLines fails when a reply to a tipster opens with one of the
// youth lines, in any language.
func noYouthLines(t *testing.T, l turnLog, r tipline.Reply) {
	t.Helper()
	for _, key := range youthLines {
		for _, lang := range Langs {
			head, _, _ := strings.Cut(messages.Text(lang, key), "{")
			if len(head) > 8 && strings.Contains(r.Text, head) {
				t.Errorf("%s: a tipster got the youth line %s:\n%s", userLine(l.in), key, r.Text)
			}
		}
	}
}
