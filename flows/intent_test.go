package flows

import "testing"

// intentCases are messages written as young people text, with the intent
// each must (or must not) be read as. Near-misses share words with an
// intent but ask nothing of the bot.
var intentCases = []struct {
	text string
	want intent
}{
	// a person
	{"are you a real person?", intentPerson},
	{"r u a bot", intentPerson},
	{"is this a bot or a real human", intentPerson},
	{"can i talk to a human", intentPerson},
	{"i need someone to talk to", intentPerson},
	{"can someone talk to me pls", intentPerson},
	{"is anyone there", intentPerson},
	{"i want to speak to a counselor", intentPerson},
	{"am i talking to a robot", intentPerson},
	{"human", intentPerson},
	{"¿eres una persona?", intentPerson},
	{"eres un bot?", intentPerson},
	{"sos real?", intentPerson},
	{"puedo hablar con alguien", intentPerson},
	{"quiero hablar con una persona de verdad", intentPerson},
	{"hay alguien ahi?", intentPerson},
	{"con quien hablo", intentPerson},
	{"je peux parler à quelqu'un ?", intentPerson},
	{"t'es un robot?", intentPerson},
	{"c'est un bot ou une vraie personne", intentPerson},
	{"y'a quelqu'un?", intentPerson},
	{"je veux parler a un intervenant", intentPerson},
	{"es-tu humain", intentPerson},
	// cannot call
	{"i cant call he checks my phone", intentCantCall},
	{"can't talk rn he's right here", intentCantCall},
	{"i can only text", intentCantCall},
	{"my mom reads all my texts", intentCantCall},
	{"no puedo llamar, él revisa mi celular", intentCantCall},
	{"no puedo hablar ahorita", intentCantCall},
	{"me revisa el cel todo el tiempo", intentCantCall},
	{"je peux pas appeler, il regarde mon cell", intentCantCall},
	{"je ne peux pas téléphoner", intentCantCall},
	{"il fouille mon téléphone", intentCantCall},
	// thanks
	{"thanks", intentThanks},
	{"ok thank you so much", intentThanks},
	{"thx 🙏", intentThanks},
	{"ty", intentThanks},
	{"muchas gracias", intentThanks},
	{"graciaaas", intentThanks},
	{"merci beaucoup", intentThanks},
	{"ok merci", intentThanks},
	// near-misses
	{"i talked to a guy at school", intentNone},
	{"the robot in the movie was scary", intentNone},
	{"thanks but i still need a place to sleep", intentNone},
	{"no thanks to my dad i have nowhere to go", intentNone},
	{"i cant talk to my mom about this", intentNone},
	{"my phone died", intentNone},
	{"gracias pero necesito comida", intentNone},
	{"hablé con mi mamá ayer", intentNone},
	{"merci mais j'ai besoin d'un lit", intentNone},
	{"il y a quelqu'un qui me suit", intentNone},
	{"he is a real jerk", intentNone},
	{"I need somewhere to sleep tonight", intentNone},
}

func TestDetectIntent(t *testing.T) {
	for _, c := range intentCases {
		if got, _ := detectIntent(c.text); got != c.want {
			t.Errorf("%q: read as %q, want %q", c.text, got, c.want)
		}
	}
}

// FuzzDetectIntent: any bytes are read without a panic.
func FuzzDetectIntent(f *testing.F) {
	for _, c := range intentCases {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, s string) { detectIntent(s) })
}
