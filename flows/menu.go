package flows

import (
	"strings"

	"tipline"
)

// Steps of FlowNone and FlowHelp (State.Step).
const (
	stepLang  = "lang"  // waiting for a language choice
	stepMenu  = "menu"  // waiting for the start-menu choice
	stepNeed  = "need"  // help: waiting for what they need
	stepWhere = "where" // help: waiting for where they are
	stepDone  = "done"  // help: the answer was sent; MORE may follow
)

// command handles a chosen option value, wherever it comes from (a button
// pressed on an older message works too). It reports whether v was one.
func (t *turn) command(v string) bool {
	kind, arg, _ := strings.Cut(v, ":")
	switch kind {
	case "lang":
		if !contains(Langs, arg) {
			return false
		}
		t.st.Lang = arg
		t.menu()
	case "start":
		return t.startChoice(arg)
	case "need":
		if _, ok := needsData.Local[arg]; !ok {
			return false
		}
		t.setNeed(arg)
	case "where":
		t.answer(nil)
	case "more":
		if !t.more() {
			t.menu()
		}
	case "who":
		return t.who(arg)
	case "menu":
		t.leaveCrisis()
		t.menu()
	default:
		return false
	}
	return true
}

// startChoice handles the start menu's options.
func (t *turn) startChoice(arg string) bool {
	switch arg {
	case "help":
		t.askNeed()
	case "report":
		reportHook().Start(t, ReportCommand{Kind: ActReport})
	case "person":
		t.askedPerson()
	case "language":
		t.askLanguage()
	default:
		return false
	}
	return true
}

// startStep handles free text outside any flow: the first message of a
// conversation, or an answer to the language question, the menu or the
// neutral question (classify reads it).
func (t *turn) startStep() {
	if t.st.Lang == "" && !t.settleLanguage() {
		return
	}
	switch {
	case t.in.Location != nil:
		t.st.Flow = FlowHelp
		t.located()
	case t.st.Step == stepDone && isWord(keywordData.More, t.norm) && t.more():
	case t.st.Step == stepWho && t.whoText():
	default:
		t.classify()
	}
}

// settleLanguage finds the language of a first message: its words, else
// Telegram's language_code; when neither tells, it asks and returns false.
func (t *turn) settleLanguage() bool {
	if l := DetectLanguage(t.in.Text); l != "" {
		t.st.Lang = l
		return true
	}
	if l := hintLanguage(t.in.LangHint); l != "" {
		t.st.Lang = l
		return true
	}
	t.askLanguage()
	return false
}

// askLanguage asks for a language, in all three, since it is not known.
func (t *turn) askLanguage() {
	t.reset()
	var lines []string
	var opts []tipline.Option
	for _, l := range Langs {
		lines = append(lines, messages.Text(l, "lang.ask"))
		opts = append(opts, tipline.Option{Label: messages.Text(l, "lang."+l), Value: "lang:" + l})
	}
	t.st.Step = stepLang
	t.say(tipline.Reply{Text: strings.Join(lines, " / "), Options: opts})
}

// menu shows the start menu: help for themselves, or report a sighting.
func (t *turn) menu() {
	t.reset()
	t.st.Step = stepMenu
	t.say(tipline.Reply{Text: t.text("menu.ask"), Options: []tipline.Option{
		t.option("start:help", "start.help"),
		t.option("start:report", "start.report"),
		t.option("start:person", "start.person"),
		t.option("start:language", "start.language"),
	}})
}

// optionLabelKey is the catalogue key of an option value's label:
// "need:food" → "need.food", "more" → "opt.more".
func optionLabelKey(v string) string {
	if k, a, ok := strings.Cut(v, ":"); ok {
		return k + "." + a
	}
	return "opt." + v
}

// DetectLanguage guesses the language of a message from the marker words
// of data/lang.json: the language with the most, or "" on a tie or none.
func DetectLanguage(text string) string {
	counts := map[string]int{}
	for _, w := range words(Normalize(text)) {
		for _, l := range Langs {
			if langIndex[l][w] {
				counts[l]++
			}
		}
	}
	best, n, tie := "", 0, false
	for _, l := range Langs {
		switch c := counts[l]; {
		case c > n:
			best, n, tie = l, c, false
		case c == n && c > 0:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// langIndex is data/lang.json as sets of normalised words.
var langIndex = func() map[string]map[string]bool {
	idx := map[string]map[string]bool{}
	for _, l := range Langs {
		idx[l] = map[string]bool{}
		for _, w := range langData[l] {
			idx[l][Normalize(w)] = true
		}
	}
	return idx
}()

// hintLanguage reads one of our languages from a language_code ("es-419").
func hintLanguage(tag string) string {
	l, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(tag, "_", "-")), "-")
	if contains(Langs, l) {
		return l
	}
	return ""
}
