package flows

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
	"tipline/risk"
)

// The risk engine's recognition is tested in package risk; these tests
// check what the flows do with its decisions (graded answers, lines,
// languages, discretion, segment budget), on decisions built here, and
// the golden transcripts (danger_transcript_test.go) check the two
// together.

// decide is a decision of level on cats, read as lang.
func decide(level risk.Level, lang string, cats ...risk.Category) risk.Decision {
	return risk.Decision{Level: level, Lang: lang, Categories: cats, Score: 0.9,
		Reasons: []risk.Reason{{Layer: "rule", Rule: "test"}}}
}

// stepWith runs one turn as if the risk screen had decided d.
func stepWith(e *Engine, st State, in Input, d risk.Decision) Output {
	return e.newTurn(st, in, t0.Add(time.Minute)).run(d)
}

// lineDirCategories are the directory categories a line for each risk
// category must carry (the crisis fallback: "crisis").
var lineDirCategories = map[risk.Category][]string{
	risk.Imminent: {"crisis"}, risk.SelfHarm: {"crisis"}, risk.Trafficking: {"trafficking"},
	risk.Sexual: {"trafficking", "abuse"}, risk.Sextortion: {"abuse"}, risk.Abuse: {"abuse"},
	risk.PutOut: {"runaway"},
}

var lineCountries = []string{"US", "CA", "MX"}

// TestRiskLinesFitTheDisclosure: every line named in data/danger.json is a
// verified directory record serving that country, of a kind that fits the
// category; the table and its gaps are logged (go test -v -run LineTable).
func TestRiskLineTable(t *testing.T) {
	d := testDir(t)
	check := func(where, id, country string, kinds ...string) {
		r, ok := d.Get(id)
		switch {
		case !ok:
			t.Errorf("%s: %q is not a verified directory record", where, id)
		case !r.Serves(country):
			t.Errorf("%s: %q does not serve %s", where, id, country)
		case len(kinds) > 0 && !r.HasCategory(kinds...):
			t.Errorf("%s: %q is none of %v", where, id, kinds)
		case !reachable(r):
			t.Errorf("%s: %q has nothing a youth can use", where, id)
		}
	}
	var gaps []string
	for _, c := range risk.Categories {
		if _, ok := dangerData.Lines[c]; !ok {
			t.Errorf("danger.json: no lines for %s", c)
		}
		row := string(c) + ":"
		for _, country := range lineCountries {
			ids := dangerData.Lines[c][country]
			for _, id := range ids {
				check("lines "+string(c)+"/"+country, id, country, lineDirCategories[c]...)
			}
			if len(ids) == 0 && c != risk.Medical {
				gaps = append(gaps, string(c)+"/"+country)
			}
			row += fmt.Sprintf(" %s=%v", country, categoryLines(c, country))
		}
		t.Log(row)
	}
	for _, country := range lineCountries {
		if id := dangerData.Crisis[country]; id != "" {
			check("crisis "+country, id, country, "crisis")
		}
	}
	sort.Strings(gaps)
	t.Logf("gaps (no verified line of the category's own; crisis line or 911 alone): %v", gaps)
}

// TestRiskRepliesFitAndLead: for every level, category (alone, all at
// once, none), country (unknown included), language and channel, the
// answer is one message, 911 first, in the message's language, neutral on
// a lock screen, only directory contacts, within sms.MaxSegments, and it
// keeps the best-fitting line.
func TestRiskRepliesFitAndLead(t *testing.T) {
	e := testEngine(t)
	sets := [][]risk.Category{nil, risk.Categories}
	for _, c := range risk.Categories {
		sets = append(sets, []risk.Category{c})
	}
	for _, level := range []risk.Level{risk.Concern, risk.Danger} {
		for _, cats := range sets {
			for _, country := range append(lineCountries, "", "GB") {
				for _, lang := range Langs {
					for _, ch := range both {
						d := decide(level, lang, cats...)
						in := Input{Channel: ch, Text: "x", Country: country}
						checkRiskAnswer(t, e, in, d, stepWith(e, State{}, in, d))
					}
				}
			}
		}
	}
}

// checkRiskAnswer checks one turn's answer to d.
func checkRiskAnswer(t *testing.T, e *Engine, in Input, d risk.Decision, out Output) {
	t.Helper()
	name := fmt.Sprintf("%s %v %s %s %q", d.Level, d.Categories, d.Lang, in.Channel, in.Country)
	if len(out.Replies) != 1 {
		t.Fatalf("%s: %d replies, want the answer alone", name, len(out.Replies))
	}
	r := out.Replies[0]
	for _, p := range checkReply(e.Dir, in.Channel, r) {
		t.Errorf("%s: %s\n%s", name, p, r.Text)
	}
	checkDangerTurn(t, e, turnLog{in: in, out: out})
	key := map[risk.Level]string{risk.Concern: "concern.first", risk.Danger: "danger.first"}[d.Level]
	if first := messages.Text(d.Lang, key, "emergency", e.Dir.Emergency(in.Country).Phone); !strings.HasPrefix(r.Text, first) {
		t.Errorf("%s: does not open with %q\n%s", name, first, r.Text)
	}
	country, _ := (&turn{in: in}).lineCountry()
	if ids := riskLineIDs(d, country); len(ids) > 0 {
		if best, ok := e.Dir.Get(ids[0]); ok && !strings.Contains(r.Text, "- "+best.Name+":") {
			t.Errorf("%s: the best-fitting line %s was left out\n%s", name, ids[0], r.Text)
		}
	}
}

// TestRiskLinesFollowTheDisclosure: the line follows what was disclosed,
// not a fixed order, and a concern gives one line only.
func TestRiskLinesFollowTheDisclosure(t *testing.T) {
	e := testEngine(t)
	in := Input{Channel: tipline.ChannelSMS, Text: "x", Country: "US"}
	has := func(out Output, id string) bool {
		r, _ := e.Dir.Get(id)
		return strings.Contains(out.Replies[0].Text, "- "+r.Name+":")
	}
	want := map[risk.Category]string{risk.SelfHarm: "us-988", risk.Trafficking: "us-nhth", risk.PutOut: "us-nrs",
		risk.Abuse: "us-childhelp", risk.Sextortion: "us-ncmec-cybertipline", risk.Imminent: "us-crisis-text-line"}
	for c, id := range want {
		if out := stepWith(e, State{}, in, decide(risk.Danger, "en", c)); !has(out, id) {
			t.Errorf("%s: no %s\n%s", c, id, out.Replies[0].Text)
		}
	}
	out := stepWith(e, State{}, in, decide(risk.Danger, "en", risk.Medical))
	if n := strings.Count(out.Replies[0].Text, "\n- "); n != 0 {
		t.Errorf("medical: 911 alone, got %d lines\n%s", n, out.Replies[0].Text)
	}
	out = stepWith(e, State{}, in, decide(risk.Danger, "en", risk.PutOut, risk.SelfHarm))
	if !has(out, "us-nrs") || !has(out, "us-988") || strings.Index(out.Replies[0].Text, "Runaway") > strings.Index(out.Replies[0].Text, "988 ") {
		t.Errorf("put out, then self-harm: both lines in that order\n%s", out.Replies[0].Text)
	}
	out = stepWith(e, State{}, in, decide(risk.Concern, "en", risk.PutOut, risk.SelfHarm))
	if !has(out, "us-nrs") || has(out, "us-988") {
		t.Errorf("concern: the best-fitting line only\n%s", out.Replies[0].Text)
	}
	out = stepWith(e, State{}, in, decide(risk.Concern, "en", risk.Abuse, risk.Imminent))
	if !has(out, "us-childhelp") || has(out, "us-crisis-text-line") {
		t.Errorf("concern, scared of a parent: the child-abuse line\n%s", out.Replies[0].Text)
	}
}

// TestRiskReplyFollowsTheMessage: the answer is in the language the
// message was written in; the conversation keeps its language once set.
func TestRiskReplyFollowsTheMessage(t *testing.T) {
	e := testEngine(t)
	in := Input{Channel: tipline.ChannelTelegram, Text: "x", Country: "US"}
	cases := []struct{ conv, msg, reply, after string }{
		{"en", "es", "es", "en"},
		{"", "fr", "fr", "fr"},
		{"fr", "", "fr", "fr"},
		{"", "", "en", "en"},
	}
	for _, c := range cases {
		out := stepWith(e, State{Lang: c.conv}, in, decide(risk.Danger, c.msg, risk.SelfHarm))
		first := messages.Text(c.reply, "danger.first", "emergency", "911")
		if !strings.HasPrefix(out.Replies[0].Text, first) || out.State.Lang != c.after {
			t.Errorf("conversation %q, message %q: state %q, reply\n%s", c.conv, c.msg, out.State.Lang, out.Replies[0].Text)
		}
	}
}

// TestConcernChecksInWithoutPaging: concern flags the chat for staff, pages
// nobody, and answers with the check-in alone unless the message names a
// need, which the help flow then answers.
func TestConcernChecksInWithoutPaging(t *testing.T) {
	e := testEngine(t)
	in := Input{Channel: tipline.ChannelSMS, Text: "i am scared to go home", Country: "US"}
	out := stepWith(e, State{}, in, decide(risk.Concern, "en", risk.Abuse))
	if !hasEffect(out, EffectHighRisk) || hasEffect(out, EffectPage) || len(out.Replies) != 1 {
		t.Fatalf("concern: effects %v, %d replies", out.Effects, len(out.Replies))
	}
	if e := out.Effects[0]; e.Risk == nil || e.Risk.Level != risk.Concern || e.Detail != "concern:abuse" {
		t.Errorf("concern effect %+v", e)
	}
	mid := State{Lang: "en", Flow: FlowHelp, Step: stepWhere, Options: []string{"where:skip"}, Waiting: t0}
	if out := stepWith(e, mid, in, decide(risk.Concern, "en", risk.Abuse)); len(out.Replies) != 1 {
		t.Errorf("concern mid-flow: %d replies, want the check-in alone", len(out.Replies))
	}
	in.Text = "i am scared to go home, i need a place to sleep"
	out = stepWith(e, State{}, in, decide(risk.Concern, "en", risk.PutOut))
	if len(out.Replies) != 2 || out.State.Flow != FlowHelp || out.State.Step != stepWhere {
		t.Fatalf("concern and a need: state %+v, replies %v", out.State, out.Replies)
	}
	if !strings.HasPrefix(out.Replies[0].Text, messages.Text("en", "concern.first", "emergency", "911")) {
		t.Errorf("the check-in comes first: %q", out.Replies[0].Text)
	}
}

// TestRiskAlwaysRuns: the screen acts when claimed and after STOP; after
// STOP on SMS nothing is sent (the carrier blocks it) but a danger still
// pages; a concern is not answered while staff hold the chat.
func TestRiskAlwaysRuns(t *testing.T) {
	e := testEngine(t)
	mid := State{Lang: "en", Flow: FlowHelp, Step: stepWhere, Options: []string{"where:skip"}, Waiting: t0}
	cases := []struct {
		name    string
		level   risk.Level
		in      Input
		replies bool
	}{
		{"danger claimed", risk.Danger, Input{Channel: tipline.ChannelSMS, Claimed: true}, true},
		{"danger opted out telegram", risk.Danger, Input{Channel: tipline.ChannelTelegram, OptedOut: true}, true},
		{"danger opted out sms", risk.Danger, Input{Channel: tipline.ChannelSMS, OptedOut: true}, false},
		{"concern claimed", risk.Concern, Input{Channel: tipline.ChannelTelegram, Claimed: true}, false},
		{"concern opted out sms", risk.Concern, Input{Channel: tipline.ChannelSMS, OptedOut: true}, false},
		{"concern opted out telegram", risk.Concern, Input{Channel: tipline.ChannelTelegram, OptedOut: true}, true},
	}
	for _, c := range cases {
		c.in.Text = "x"
		out := stepWith(e, mid, c.in, decide(c.level, "en", risk.Imminent))
		if !hasEffect(out, EffectHighRisk) || hasEffect(out, EffectPage) != (c.level == risk.Danger) {
			t.Errorf("%s: effects %v", c.name, out.Effects)
		}
		if (len(out.Replies) > 0) != c.replies || len(out.Replies) > 1 {
			t.Errorf("%s: %d replies, want the answer alone: %v", c.name, len(out.Replies), c.replies)
		}
	}
}

// TestDangerAnswerStandsAlone: a danger answer is not followed by a menu or
// a prompt.
func TestDangerAnswerStandsAlone(t *testing.T) {
	e := testEngine(t)
	for _, st := range []State{{}, {Lang: "en", Flow: FlowHelp, Step: stepDone, Options: []string{"menu"}, Waiting: t0}} {
		in := Input{Channel: tipline.ChannelSMS, Text: "i think he wants to kill me", Country: "US"}
		out := stepWith(e, st, in, decide(risk.Danger, "en", risk.Imminent))
		if len(out.Replies) != 1 || firstNumber(out.Replies[0].Text) != "911" || len(out.State.Options) != 0 {
			t.Errorf("state %+v: replies %v", st, out.Replies)
		}
	}
}

// TestRiskReplyTrimsToBudget: with worst-case directory data (long names
// and several ways to reach each line) the answer still fits, dropping the
// lines that do not.
func TestRiskReplyTrimsToBudget(t *testing.T) {
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		if !rs[i].Local && rs[i].HasCategory("crisis", "abuse", "runaway", "trafficking") {
			rs[i].Name += " — Línea de crisis nacional, atención las veinticuatro horas"
		}
	}
	e := &Engine{Dir: directory.New(rs), Timeout: time.Hour}
	for _, lang := range Langs {
		for _, country := range []string{"CA", ""} {
			in := Input{Channel: tipline.ChannelSMS, Text: "x", Country: country}
			out := stepWith(e, State{}, in, decide(risk.Danger, lang, risk.Categories...))
			for _, p := range checkReply(e.Dir, in.Channel, out.Replies[0]) {
				t.Errorf("%s %q: %s\n%s", lang, country, p, out.Replies[0].Text)
			}
		}
	}
}

// checkDangerTurn asserts what every risk outcome in a transcript or walk
// keeps: danger pages staff and concern does not, and an answer gives the
// emergency number first.
func checkDangerTurn(t *testing.T, e *Engine, l turnLog) {
	t.Helper()
	var level risk.Level
	for _, f := range l.out.Effects {
		if f.Kind == EffectHighRisk && f.Risk != nil {
			level = f.Risk.Level
		}
	}
	if level == risk.None {
		return
	}
	// Danger pages when it starts crisis mode or raises it, and on every
	// hit inside a sighting report.
	rose := l.prev.Crisis.level() < risk.Danger
	if l.prev.Flow == FlowReport {
		rose = l.prev.Data[TipKeyUrgent] != "1"
	}
	if hasEffect(l.out, EffectPage) != (level == risk.Danger && rose) {
		t.Errorf("%s: %s outcome, page=%v", userLine(l.in), level, hasEffect(l.out, EffectPage))
	}
	if len(l.out.Replies) == 0 || level == risk.Concern && !isCheckIn(l.out.Replies[0].Text) {
		return // not answered, or a concern flagged without a check-in (a report, a claimed chat)
	}
	want := e.Dir.Emergency(l.in.Country).Phone
	if got := firstNumber(l.out.Replies[0].Text); got != want {
		t.Errorf("%s: first number is %q, want the emergency number %q", userLine(l.in), got, want)
	}
}

// isCheckIn reports whether text opens with the concern check-in, in any
// language.
func isCheckIn(text string) bool {
	for _, lang := range Langs {
		head, _, _ := strings.Cut(messages.Text(lang, "concern.first"), "{")
		if strings.HasPrefix(text, head) {
			return true
		}
	}
	return false
}
