package flows

import (
	"strings"
	"testing"
	"time"

	"tipline"
)

// dangerHits are messages that must hit, with the category expected first.
var dangerHits = []struct{ lang, text, cat string }{
	// English
	{"en", "he's going to kill me if i go back", DangerImminent},
	{"en", "HE SAID HE WILL KILL ME", DangerImminent},
	{"en", "i'm not safe here", DangerImminent},
	{"en", "someone is following me rn", DangerImminent},
	{"en", "he won't let me leave the motel", DangerHeld},
	{"en", "they took my ID and my phone", DangerHeld},
	{"en", "I think I was kidnaped", DangerHeld},
	{"en", "he makes me have sex with guys for money", DangerExploitation},
	{"en", "my pimp says I owe him", DangerExploitation},
	{"en", "i was traficked", DangerExploitation},
	{"en", "I want to kill myself", DangerSelfHarm},
	{"en", "i keep thinking about sucide", DangerSelfHarm},
	{"en", "honestly i just wanna die", DangerSelfHarm},
	{"en", "my friend took too many pills and is not breathing", DangerMedical},
	{"en", "I got stabbed", DangerMedical},
	// Spanish
	{"es", "me va a matar si regreso", DangerImminent},
	{"es", "Estoy en peligro", DangerImminent},
	{"es", "tiene una pistola", DangerImminent},
	{"es", "no me deja salir de la casa", DangerHeld},
	{"es", "me quitaron el teléfono y los papeles", DangerHeld},
	{"es", "ME SECUESTRARON", DangerHeld},
	{"es", "me obligan a trabajar sin paga", DangerHeld},
	{"es", "me obliga a tener sexo por dinero", DangerExploitation},
	{"es", "mi padrote no me deja ir", DangerHeld},
	{"es", "me violaron", DangerExploitation},
	{"es", "me quiero morir", DangerSelfHarm},
	{"es", "pienso en suicidarme", DangerSelfHarm},
	{"es", "mi amiga tomó muchas pastillas", DangerMedical},
	{"es", "no puede respirar", DangerMedical},
	// French
	{"fr", "il va me tuer", DangerImminent},
	{"fr", "je suis en danger", DangerImminent},
	{"fr", "quelqu'un me suit", DangerImminent},
	{"fr", "il m'a enfermée dans la chambre", DangerHeld},
	{"fr", "Ils ne me laissent pas partir", DangerHeld},
	{"fr", "il a pris mes papiers", DangerHeld},
	{"fr", "mon proxénète veut que je travaille ce soir", DangerExploitation},
	{"fr", "je fais du sexe contre de l'argent", DangerExploitation},
	{"fr", "j'ai envie de me tuer", DangerSelfHarm},
	{"fr", "je veux mourir", DangerSelfHarm},
	{"fr", "elle s'est évanouie et respire plus", DangerMedical},
	{"fr", "on m'a tiré dessus", DangerMedical},
}

// dangerMisses are near misses: the same words in harmless sentences.
var dangerMisses = []struct{ lang, text string }{
	// English
	{"en", "I'm not going to kill it at the exam"},
	{"en", "this exam is going to kill me lol"},
	{"en", "i killed it at practice"},
	{"en", "i almost killed myself laughing"},
	{"en", "we watched suicide squad"},
	{"en", "he hit me up yesterday"},
	{"en", "my brother beat me at chess"},
	{"en", "he took me to the movies"},
	{"en", "I cut myself shaving"},
	{"en", "she passed out the flyers"},
	{"en", "I almost had a heart attack when I saw the price"},
	{"en", "I can't leave the house until my homework is done"},
	{"en", "i'm dying to see that movie"},
	{"en", "trapped in traffic again"},
	{"en", "the grapes are sour"},
	{"en", "my phone is dead"},
	// Spanish
	{"es", "vamos a matar el tiempo"},
	{"es", "me muero de risa"},
	{"es", "la canción se me pega"},
	{"es", "me corté el pelo"},
	{"es", "me sigue en instagram"},
	{"es", "casi me da un infarto con el examen"},
	{"es", "no estoy segura de la hora"},
	{"es", "mi mamá me obliga a estudiar"},
	{"es", "me trata bien"},
	{"es", "no puedo salir esta noche"},
	{"es", "me vende ropa barata"},
	// French
	{"fr", "on va tuer le temps"},
	{"fr", "je suis mort de rire"},
	{"fr", "il me bat aux échecs"},
	{"fr", "elle me suit sur instagram"},
	{"fr", "l'espèce est en danger"},
	{"fr", "j'ai enlevé mon manteau"},
	{"fr", "je veux en finir avec ce projet"},
	{"fr", "ça me touche beaucoup"},
	{"fr", "je me coupe les cheveux"},
	{"fr", "il est violet"},
	{"fr", "je meurs de faim"},
}

func TestDangerHits(t *testing.T) {
	for _, c := range dangerHits {
		h, ok := Screen(c.text)
		if !ok {
			t.Errorf("%s %q: no hit, want %s", c.lang, c.text, c.cat)
			continue
		}
		if h.Category != c.cat {
			t.Errorf("%s %q: category %s (phrase %q), want %s", c.lang, c.text, h.Category, h.Phrase, c.cat)
		}
		if h.Lang != c.lang {
			t.Errorf("%s %q: language %s (phrase %q)", c.lang, c.text, h.Lang, h.Phrase)
		}
	}
}

func TestDangerNearMisses(t *testing.T) {
	for _, c := range dangerMisses {
		if h, ok := Screen(c.text); ok {
			t.Errorf("%s %q: false hit %s on %q", c.lang, c.text, h.Category, h.Phrase)
		}
	}
}

func TestDangerCoversEveryCategoryAndLanguage(t *testing.T) {
	seenHit := map[string]bool{}
	for _, c := range dangerHits {
		seenHit[c.lang+"/"+c.cat] = true
	}
	seenMiss := map[string]bool{}
	for _, c := range dangerMisses {
		seenMiss[c.lang] = true
	}
	for _, l := range Langs {
		if !seenMiss[l] {
			t.Errorf("no near-miss test in %s", l)
		}
		for _, cat := range dangerData.Order {
			if len(dangerData.Phrases[cat][l]) == 0 {
				t.Errorf("danger.json has no %s phrases in %s", cat, l)
			}
			if !seenHit[l+"/"+cat] {
				t.Errorf("no hit test for %s in %s", cat, l)
			}
		}
	}
}

func TestDangerWordBoundaries(t *testing.T) {
	for _, text := range []string{"kill myselfie", "suicideboys", "preoverdose", "viole"} {
		if h, ok := Screen(text); ok {
			t.Errorf("%q hit %q: phrases must match whole words", text, h.Phrase)
		}
	}
	for _, text := range []string{"I WANT TO KILL MYSELF!!!", "i want to kill…myself", "i want to kill\nmyself"} {
		if _, ok := Screen(text); !ok {
			t.Errorf("%q: case, punctuation and line breaks must not hide a phrase", text)
		}
	}
}

func TestDangerPhrasesAreClean(t *testing.T) {
	for cat, list := range dangerData.Phrases {
		for lang, phrases := range list {
			for _, p := range phrases {
				if strings.ContainsAny(p, "0123456789") {
					t.Errorf("%s/%s phrase %q holds a number: numbers belong in the directory", cat, lang, p)
				}
			}
		}
	}
}

// trafficking lines per country (DESIGN.md section 3, issue 4).
var traffickingLine = map[string]string{"US": "us-nhth", "CA": "ca-human-trafficking-hotline", "MX": "mx-lnctp"}

func TestDangerAnswerPerCountry(t *testing.T) {
	e := testEngine(t)
	for _, country := range []string{"US", "CA", "MX", "", "GB"} {
		for _, ch := range both {
			in := Input{Channel: ch, Text: "he sold me to a man and won't let me leave", Country: country}
			out := e.Step(State{}, in, t0)
			if !hasEffect(out, EffectHighRisk) || !hasEffect(out, EffectPage) {
				t.Fatalf("%s/%s: effects %v", country, ch, out.Effects)
			}
			body := joinReplies(ch, out)
			if got := firstNumber(body); got != e.Dir.Emergency(country).Phone {
				t.Errorf("%s/%s: first number %q, want the emergency number first\n%s", country, ch, got, body)
			}
			want := traffickingLine[country]
			if want == "" {
				want = "us-nhth"
				if !strings.Contains(body, messages.Text("en", "emergency.outside")) {
					t.Errorf("%s/%s: unknown country without the local-emergency line\n%s", country, ch, body)
				}
			}
			for c, id := range traffickingLine {
				r, _ := e.Dir.Get(id)
				if has := strings.Contains(body, r.Phone); has != (id == want) {
					t.Errorf("%s/%s: trafficking line of %s shown=%v\n%s", country, ch, c, has, body)
				}
			}
		}
	}
}

func TestSelfHarmGives988(t *testing.T) {
	e := testEngine(t)
	for country, id := range map[string]string{"US": "us-988", "CA": "ca-988"} {
		out := e.Step(State{}, Input{Channel: tipline.ChannelSMS, Text: "i want to end my life", Country: country}, t0)
		r, _ := e.Dir.Get(id)
		if body := joinReplies(tipline.ChannelSMS, out); !strings.Contains(body, r.Phone) {
			t.Errorf("%s: no %s in\n%s", country, id, body)
		}
	}
}

func TestDangerAlwaysRuns(t *testing.T) {
	e := testEngine(t)
	mid := State{Lang: "en", Flow: FlowHelp, Step: stepWhere, Options: []string{"where:skip"}, Waiting: t0}
	cases := []struct {
		name    string
		in      Input
		replies bool
	}{
		{"claimed", Input{Channel: tipline.ChannelSMS, Text: "he has a gun", Claimed: true}, true},
		{"opted out telegram", Input{Channel: tipline.ChannelTelegram, Text: "he has a gun", OptedOut: true}, true},
		{"opted out sms", Input{Channel: tipline.ChannelSMS, Text: "he has a gun", OptedOut: true}, false},
	}
	for _, c := range cases {
		out := e.Step(mid, c.in, t0.Add(time.Minute))
		if !hasEffect(out, EffectHighRisk) || !hasEffect(out, EffectPage) {
			t.Errorf("%s: effects %v", c.name, out.Effects)
		}
		if (len(out.Replies) > 0) != c.replies {
			t.Errorf("%s: %d replies, want replies=%v", c.name, len(out.Replies), c.replies)
		}
		if len(out.Replies) > 1 {
			t.Errorf("%s: %d replies; a claimed or opted-out chat gets the danger answer only", c.name, len(out.Replies))
		}
	}
}

func TestDangerAnswerStandsAlone(t *testing.T) {
	e := testEngine(t)
	for _, st := range []State{{}, {Lang: "en", Flow: FlowHelp, Step: stepDone, Options: []string{"menu"}, Waiting: t0}} {
		out := e.Step(st, Input{Channel: tipline.ChannelSMS, Text: "i think he wants to kill me", Country: "US"}, t0.Add(time.Minute))
		if len(out.Replies) != 1 || firstNumber(out.Replies[0].Text) != "911" {
			t.Errorf("state %+v: replies %v", st, out.Replies)
		}
	}
}

func joinReplies(ch tipline.Channel, out Output) string {
	var parts []string
	for _, r := range out.Replies {
		parts = append(parts, rendered(ch, r))
	}
	return strings.Join(parts, "\n")
}

func BenchmarkDangerScreen(b *testing.B) {
	msgs := []string{
		"hi, i need a place to stay tonight in houston",
		"hola necesito ayuda, no tengo donde dormir esta noche por favor",
		"Bonjour, j'ai besoin d'aide pour trouver un endroit où dormir à Montréal",
		"he took my phone and won't let me leave the motel on 5th street",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Screen(msgs[i%len(msgs)])
	}
}

func FuzzDangerScreen(f *testing.F) {
	for _, c := range dangerHits {
		f.Add(c.text)
	}
	for _, c := range dangerMisses {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := Screen(s)
		// The screen works on the normalised text: screening that text again
		// gives the same answer, and a hit names a known category.
		h2, ok2 := Screen(Normalize(s))
		if ok != ok2 || h.Category != h2.Category {
			t.Fatalf("Screen(%q) = %v %v, on its normal form %v %v", s, h, ok, h2, ok2)
		}
		if ok && (h.Category != h.Categories[0] || h.Lang == "") {
			t.Fatalf("Screen(%q) = %+v", s, h)
		}
		// Surrounding words never hide a phrase.
		if ok {
			if _, again := Screen("hey. " + s + " ok"); !again {
				t.Fatalf("Screen lost the hit in %q once surrounded", s)
			}
		}
	})
}
