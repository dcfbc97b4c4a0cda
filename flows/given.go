package flows

import (
	"strconv"
	"strings"
	"unicode"

	"tipline/directory"
)

// dataAge is the State.Data key of an age the youth gave in passing.
const dataAge = "age"

// kept are the State.Data keys a return to the menu keeps: what the youth
// said about themselves (their place, rounded, and their age) before the
// answer that uses it, so that it is not asked again. The answer drops
// them (a youth's place is kept no longer than needed), and so do expiry
// and DELETE.
var kept = []string{dataLat, dataLon, dataAge}

// noteGiven takes a place and an age from any message a youth sends
// outside a sighting report ("need somewhere to sleep in 77002", "im 16"):
// the answer then uses them instead of asking. A sighting's place is the
// child's, not the sender's, so it is never taken.
func (t *turn) noteGiven() {
	if t.st.Flow == FlowReport || t.sighting || t.in.Text == "" {
		return
	}
	if age := ageIn(t.words()); age > 0 {
		t.setData(dataAge, strconv.Itoa(age))
	}
	if place, ok := placeIn(t.in.Text); ok {
		t.st.Country = place.Country
		t.setData(dataLat, strconv.FormatFloat(round2(place.Point.Lat), 'f', 2, 64))
		t.setData(dataLon, strconv.FormatFloat(round2(place.Point.Lon), 'f', 2, 64))
		t.placed = true
	}
}

// setData sets one State.Data key.
func (t *turn) setData(k, v string) {
	if t.st.Data == nil {
		t.st.Data = map[string]string{}
	}
	t.st.Data[k] = v
}

// keptData is the part of State.Data a return to the menu keeps.
func keptData(d map[string]string) map[string]string {
	var out map[string]string
	for _, k := range kept {
		if v := d[k]; v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// placeIn finds a place inside free text: a ZIP or postal code anywhere,
// or "City, ST" at its end. Outside the where question a city is taken only
// when it is written as a place ("Chicago, IL", "Dallas TX", "Houston,
// Texas"), not when a sentence merely ends in a word that is also a state
// code ("... in", "ok", "hi", "me").
func placeIn(text string) (directory.Place, bool) {
	p, ok := directory.Geocode(text)
	if !ok {
		return p, false
	}
	if strings.IndexFunc(p.Label, unicode.IsDigit) >= 0 {
		return p, true // a ZIP or postal code
	}
	fields := strings.Fields(strings.TrimRight(strings.TrimSpace(text), ".!?"))
	if len(fields) < 2 {
		return p, false
	}
	last := fields[len(fields)-1]
	comma := strings.HasSuffix(fields[len(fields)-2], ",")
	upper := len(last) == 2 && strings.ToUpper(last) == last
	return p, comma || upper || len([]rune(last)) > 3
}

// ageIn reads an age the sender gives about themselves ("im 16", "16 yo",
// "tengo 15 años", "j'ai 16 ans"); 0 when none. Only 10 to 25 is taken:
// other numbers are more likely times, counts or house numbers.
func ageIn(ws [][2]string) int {
	at := func(i int) string {
		if i >= 0 && i < len(ws) {
			return ws[i][0]
		}
		return ""
	}
	for i := range ws {
		n, err := strconv.Atoi(ws[i][0])
		if err != nil || n < 10 || n > 25 {
			continue
		}
		before, before2, after := at(i-1), at(i-2), at(i+1)
		switch {
		case before == "am" && before2 == "i", before == "im", before == "age", before == "tengo",
			before == "ai" && (before2 == "je" || before2 == "j"):
			return n
		case after == "yo" || after == "yrs" || after == "y" && at(i+2) == "o",
			after == "years" && at(i+2) == "old", after == "year" && at(i+2) == "old":
			return n
		}
	}
	return 0
}

// words are the message's words as the risk screen's normalisation reads
// them (textnorm), without clause breaks.
func (t *turn) words() [][2]string {
	if t.ws == nil {
		t.ws = intentWords(t.in.Text)
	}
	return t.ws
}
