package flows

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"tipline"
	"tipline/directory"
	"tipline/sms"
	"tipline/twilio"
)

// fixtureLocal are local services added to the bundled directory for the
// tests, with fictitious 555-01xx numbers: the bundled seed has no
// verified local service yet, and Nearby must be exercised.
var fixtureLocal = []directory.Resource{
	{ID: "fixture-nyc-shelter", Name: "Midtown Youth Shelter (fixture)", Categories: []string{"shelter", "runaway"},
		Phone: "212-555-0100", Hours: "24/7", Languages: []string{"en", "es"}, Regions: []string{"US-NY"},
		Local: true, Address: "W 40th St, New York, NY", Point: &tipline.Location{Lat: 40.754, Lon: -73.990}, Verified: true},
	{ID: "fixture-houston-food", Name: "Eastside Food Pantry (fixture)", Categories: []string{"food"},
		Phone: "713-555-0100", Hours: "Mon-Fri 9-5", Languages: []string{"en", "es"}, Regions: []string{"US-TX"},
		Local: true, Address: "Navigation Blvd, Houston, TX", Point: &tipline.Location{Lat: 29.752, Lon: -95.340}, Verified: true},
	{ID: "fixture-mtl-refuge", Name: "Refuge Plateau (fixture)", Categories: []string{"shelter"},
		Phone: "514-555-0100", Hours: "24/7", Languages: []string{"fr", "en"}, Regions: []string{"CA-QC"},
		Local: true, Address: "rue Saint-Denis, Montréal, QC", Point: &tipline.Location{Lat: 45.520, Lon: -73.580}, Verified: true},
}

// testDir is the bundled directory plus the local fixtures.
func testDir(t testing.TB) *directory.Directory {
	t.Helper()
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return directory.New(append(rs, fixtureLocal...))
}

// testEngine is an Engine over testDir with a 30-minute timeout.
func testEngine(t testing.TB) *Engine {
	ny, _ := time.LoadLocation("America/New_York")
	return &Engine{Dir: testDir(t), TZ: ny, Timeout: 30 * time.Minute}
}

var t0 = time.Date(2026, 3, 14, 23, 5, 0, 0, time.UTC)

// rendered is what the user sees of a reply on a channel.
func rendered(ch tipline.Channel, r tipline.Reply) string {
	if ch == tipline.ChannelSMS {
		return twilio.Render(r)
	}
	if ch == tipline.ChannelWhatsApp {
		return twilio.RenderWhatsApp(r)
	}
	var b strings.Builder
	b.WriteString(r.Text)
	if r.AskLocation {
		b.WriteString("\n[📍 share location]")
	}
	for _, o := range r.Options {
		fmt.Fprintf(&b, "\n[%s]", o.Label)
	}
	return b.String()
}

var (
	urlRE      = regexp.MustCompile(`https?://\S+|\b[\w.-]+\.(org|ca|com|mx|gov)\S*`)
	hoursRE    = regexp.MustCompile(`\b\d+\s*h?/\s*\d+\s*(j|/\d+)?|\d+-\d+\b`)
	digitRunRE = regexp.MustCompile(`\+?\d[\d\-. ()]*\d`)
	capsRE     = regexp.MustCompile(`\b[A-Z]{3,}\b`)
)

// contactProblems checks DESIGN's "never a wrong number": every phone
// number, short code and text keyword in a message is one the directory
// shows. Shown contacts, URLs, addresses, hours and our own command words
// are removed first; any run of 3+ digits or capitalised word left over
// came from somewhere else.
func contactProblems(d *directory.Directory, msg string) []string {
	s := urlRE.ReplaceAllString(msg, " ")
	for re := shownRE(d); ; {
		n := re.ReplaceAllString(s, "$1 $2")
		if n == s {
			break
		}
		s = n
	}
	for _, r := range d.All() {
		s = strings.ReplaceAll(s, r.Name, " ")
		if r.Address != "" {
			s = strings.ReplaceAll(s, r.Address, " ")
		}
	}
	s = hoursRE.ReplaceAllString(s, " ")
	var probs []string
	for _, m := range digitRunRE.FindAllString(s, -1) {
		if len(directory.Digits(m)) >= 3 {
			probs = append(probs, "number "+m)
		}
	}
	for _, m := range capsRE.FindAllString(s, -1) {
		if !ownWord(m) {
			probs = append(probs, "keyword "+m)
		}
	}
	return probs
}

var shownCache sync.Map // joined ShownContacts → *regexp.Regexp

// shownRE matches any contact the directory shows, where it is not part of
// a longer word or number (longest first).
func shownRE(d *directory.Directory) *regexp.Regexp {
	shown := d.ShownContacts()
	key := strings.Join(shown, "\x00")
	if re, ok := shownCache.Load(key); ok {
		return re.(*regexp.Regexp)
	}
	sort.Slice(shown, func(i, j int) bool { return len(shown[i]) > len(shown[j]) })
	alts := make([]string, len(shown))
	for i, c := range shown {
		alts[i] = regexp.QuoteMeta(c)
	}
	re := regexp.MustCompile(`(^|[^0-9A-Za-z])(?:` + strings.Join(alts, "|") + `)($|[^0-9A-Za-z])`)
	shownCache.Store(key, re)
	return re
}

// ownWord reports whether w is one of Tipline's own command words (any
// word of data/keywords.json, such as START, MENU, AJOUTER) or ZIP: not a
// resource's text keyword.
func ownWord(w string) bool {
	if w == "ZIP" {
		return true
	}
	_, ok := keywordTable[Normalize(w)]
	if ok {
		return true
	}
	for _, l := range Langs {
		for _, v := range keywordData.Display[l] {
			if v == w {
				return true
			}
		}
	}
	return false
}

// checkReply applies the rules every outbound message must keep, and
// returns what it breaks.
func checkReply(d *directory.Directory, ch tipline.Channel, r tipline.Reply) []string {
	var probs []string
	body := rendered(ch, r)
	if err := CheckNeutral(body); err != nil {
		probs = append(probs, err.Error())
	}
	probs = append(probs, contactProblems(d, body)...)
	if strings.TrimSpace(r.Text) == "" {
		probs = append(probs, "empty text")
	}
	switch ch {
	case tipline.ChannelSMS:
		if enc, n := sms.Segments(body); n > sms.MaxSegments {
			probs = append(probs, fmt.Sprintf("%d %s segments", n, enc))
		}
		if body != smsBody(r) {
			probs = append(probs, "flows' SMS estimate differs from twilio.Render")
		}
	case tipline.ChannelWhatsApp:
		if err := twilio.CheckWhatsApp(body); err != nil {
			probs = append(probs, err.Error())
		}
	default:
		if utf8.RuneCountInString(r.Text) > 4096 {
			probs = append(probs, "telegram text over 4096")
		}
		for _, o := range r.Options {
			if len(o.Value) == 0 || len(o.Value) > 64 {
				probs = append(probs, "callback value size "+o.Value)
			}
		}
	}
	return probs
}

// firstNumber is the first phone-like run of digits in s, URLs aside.
func firstNumber(s string) string {
	s = urlRE.ReplaceAllString(s, " ")
	for _, m := range digitRunRE.FindAllString(s, -1) {
		if len(directory.Digits(m)) >= 3 {
			return strings.TrimSpace(m)
		}
	}
	return ""
}

// hasEffect reports whether out has an effect of kind.
func hasEffect(out Output, kind EffectKind) bool {
	for _, e := range out.Effects {
		if e.Kind == kind {
			return true
		}
	}
	return false
}
