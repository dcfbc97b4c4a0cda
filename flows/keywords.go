package flows

import (
	"strings"
)

// Action is what a keyword asks for.
type Action string

// The keyword actions (DESIGN.md section 3 and rule 1).
const (
	ActOptOut       Action = "opt_out"         // STOP and the carrier and ES/FR opt-out words
	ActOptIn        Action = "opt_in"          // START, UNSTOP
	ActOptInWhenOut Action = "opt_in_when_out" // YES/SI/OUI: START only while opted out on SMS
	ActHelp         Action = "help"            // HELP, INFO, AYUDA, AIDE
	ActDelete       Action = "delete"          // DELETE, BORRAR, SUPPRIMER, EFFACER
	ActMenu         Action = "menu"            // MENU
	ActLanguage     Action = "language"        // LANGUAGE, IDIOMA, LANGUE
	ActSetLang      Action = "set_lang"        // ENGLISH, ESPAÑOL, FRANÇAIS
	ActReport       Action = "report"          // REPORT [case]
	ActSeen         Action = "seen"            // SEEN <case>
	ActAdd          Action = "add"             // ADD <tip ID>
	ActStatus       Action = "status"          // STATUS <tip ID>
)

// Keyword is a recognised whole-message keyword.
type Keyword struct {
	Action  Action
	Lang    string // the language the word belongs to, "" when it is shared (STOP, INFO, MENU)
	Arg     string // case number or tip ID of REPORT/SEEN/ADD/STATUS, as typed
	Carrier bool   // an English carrier opt-out word: on SMS the carrier applies it and replies itself
}

// kwEntry is one word of the keyword table.
type kwEntry struct {
	action  Action
	langs   []string
	carrier bool
}

// keywordTable maps a normalised whole message to its keyword.
var keywordTable = buildKeywordTable(keywordData)

// argActions are the keywords that may carry one argument word.
var argActions = map[Action]bool{ActReport: true, ActSeen: true, ActAdd: true, ActStatus: true}

func buildKeywordTable(f keywordFile) map[string]*kwEntry {
	t := map[string]*kwEntry{}
	add := func(a Action, words byLang, carrier bool) {
		for _, lang := range Langs {
			for _, w := range words[lang] {
				key := Normalize(w)
				e := t[key]
				if e == nil {
					e = &kwEntry{action: a, carrier: carrier}
					t[key] = e
				}
				if e.action == a && !contains(e.langs, lang) {
					e.langs = append(e.langs, lang)
				}
			}
		}
	}
	add(ActOptOut, f.OptOutCarrier, true)
	add(ActOptOut, f.OptOut, false)
	add(ActOptIn, f.OptIn, false)
	add(ActOptInWhenOut, f.OptInWhenOut, false)
	add(ActHelp, f.Help, false)
	add(ActDelete, f.Delete, false)
	add(ActMenu, f.Menu, false)
	add(ActLanguage, f.Language, false)
	add(ActSetLang, f.SetLang, false)
	add(ActReport, f.Report, false)
	add(ActSeen, f.Seen, false)
	add(ActAdd, f.Add, false)
	add(ActStatus, f.Status, false)
	return t
}

// ParseKeyword recognises a keyword in a whole message (DESIGN.md rule 1):
// the message, normalised, must be exactly a keyword, or for REPORT, SEEN,
// ADD and STATUS a keyword followed by one argument word (a case number or
// a tip ID). "stop please" and "help me" are not keywords.
func ParseKeyword(text string) (Keyword, bool) {
	n := Normalize(text)
	if n == "" {
		return Keyword{}, false
	}
	if e, ok := keywordTable[n]; ok {
		return e.keyword(""), true
	}
	f := strings.Fields(text)
	if len(f) != 2 {
		return Keyword{}, false
	}
	e, ok := keywordTable[Normalize(f[0])]
	arg := rawArg(f[1])
	if !ok || !argActions[e.action] || Normalize(arg) == "" {
		return Keyword{}, false
	}
	return e.keyword(arg), true
}

// keyword builds the Keyword of a table entry.
func (e *kwEntry) keyword(arg string) Keyword {
	k := Keyword{Action: e.action, Carrier: e.carrier, Arg: arg}
	if len(e.langs) == 1 {
		k.Lang = e.langs[0]
	}
	if e.action == ActSetLang {
		k.Lang = e.langs[0]
	}
	return k
}

// rawArg returns an argument word as typed, without surrounding
// punctuation, uppercased: case numbers and tip IDs are case-insensitive.
func rawArg(word string) string {
	return strings.ToUpper(strings.Trim(word, ".,;:!?¡¿\"'()[]#"))
}

// langWords returns the normalised words of list in lang, or in every
// language when lang is "".
func langWords(list byLang, lang string) []string {
	var out []string
	for _, l := range Langs {
		if lang == "" || l == lang {
			for _, w := range list[l] {
				out = append(out, Normalize(w))
			}
		}
	}
	return out
}

// isWord reports whether the normalised message n is one of list's words
// in any language.
func isWord(list byLang, n string) bool {
	return n != "" && contains(langWords(list, ""), n)
}

// display returns how keyword name (start, stop, menu, ...) is written in
// lang, for placeholders such as {start}.
func display(lang, name string) string {
	if w := keywordData.Display[lang][name]; w != "" {
		return w
	}
	return keywordData.Display["en"][name]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
