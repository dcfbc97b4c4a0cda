package flows

import "strings"

// OptionLabel returns the label of the button whose value is value, as a
// user whose conversation is in lang saw it, so that staff pages can show a
// button press in words ("Yes") rather than as the value it carries
// ("rpt:yes"). A language button is labelled in its own language, as the
// menu offers it. ok is false for a value with no catalogue label: a case
// choice (see CaseOptionID) or anything the flows never offered.
func OptionLabel(lang, value string) (label string, ok bool) {
	if value == "" || strings.HasPrefix(value, optCasePfx) {
		return "", false
	}
	if l, found := strings.CutPrefix(value, "lang:"); found {
		if !contains(Langs, l) {
			return "", false
		}
		lang = l
	}
	if !contains(Langs, lang) {
		lang = "en"
	}
	key := optionLabelKey(value)
	s, found := messages[lang][key]
	if !found {
		s = messages["en"][key]
	}
	s = strings.TrimSpace(s)
	return s, s != ""
}

// CaseOptionID returns the public id of the case a "this case" button of
// the report flow carries; ok is false for any other value. The button's
// label was the case's name and number (see CaseOptionLabel).
func CaseOptionID(value string) (publicID string, ok bool) {
	id, ok := strings.CutPrefix(value, optCasePfx)
	return id, ok && id != ""
}

// CaseOptionLabel is the label a case choice button carries: the case's
// name and number, as the report flow offers it.
func CaseOptionLabel(name, number string) string {
	return caseLabel(Case{Name: name, Number: number})
}

// SeenKeyword returns the word a tipster texts before a case number in
// lang ("SEEN", "VISTO", "VU"), upper-case as a poster prints it: the
// first word of the language's SEEN list in data/keywords.json, English
// for a language without one.
func SeenKeyword(lang string) string {
	if len(keywordData.Seen[lang]) == 0 {
		lang = "en"
	}
	if len(keywordData.Seen[lang]) == 0 {
		return "SEEN"
	}
	return strings.ToUpper(keywordData.Seen[lang][0])
}
