package flows

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"tipline"
	"tipline/directory"
)

// maxLocal is how many nearby local resources an answer lists.
const maxLocal = 3

// Keys of State.Data in the help flow.
const (
	dataNeed = "need"
	dataLat  = "lat"
	dataLon  = "lon"
)

// helpStep handles free text (or a location) inside the help flow.
func (t *turn) helpStep() {
	if t.in.Location != nil {
		t.located()
		return
	}
	if t.sighting && (t.st.Step == stepNeed || t.st.Step == stepWhere) {
		t.askWho(t.st.Data[dataNeed]) // a tipster who chose help: never the youth lines
		return
	}
	switch t.st.Step {
	case stepNeed:
		if need := t.needIn(); need != "" {
			t.setNeed(need)
		} else if !t.hit {
			t.askNeed()
		}
	case stepWhere:
		t.whereText()
	default: // stepDone: a new message starts again
		if t.hit || isWord(keywordData.More, t.norm) && t.more() {
			return // a danger answer is enough; MORE sent the next page
		}
		t.reset()
		t.startStep()
	}
}

// askNeed asks what they need, promising confidentiality (not anonymity).
func (t *turn) askNeed() {
	t.st.Flow, t.st.Step, t.st.More = FlowHelp, stepNeed, nil
	opts := make([]tipline.Option, 0, len(needsData.Order))
	for _, n := range needsData.Order {
		opts = append(opts, t.option("need:"+n, "need."+n))
	}
	t.say(tipline.Reply{Text: t.text("help.need.ask"), Options: opts})
}

// setNeed records the need, then asks where they are, unless a shared
// location is already known.
func (t *turn) setNeed(need string) {
	t.st.Flow = FlowHelp
	if t.st.Data == nil {
		t.st.Data = map[string]string{}
	}
	t.st.Data[dataNeed] = need
	if p, ok := t.point(); ok {
		t.answer(&p)
		return
	}
	t.askWhere()
}

// askWhere asks for a ZIP or postal code, a city, or (Telegram) a location.
func (t *turn) askWhere() {
	t.st.Step = stepWhere
	text := t.text("help.where.ask")
	ask := t.in.Channel == tipline.ChannelTelegram
	if ask {
		text += "\n" + t.text("help.where.share")
	}
	t.say(tipline.Reply{Text: text, AskLocation: ask,
		Options: []tipline.Option{t.option("where:skip", "where.skip")}})
}

// whereText reads a place typed at the where step.
func (t *turn) whereText() {
	if isWord(keywordData.Skip, t.norm) {
		t.answer(nil)
		return
	}
	place, ok := directory.Geocode(t.in.Text)
	if !ok {
		if !t.hit {
			t.unknownPlace()
		}
		return
	}
	t.st.Country = place.Country
	t.answer(&place.Point)
}

// unknownPlace says plainly that the place was not found, gives the
// national lines, and keeps waiting for another place.
func (t *turn) unknownPlace() {
	blocks := []string{t.text("help.where.unknown")}
	blocks = append(blocks, t.nationalBlocks(t.need())...)
	t.sendBlocks(blocks, []tipline.Option{t.option("where:skip", "where.skip"), t.option("menu", "opt.menu")})
	t.st.Flow, t.st.Step = FlowHelp, stepWhere
}

// located takes a shared Telegram location: rounded to about 1 km before it
// is kept (DESIGN.md rule 14), then used for the answer.
func (t *turn) located() {
	if t.st.Data == nil {
		t.st.Data = map[string]string{}
	}
	lat, lon := round2(t.in.Location.Lat), round2(t.in.Location.Lon)
	if place, ok := directory.PlaceAt(tipline.Location{Lat: lat, Lon: lon}); ok {
		t.st.Country = place.Country // a place the user gave (DESIGN rule 3)
	}
	t.st.Data[dataLat] = strconv.FormatFloat(lat, 'f', 2, 64)
	t.st.Data[dataLon] = strconv.FormatFloat(lon, 'f', 2, 64)
	if t.st.Data[dataNeed] == "" {
		t.askNeed()
		return
	}
	t.answer(&tipline.Location{Lat: lat, Lon: lon})
}

// round2 rounds a coordinate to 0.01°, about 1.1 km.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// point is the location shared earlier in this flow, if any.
func (t *turn) point() (tipline.Location, bool) {
	lat, err1 := strconv.ParseFloat(t.st.Data[dataLat], 64)
	lon, err2 := strconv.ParseFloat(t.st.Data[dataLon], 64)
	if err1 != nil || err2 != nil {
		return tipline.Location{}, false
	}
	return tipline.Location{Lat: lat, Lon: lon}, true
}

// need is the need chosen in this flow, "other" when none was.
func (t *turn) need() string {
	if n := t.st.Data[dataNeed]; n != "" {
		return n
	}
	return "other"
}

// answer sends the resources for the need: the emergency number, up to
// maxLocal places near p (or the honest sentence that none is listed),
// then the national lines.
func (t *turn) answer(p *tipline.Location) {
	need := t.need()
	blocks := []string{t.text("emergency.call", "emergency", t.emergency())}
	if _, outside := t.lineCountry(); outside {
		blocks = append(blocks, t.text("emergency.outside"))
	}
	national := t.nationalBlocks(need)
	if p != nil {
		var local []string
		local, national = t.localAnswer(*p, need)
		blocks = append(blocks, local...)
	}
	blocks = append(blocks, national...)
	t.sendBlocks(blocks, t.endOptions())
	t.st.Flow, t.st.Step = FlowHelp, stepDone
	t.st.Data = map[string]string{dataNeed: need} // the place and age were used: not kept

}

// nationalBlocks lists the national lines for need in the sender's country.
func (t *turn) nationalBlocks(need string) []string {
	country, _ := t.lineCountry()
	rs := t.resources(needsData.National[need][country])
	if len(rs) == 0 {
		return []string{t.text("help.no_national")}
	}
	return t.resourceBlocks("help.national", rs, true)
}

// endOptions are offered under an answer: start over.
func (t *turn) endOptions() []tipline.Option {
	return []tipline.Option{t.option("menu", "opt.menu")}
}

// matchNeed finds a need named in free text (data/needs.json words), in the
// conversation's language first, then in the others.
func matchNeed(norm, lang string) string {
	if norm == "" {
		return ""
	}
	padded := " " + norm + " "
	if need := needIn(padded, lang); need != "" {
		return need
	}
	for _, l := range Langs {
		if l == lang {
			continue // read first
		}
		if need := needIn(padded, l); need != "" {
			return need
		}
	}
	return ""
}

// needIn finds the first need, in needs.json's order, whose words in lang
// occur in padded (a normalised text with a space at each end).
func needIn(padded, lang string) string {
	words := needWords()
	for _, need := range needsData.Order {
		for _, w := range words[need][lang] {
			if strings.Contains(padded, w) {
				return need
			}
		}
	}
	return ""
}

// needWords is needs.json's words normalised, with a space at each end, by
// need and language (built on first use).
var needWords = sync.OnceValue(func() map[string]map[string][]string {
	out := make(map[string]map[string][]string, len(needsData.Words))
	for need, byLang := range needsData.Words {
		out[need] = make(map[string][]string, len(byLang))
		for l, ws := range byLang {
			for _, w := range ws {
				out[need][l] = append(out[need][l], " "+Normalize(w)+" ")
			}
		}
	}
	return out
})

// isPlace reports whether text names a place the directory can find.
func isPlace(text string) bool {
	_, ok := directory.Geocode(text)
	return ok
}
