package flows

import (
	"strings"

	"tipline/directory"
	"tipline/risk"
)

// dangerFile is data/danger.json: which directory records answer each
// risk category, per country (ids only; every number is the directory's).
type dangerFile struct {
	Lines         map[risk.Category]map[string][]string `json:"lines"`
	Crisis        map[string]string                     `json:"crisis"`
	EmergencyOnly []risk.Category                       `json:"emergency_only"`
}

var dangerData = mustJSON[dangerFile]("danger.json")

// riskReply builds the one message that answers an outcome, in lang: the
// emergency number first (danger: "If you are in danger, call 911 now.";
// concern: "Are you safe right now? …"), the local-emergency line when the
// country is unknown, then the lines that fit what was disclosed, as many
// as fit in sms.MaxSegments on SMS. The same text goes to every channel,
// so that no answer to a crisis waits for MORE.
func (t *turn) riskReply(d risk.Decision, lang string) string {
	saved := t.st.Lang
	t.st.Lang = lang
	defer func() { t.st.Lang = saved }()
	country, outside := t.lineCountry()
	key := "danger.first"
	if d.Level == risk.Concern {
		key = "concern.first"
	}
	text := t.text(key, "emergency", t.emergency())
	if outside {
		text += "\n" + t.text("danger.outside")
	}
	added := 0
	for _, r := range t.resources(riskLineIDs(d, country)) {
		for _, next := range t.lineCandidates(text, r, added == 0) {
			if fitsSMS(next, nil) {
				text, added = next, added+1
				break
			}
		}
	}
	return text
}

// riskReplyBrief is the short answer to danger in crisis mode: the
// emergency number and the first line for what was disclosed, reached the
// first way only.
func (t *turn) riskReplyBrief(d risk.Decision, lang string) string {
	saved := t.st.Lang
	t.st.Lang = lang
	defer func() { t.st.Lang = saved }()
	country, _ := t.lineCountry()
	text := t.text("danger.first", "emergency", t.emergency())
	if rs := t.resources(riskLineIDs(d, country)); len(rs) > 0 {
		text += "\n" + shortLine(t, rs[0])
	}
	return text
}

// lineCandidates are the ways to add line r to text, longest first: with
// every way to reach it, then with the first only; the first line added
// comes under the "You can also contact:" heading when that fits.
func (t *turn) lineCandidates(text string, r directory.Resource, first bool) []string {
	full := t.contactLine(r, false)
	ways, _, _ := strings.Cut(t.howToReach(r, false), ", ")
	short := "- " + r.Name + ": " + ways + "."
	var out []string
	if first {
		head := text + "\n" + t.text("danger.more") + "\n"
		out = append(out, head+full, head+short)
	}
	return append(out, text+"\n"+full, text+"\n"+short)
}

// riskLineIDs lists the directory ids that answer d in country, best first,
// without repeats: for danger, the lines of every category disclosed, in
// the screen's order (most fitting first); for concern, the line of the
// most fitting one only.
// A category with no verified line of its own falls back on the country's
// 24/7 crisis line (none: the emergency number alone), except the
// emergency-only ones (medical). Nothing disclosed by category: the crisis
// line.
func riskLineIDs(d risk.Decision, country string) []string {
	cats := d.Categories
	if d.Level == risk.Concern && len(cats) > 1 {
		cats = cats[:1] // the screen lists the most fitting first
	}
	var ids []string
	for _, c := range cats {
		for _, id := range categoryLines(c, country) {
			if !contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(cats) == 0 && dangerData.Crisis[country] != "" {
		ids = append(ids, dangerData.Crisis[country])
	}
	return ids
}

// categoryLines are the ids for one category in one country, with the
// crisis-line fallback.
func categoryLines(c risk.Category, country string) []string {
	if ids := dangerData.Lines[c][country]; len(ids) > 0 {
		return ids
	}
	for _, e := range dangerData.EmergencyOnly {
		if e == c {
			return nil
		}
	}
	if id := dangerData.Crisis[country]; id != "" {
		return []string{id}
	}
	return nil
}
