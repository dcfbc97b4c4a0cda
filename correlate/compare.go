package correlate

import (
	"fmt"
	"sort"
	"strings"
)

// Weights of what two descriptions share, and of what they contradict.
const (
	wItemColour = 3.0 // the same item in the same colour
	wItemNear   = 2.0 // the same item in colours easily mistaken for each other
	wItem       = 1.0 // the same item, colour not given by both
	wHair       = 1.5
	wChild      = 1.0
	wAgeExact   = 1.5 // ages within a year
	wAgeRange   = 0.5
	wAdult      = 1.0
	wPlate      = 6.0
	wName       = 4.0
	wWord       = 0.5
	maxWords    = 3 // words counted at most

	cChild      = 3.0
	cAge        = 2.0
	cHair       = 1.5
	cItemColour = 1.0 // witnesses often get a colour wrong
	cPlate      = 2.0
)

// comparison is what two profiles share and contradict, with weights and the
// phrases staff read.
type comparison struct {
	shared, conflict float64
	sharedText       []string
	conflictText     []string
}

func (c *comparison) share(w float64, text string) {
	c.shared += w
	c.sharedText = append(c.sharedText, text)
}

func (c *comparison) contradict(w float64, text string) {
	c.conflict += w
	c.conflictText = append(c.conflictText, text)
}

// compare weighs what a and b say about who was seen.
func compare(a, b Profile) comparison {
	var c comparison
	compareChild(&c, a, b)
	compareItems(&c, a, b)
	compareSets(&c, a.Hair, b.Hair, wHair, cHair, func(x string) string { return x + " hair" })
	for _, m := range sortedShared(a.Adults, b.Adults) {
		c.share(wAdult, article(m)+" with the child")
	}
	compareSets(&c, a.Plates, b.Plates, wPlate, cPlate, func(x string) string { return "plate " + x })
	n := 0
	for _, w := range sortedShared(a.Words, b.Words) {
		if n++; n > maxWords {
			break
		}
		c.share(wWord, "“"+w+"”")
	}
	return c
}

// compareChild weighs the child's sex and age together ("a girl of about
// 14").
func compareChild(c *comparison, a, b Profile) {
	sex := sortedShared(a.Child, b.Child)
	if len(a.Child) == 1 && len(b.Child) == 1 && len(sex) == 0 {
		c.contradict(cChild, fmt.Sprintf("%s in one, %s in the other", article(anyKey(a.Child)), article(anyKey(b.Child))))
	}
	age, ageW, ageConflict := compareAge(a, b)
	if ageConflict != "" {
		c.contradict(cAge, ageConflict)
	}
	switch {
	case len(sex) > 0 && age != "":
		c.shared += wChild + ageW // one phrase for both
		c.sharedText = append(c.sharedText, article(sex[0])+" of "+age)
	case len(sex) > 0:
		c.share(wChild, article(sex[0]))
	case age != "":
		c.share(ageW, "a child of "+age)
	}
}

// compareAge says whether two ages agree ("about 14") or contradict
// ("ages 8 and 15").
func compareAge(a, b Profile) (shared string, w float64, conflict string) {
	if a.AgeMin == 0 || b.AgeMin == 0 {
		return "", 0, ""
	}
	gap := max(a.AgeMin-b.AgeMax, b.AgeMin-a.AgeMax, 0)
	switch {
	case a.Exact && b.Exact && gap <= 1:
		return "about " + itoa((a.AgeMin+b.AgeMin+1)/2), wAgeExact, ""
	case gap <= 1:
		return "about " + itoa(max(a.AgeMin, b.AgeMin)) + "–" + itoa(min(a.AgeMax, b.AgeMax)+gap), wAgeRange, ""
	case gap >= 3:
		return "", 0, "ages " + ageText(a) + " and " + ageText(b)
	}
	return "", 0, ""
}

func ageText(p Profile) string {
	if p.Exact {
		return itoa(p.AgeMin)
	}
	return itoa(p.AgeMin) + "–" + itoa(p.AgeMax)
}

// compareItems weighs items and vehicles: the same colour counts most,
// different colours on both sides contradict.
func compareItems(c *comparison, a, b Profile) {
	for _, key := range sortedShared(keySet(a.Items), keySet(b.Items)) {
		name := key[strings.IndexByte(key, ':')+1:]
		ca, cb := a.Items[key], b.Items[key]
		same := sortedShared(ca, cb)
		switch {
		case len(same) > 0:
			c.share(wItemColour, article(strings.Join(same, " and ")+" "+name))
		case len(ca) > 0 && len(cb) > 0 && nearColours(ca, cb):
			c.share(wItemNear, article(anyKey(ca)+" or "+anyKey(cb)+" "+name))
		case len(ca) > 0 && len(cb) > 0:
			c.contradict(cItemColour, article(anyKey(ca)+" "+name)+" and "+article(anyKey(cb)+" "+name))
		default:
			c.share(wItem, article(name))
		}
	}
}

// compareSets weighs a set both sides may fill (hair colours, plates):
// shared values count, two filled sets with nothing in common contradict.
func compareSets(c *comparison, a, b map[string]bool, w, cw float64, label func(string) string) {
	same := sortedShared(a, b)
	for _, x := range same {
		c.share(w, label(x))
	}
	if len(same) == 0 && len(a) > 0 && len(b) > 0 {
		c.contradict(cw, label(anyKey(a))+" and "+label(anyKey(b)))
	}
}

func keySet[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedShared(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// anyKey is the first key of m in order (for a stable phrase).
func anyKey(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

// plural names need no article.
var plural = map[string]bool{"jeans": true, "pants": true, "shorts": true, "leggings": true, "sneakers": true,
	"boots": true, "glasses": true, "braids": true, "headphones": true}

// article puts "a" or "an" before a phrase, none before a plural item.
func article(phrase string) string {
	words := strings.Fields(phrase)
	if len(words) == 0 || plural[words[len(words)-1]] {
		return phrase
	}
	if words[len(words)-1] == "suv" {
		phrase = strings.TrimSuffix(phrase, "suv") + "SUV"
	}
	if strings.ContainsRune("aeio", rune(phrase[0])) || strings.HasPrefix(phrase, "SUV") {
		return "an " + phrase
	}
	return "a " + phrase
}

func itoa(n int) string { return fmt.Sprint(n) }
