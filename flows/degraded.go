package flows

import (
	"time"

	"tipline"
	"tipline/risk"
)

// DangerAnswer is the risk screen alone, for a message whose conversation
// is out of reach because the database is (docs/design.md rule 16). It
// screens text and, on danger, returns the answer the screen gives a
// first message: the emergency number first, then the lines that fit
// what was disclosed, in country (Twilio's FromCountry; else from the
// Telegram language tag langHint; unknown: the US lines with the
// "outside the US" line), in the message's language as the screen read
// it, else langHint's, else English. A tipster's words (a child seen,
// choose.go) get "If a child is in danger now, call 911", as in Step.
// Concern and no risk return false: those wait for the database.
//
// It is pure: no state, no I/O; the directory is the engine's. The bot
// answers with it inside the webhook's HTTP response and keeps the
// message for replay, which records this answer as sent.
func (e *Engine) DangerAnswer(text string, ch tipline.Channel, country, langHint string) (tipline.Reply, risk.Decision, bool) {
	d := riskScreen(text)
	if d.Level != risk.Danger {
		return tipline.Reply{}, d, false
	}
	st := State{Lang: hintLanguage(langHint)}
	t := e.newTurn(st, Input{Channel: ch, Text: text, Country: country, LangHint: langHint}, time.Time{})
	t.risk = d
	lang := t.riskLang()
	if t.readsAsSighting(d) { // a tipster's words: the answer for a child seen, as Step gives it
		t.st.Lang = lang
		return tipline.Reply{Text: ensureNeutral(t.text("person.tipster", "emergency", t.emergency()), lang)}, d, true
	}
	return tipline.Reply{Text: ensureNeutral(t.riskReply(d, lang), lang)}, d, true
}
