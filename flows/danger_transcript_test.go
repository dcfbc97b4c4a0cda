package flows

import (
	"strings"
	"testing"

	"tipline"
	"tipline/risk"
	"tipline/sms"
)

// riskCase is one golden risk case: a first message, the outcome the real
// risk engine must reach, and so the line the answer must give.
type riskCase struct {
	level risk.Level
	cat   risk.Category
	text  string
	miss  bool // the engine does not reach this outcome yet: logged, kept in the golden file as it is
}

// riskCountry is where each language's cases are played: SMS FromCountry,
// and the Telegram language_code.
var riskCountry = map[string]struct{ country, hint string }{
	"en": {"US", "en-US"}, "es": {"US", "es-US"}, "fr": {"CA", "fr-CA"},
}

// riskCases are, per language, a danger and a concern case for each
// category, written as young people text (and one message mixing English
// and Spanish, answered in Spanish).
var riskCases = map[string][]riskCase{
	"en": {
		{risk.Danger, risk.Imminent, "hes outside my door rn with a knife and says hes gonna kill me", false},
		{risk.Concern, risk.Imminent, "theres a car that keeps driving past my house and im scared", false},
		{risk.Danger, risk.SelfHarm, "im going to kill myself tonight i already wrote the note", false},
		{risk.Concern, risk.SelfHarm, "i feel so empty lately like nothing matters", false},
		{risk.Danger, risk.Medical, "my friend took a bunch of pills and she wont wake up", false},
		{risk.Concern, risk.Medical, "i think i might be pregnant and im bleeding a little, im scared", false},
		{risk.Danger, risk.Trafficking, "he took my passport and says i have to work for him until i pay back what i owe", false},
		{risk.Concern, risk.Trafficking, "the guy i work for says i owe him money for the trip and im scared", false},
		{risk.Danger, risk.Sexual, "he makes me sleep with his friends for money", false},
		{risk.Concern, risk.Sexual, "an older guy keeps offering me money to hang out alone with him and it feels weird", false},
		{risk.Danger, risk.Sextortion, "a guy online has my pics and says hell send them to everyone unless i send more", false},
		{risk.Concern, risk.Sextortion, "a guy i met online keeps asking for pics and im scared of what he'll do", false},
		{risk.Danger, risk.Abuse, "my stepdad hits me with a belt almost every night", false},
		{risk.Concern, risk.Abuse, "im scared to go home, my dad gets really angry when he drinks", false},
		{risk.Danger, risk.PutOut, "my mom kicked me out and im sleeping outside", false},
		{risk.Concern, risk.PutOut, "im staying at my friends house cause i cant go home but her mom wants me gone", false},
	},
	"es": {
		{risk.Danger, risk.Imminent, "está afuera de mi puerta con un cuchillo y dice que me va a matar", false},
		{risk.Concern, risk.Imminent, "hay un carro que pasa y pasa por mi casa y tengo miedo", false},
		{risk.Danger, risk.SelfHarm, "me voy a matar esta noche ya escribí la carta", false},
		{risk.Concern, risk.SelfHarm, "a veces quisiera desaparecer, estoy muy cansada de todo", false},
		{risk.Danger, risk.Medical, "mi amiga se tomó un montón de pastillas y no despierta", false},
		{risk.Concern, risk.Medical, "me duele mucho el pecho y estoy mareada, no sé si es grave", false},
		{risk.Danger, risk.Trafficking, "me quitó el pasaporte y dice que tengo que trabajar para él hasta pagarle lo que le debo", false},
		{risk.Concern, risk.Trafficking, "el señor que me consiguió el trabajo dice que no me puedo ir hasta que él diga, me da miedo", true},
		{risk.Danger, risk.Sexual, "me obliga a acostarme con sus amigos por dinero", false},
		{risk.Concern, risk.Sexual, "un señor me ofrece dinero si salgo con él a solas, me da miedo", false},
		{risk.Danger, risk.Sextortion, "un tipo tiene mis fotos y dice que las va a mandar a todos si no le mando más", false},
		{risk.Concern, risk.Sextortion, "alguien me está pidiendo fotos por snap y me da miedo lo que pueda hacer con ellas", true},
		{risk.Danger, risk.Abuse, "mi padrastro me pega con el cinturón casi todas las noches", false},
		{risk.Concern, risk.Abuse, "mi papá me grita todo el tiempo y me dice que soy una inútil", false},
		{risk.Danger, risk.PutOut, "mi mamá me corrió de la casa y estoy durmiendo en la calle", false},
		{risk.Concern, risk.PutOut, "a lo mejor me tengo que ir de la casa pronto y no sé a dónde iría", false},
		{risk.Danger, risk.Abuse, "my stepdad me pega todas las noches con el cinturón", false}, // mixed: answered in Spanish
	},
	"fr": {
		{risk.Danger, risk.Imminent, "il est devant ma porte avec un couteau et dit qu'il va me tuer", false},
		{risk.Concern, risk.Imminent, "il y a une voiture qui passe et repasse devant chez moi et j'ai peur", false},
		{risk.Danger, risk.SelfHarm, "je vais me suicider ce soir j'ai déjà écrit la lettre", false},
		{risk.Concern, risk.SelfHarm, "je me sens tellement vide ces temps-ci, comme si rien comptait", false},
		{risk.Danger, risk.Medical, "mon amie a pris plein de pilules et elle se réveille pas", false},
		{risk.Concern, risk.Medical, "j'ai vraiment mal au ventre depuis hier et je sais pas si c'est grave", false},
		{risk.Danger, risk.Trafficking, "il m'a pris mon passeport et je dois travailler pour lui jusqu'à ce que je rembourse ma dette", false},
		{risk.Concern, risk.Trafficking, "le gars qui m'a amené ici dit que je lui dois encore le voyage, je sais pas combien", true}, // the classifier answers danger (a debt for the trip): the safe side
		{risk.Danger, risk.Sexual, "il m'oblige à coucher avec ses amis pour de l'argent", false},
		{risk.Concern, risk.Sexual, "un homme plus vieux m'offre de l'argent pour que je sorte seule avec lui et ça me met mal à l'aise", false},
		{risk.Danger, risk.Sextortion, "un gars a mes photos et dit qu'il va les envoyer à tout le monde si j'en envoie pas d'autres", false},
		{risk.Concern, risk.Sextortion, "j'ai envoyé des photos à un gars et là il en demande plus, j'ai peur", true},
		{risk.Danger, risk.Abuse, "mon beau-père me frappe avec sa ceinture presque tous les soirs", false},
		{risk.Concern, risk.Abuse, "mon père me crie dessus tout le temps et me dit que je vaux rien", false},
		{risk.Danger, risk.PutOut, "ma mère m'a mis dehors et je dors dans la rue", false},
		{risk.Concern, risk.PutOut, "je vais peut-être devoir partir de chez moi bientôt et je sais pas où j'irais", false},
	},
}

// TestRiskTranscripts plays every risk case as the first message of a new
// conversation, on SMS and Telegram, with the real risk engine, and
// compares the turns with testdata/risk-<lang>.<channel>.txt. Each case
// must reach its level and category, answer with the emergency number
// first and the category's line, in the message's language, within
// sms.MaxSegments.
func TestRiskTranscripts(t *testing.T) {
	e := testEngine(t)
	for _, lang := range Langs {
		where := riskCountry[lang]
		for _, ch := range both {
			var b strings.Builder
			for i, c := range riskCases[lang] {
				s := script{name: string(c.level.String() + "/" + string(c.cat)), country: where.country, hint: where.hint,
					channels: both, acts: []act{{say: c.text}}}
				logs := play(t, e, s, ch)
				checkRiskCase(t, e, lang, ch, c, logs[0])
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString(transcript(s, ch, logs))
			}
			golden(t, "risk-"+lang+"."+string(ch)+".txt", b.String())
		}
	}
}

// checkRiskCase checks one played case.
func checkRiskCase(t *testing.T, e *Engine, lang string, ch tipline.Channel, c riskCase, l turnLog) {
	t.Helper()
	name := lang + " " + string(ch) + " " + c.level.String() + "/" + string(c.cat)
	var d *risk.Decision
	for _, f := range l.out.Effects {
		if f.Kind == EffectHighRisk {
			d = f.Risk
		}
	}
	// Danger answers with the lines of every category disclosed, concern
	// with the best-fitting one only.
	reached := d != nil && d.Level == c.level && (c.level == risk.Concern && d.Category() == c.cat ||
		c.level == risk.Danger && containsCategory(d.Categories, c.cat))
	switch {
	case c.miss && reached:
		t.Errorf("%s: %q: the engine reaches this case now: drop its miss mark", name, c.text)
	case c.miss:
		t.Logf("%s: %q: known engine miss, decided %v", name, c.text, d)
		if d != nil {
			checkDangerTurn(t, e, l)
		}
		return
	case !reached:
		t.Errorf("%s: %q: the engine decided %+v", name, c.text, d)
		return
	}
	// A concern that also names a need goes on with the help flow.
	if n := len(l.out.Replies); n == 0 || n > 1 && c.level == risk.Danger {
		t.Fatalf("%s: %d replies", name, n)
	}
	for _, r := range l.out.Replies {
		for _, p := range checkReply(e.Dir, ch, r) {
			t.Errorf("%s: %s", name, p)
		}
	}
	r := l.out.Replies[0]
	if !sms.Fits(smsBody(r), sms.MaxSegments) {
		t.Errorf("%s: over %d SMS segments", name, sms.MaxSegments)
	}
	checkDangerTurn(t, e, l)
	key := map[risk.Level]string{risk.Concern: "concern.first", risk.Danger: "danger.first"}[c.level]
	if !strings.HasPrefix(r.Text, messages.Text(lang, key, "emergency", "911")) {
		t.Errorf("%s: not in %s: %q", name, lang, r.Text)
	}
	country := riskCountry[lang].country
	if ids := categoryLines(c.cat, country); len(ids) > 0 {
		line, _ := e.Dir.Get(ids[0])
		if !strings.Contains(r.Text, "- "+line.Name+":") {
			t.Errorf("%s: no %s line (%s)\n%s", name, c.cat, ids[0], r.Text)
		}
	} else if len(d.Categories) == 1 && strings.Contains(r.Text, "\n- ") {
		t.Errorf("%s: a line where there is none for %s in %s\n%s", name, c.cat, country, r.Text)
	}
}

func containsCategory(cs []risk.Category, c risk.Category) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}
