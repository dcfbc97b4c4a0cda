package flows

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/sms"
)

// telegramOnly are the catalogue messages only ever sent on Telegram (the
// share-location button): they may speak of pressing a button.
var telegramOnly = map[string]bool{"help.where.share": true, "rpt.place.share": true}

// pressRE finds words for pressing or tapping a button, in our languages:
// an SMS has no buttons, its options are numbered.
var pressRE = regexp.MustCompile(`(?i)\b(press|tap|click|toca|toque|pulsa|presiona|touche|touchez|appuie|appuyez|clique)\b`)

// TestNoPressOnSMS: a message an SMS user can get never asks them to press
// anything (flows/catalog/README.md).
func TestNoPressOnSMS(t *testing.T) {
	for _, lang := range Langs {
		for key, text := range Messages()[lang] {
			if !telegramOnly[key] && pressRE.MatchString(text) {
				t.Errorf("%s %s: %q asks to press a button, which SMS has not: say choose (elige, choisis)", lang, key, text)
			}
		}
	}
}

// otherForm finds, per language, the form of address the catalogue does not
// use (flows/catalog/README.md): French speaks "tu", never "vous"; Spanish
// "tú", never "usted" (its pronoun or its imperatives).
var otherForm = map[string]*regexp.Regexp{
	"fr": regexp.MustCompile(`(?i)\b(vous|votre|vos)\b|\b\p{L}+ez\b`),
	"es": regexp.MustCompile(`(?i)\b(usted|ustedes|envíe|llame|escriba|elija|toque|responda|revise|intente|espere|describa|pruebe|marque|comuníquese|cuéntenos)\b`),
}

// notOtherForm are words the patterns above catch that are not the other
// form: "chez", "assez", "nez".
var notOtherForm = map[string]bool{"chez": true, "assez": true, "nez": true}

func TestOneFormOfAddress(t *testing.T) {
	for lang, re := range otherForm {
		for key, text := range Messages()[lang] {
			for _, m := range re.FindAllString(text, -1) {
				if !notOtherForm[strings.ToLower(m)] {
					t.Errorf("%s %s: %q uses %q: the %s catalogue speaks %s", lang, key, text, m, lang, map[string]string{"fr": "tu", "es": "tú"}[lang])
				}
			}
		}
	}
}

// TestOtherFormCaught: the check above would catch the other form.
func TestOtherFormCaught(t *testing.T) {
	for lang, bad := range map[string]string{"fr": "Envoyez votre code postal.", "es": "Envíe su código postal, por favor."} {
		if !otherForm[lang].MatchString(bad) {
			t.Errorf("%s: %q not caught", lang, bad)
		}
	}
}

// worstArgs fills every placeholder with the longest value it can take:
// the directory's longest contacts and addresses, our longest command
// words, a long case name and, where a tipster's own words are repeated,
// 80 characters with an emoji (which makes the whole message UCS-2).
func worstArgs(t *testing.T) []string {
	d := testDir(t)
	longest := map[string]string{}
	keep := func(name, v string) {
		if len([]rune(v)) > len([]rune(longest[name])) {
			longest[name] = v
		}
	}
	for _, r := range d.All() {
		keep("phone", r.Phone)
		keep("number", r.SMSNumber)
		keep("keyword", r.SMSKeyword)
		keep("url", r.ChatURL)
		keep("url", r.URL)
		keep("address", r.Address)
		keep("emergency", r.Phone)
		keep("cybertip", r.Name+" "+r.URL)
	}
	for _, l := range Langs {
		for _, w := range keywordData.Display[l] {
			for _, name := range []string{"add", "status", "menu", "delete", "start", "stop"} {
				keep(name, w)
			}
		}
		keep("langs", strings.Join([]string{messages.Text(l, "langname.en"), messages.Text(l, "langname.es"), messages.Text(l, "langname.fr")}, ", "))
	}
	user := clip("Zoë 😟 "+strings.Repeat("was near the bus stop with a man ", 4), summaryClip)
	caseName := "Zoë-Marguerite Castellanos-Villanueva (DEMO-2026-0142)"
	args := []string{"case", caseName, "code", "K7M2Q9XH", "count", "5", "max", "24", "min", "12", "n", "100", "value", user}
	for name, v := range longest {
		args = append(args, name, v)
	}
	return args
}

// promptOptions are the options a prompt is sent with (its reply's
// numbered lines on SMS).
var promptOptions = map[string][]string{
	"menu.ask":           {"start.help", "start.report", "start.person", "start.language"},
	"help.need.ask":      {"need.shelter", "need.food", "need.talk", "need.leave", "need.medical", "need.other"},
	"who.ask":            {"who.me", "who.seen"},
	"help.where.ask":     {"where.skip"},
	"help.where.unknown": {"where.skip", "opt.menu"},
	"rpt.case.ask":       {"rpt.skip"},
	"rpt.case.unknown":   {"rpt.skip"},
	"rpt.danger.ask":     {"rpt.yes", "rpt.no"},
	"rpt.when.ask":       {"rpt.now", "rpt.skip"},
	"rpt.when.unclear":   {"rpt.skip"},
	"rpt.when.future":    {"rpt.skip"},
	"rpt.place.ask":      {"rpt.skip"},
	"rpt.what.ask":       {"rpt.skip"},
	"rpt.photos.more":    {"rpt.done"},
	"rpt.follow.ask":     {"rpt.yes", "rpt.no"},
	"rpt.contact.ask":    {"rpt.skip"},
	"rpt.edit.ask":       {"rpte.case", "rpte.danger", "rpte.when", "rpte.place", "rpte.what", "rpte.photos", "rpte.follow", "rpte.contact"},
	"thanks.reply":       {},
}

// TestEveryMessageFitsThreeSegments renders every catalogue message in
// every language with the worst-case data (and a prompt with its
// options) and counts its SMS segments in the encoding a carrier would
// use: GSM-7 at 153 characters a part, UCS-2 (one character outside
// GSM-7 is enough) at 67.
func TestEveryMessageFitsThreeSegments(t *testing.T) {
	args := worstArgs(t)
	var worst []string
	for _, lang := range Langs {
		for key := range Messages()[lang] {
			r := tipline.Reply{Text: messages.Text(lang, key, args...)}
			for _, o := range promptOptions[key] {
				r.Options = append(r.Options, tipline.Option{Label: messages.Text(lang, o), Value: o})
			}
			body := sms.Render(r)
			enc, n := sms.Segments(body)
			if n > sms.MaxSegments {
				t.Errorf("%s %s: %d %s segments with the longest data:\n%s", lang, key, n, enc, body)
			}
			_, units := sms.Length(body)
			worst = append(worst, fmt.Sprintf("%4d %s %s %s", units, enc, lang, key))
		}
	}
	// The language question is the one message in all three languages.
	var lines []string
	var opts []tipline.Option
	for _, l := range Langs {
		lines = append(lines, messages.Text(l, "lang.ask"))
		opts = append(opts, tipline.Option{Label: messages.Text(l, "lang."+l), Value: "lang:" + l})
	}
	if enc, n := sms.Segments(sms.Render(tipline.Reply{Text: strings.Join(lines, " / "), Options: opts})); n > sms.MaxSegments {
		t.Errorf("the language question takes %d %s segments", n, enc)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(worst)))
	t.Logf("longest: %v", worst[:5])
}

// TestDatesInTheUsersLanguage: a date is written as each language writes
// it ("4 déc.", never "4 dec").
func TestDatesInTheUsersLanguage(t *testing.T) {
	at := time.Date(2026, 12, 4, 15, 5, 0, 0, time.UTC)
	now := at.Add(24 * time.Hour)
	for lang, want := range map[string]string{"en": "Dec 4, 3:05 PM", "es": "4 dic 15:05", "fr": "4 déc. 15h05"} {
		if got := formatWhen(at, lang, now); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := formatWhen(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), "fr", now); got != "1 août" {
		t.Errorf("fr day alone: %q", got)
	}
}
