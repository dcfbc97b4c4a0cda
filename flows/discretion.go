package flows

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LockScreenChars is how much of a message a lock screen shows: the part
// that must stay neutral (DESIGN.md rule 4).
const LockScreenChars = 40

// revealing are the word stems that must not appear in the first
// LockScreenChars characters of a message to a youth, in the three
// languages, compared after Normalize (so "Línea" is caught as "linea").
var revealing = stems(
	// English
	"traffick", "trafic", "runaway", "run away", "abuse", "abusive", "hotline", "missing",
	"exploit", "pimp", "rape", "suicid", "overdose", "shelter",
	// Spanish
	"trata", "fugad", "fugitiv", "abuso", "abusad", "linea", "desaparec", "explotac", "suicid",
	"prostitu", "violac", "albergue",
	// French
	"traite", "fugue", "fugueu", "abus", "ligne", "disparu", "exploitat", "prostitu", "viol",
	"refuge",
)

// CheckNeutral reports whether a message keeps the discretion rule
// (DESIGN.md rule 4): its first LockScreenChars characters hold none of the
// revealing words of any language, and it does not open by referring to an
// earlier message. It returns an error naming what it found.
func CheckNeutral(message string) error {
	head := message
	if utf8.RuneCountInString(head) > LockScreenChars {
		head = string([]rune(head)[:LockScreenChars])
	}
	n := " " + Normalize(head)
	for _, w := range revealing {
		if strings.Contains(n, w.spaced) {
			return fmt.Errorf("first %d characters %q contain %q", LockScreenChars, head, w.word)
		}
	}
	for _, w := range backReferences {
		if strings.HasPrefix(n, w.spaced) {
			return fmt.Errorf("message %q opens by referring to an earlier message (%q)", head, w.word)
		}
	}
	return nil
}

// stem is a word compared at the start of a normalised word: spaced is the
// word after a space, built once rather than per message.
type stem struct{ word, spaced string }

// stems builds the stems of words.
func stems(words ...string) []stem {
	out := make([]stem, len(words))
	for i, w := range words {
		out[i] = stem{w, " " + w}
	}
	return out
}

// backReferences are openings that point back at what the user wrote, which
// a lock screen would then explain ("As you said, ...").
var backReferences = stems(
	"as you said", "you said", "you told", "about your", "re your", "regarding your",
	"como dijiste", "dijiste", "sobre tu", "sobre lo que",
	"comme tu as dit", "tu as dit", "au sujet de ton", "a propos de ton",
)

// ensureNeutral puts the neutral header in front of a message whose opening
// would break the discretion rule: a safety net, since every message is
// built to open neutrally already.
func ensureNeutral(text, lang string) string {
	if CheckNeutral(text) == nil {
		return text
	}
	return messages.Text(lang, "neutral.header") + "\n" + text
}
