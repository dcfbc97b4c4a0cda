package risk

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// slot is one position of a pattern: a token that has any of the concepts
// in any. With negatable set, a negation just before it (only pronouns and
// auxiliaries between, same clause) means the slot does not match.
type slot struct {
	any       cset
	words     []uint8 // the indexes of any's non-zero words, to test only those
	negatable bool
}

// hit reports whether set s has any of the slot's concepts.
func (sl *slot) hit(s *cset) bool {
	for _, w := range sl.words {
		if s[w]&sl.any[w] != 0 {
			return true
		}
	}
	return false
}

// pattern is an ordered sequence (at most gap other tokens between two
// slots, never across a clause break) or an unordered set (all slots
// within win tokens of the first).
type pattern struct {
	ordered bool
	win     int
	slots   []slot
	names   []string // concept names per slot, for reasons
}

// rule fires when any of its patterns matches and no exception of the rule
// matches in the same clause.
type rule struct {
	id       string
	level    Level
	cats     []Category
	patterns []pattern
	unless   []pattern
}

// parseRules reads the rules.txt format (risk/data/README.md).
func parseRules(src, lang string, reg *registry, lx *lexicon) ([]*rule, error) {
	var rules []*rule
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		var err error
		switch f[0] {
		case "rule":
			var r *rule
			r, err = parseRuleHead(f, lang)
			if err == nil {
				rules = append(rules, r)
			}
		case "seq", "all", "unless", "unless-all":
			if len(rules) == 0 {
				err = fmt.Errorf("%s before any rule", f[0])
				break
			}
			var p pattern
			p, err = parsePattern(f, reg, lx)
			r := rules[len(rules)-1]
			if strings.HasPrefix(f[0], "unless") {
				r.unless = append(r.unless, p)
			} else {
				r.patterns = append(r.patterns, p)
			}
		default:
			err = fmt.Errorf("unknown line kind %q", f[0])
		}
		if err != nil {
			return nil, fmt.Errorf("%s rules line %d: %v", lang, n, err)
		}
	}
	return rules, sc.Err()
}

func parseRuleHead(f []string, lang string) (*rule, error) {
	if len(f) != 4 {
		return nil, fmt.Errorf("want: rule ID danger|concern CATEGORIES")
	}
	r := &rule{id: lang + "." + f[1]}
	switch f[2] {
	case "danger":
		r.level = Danger
	case "concern":
		r.level = Concern
	default:
		return nil, fmt.Errorf("level %q", f[2])
	}
	for _, c := range strings.Split(f[3], ",") {
		if !knownCategory(Category(c)) {
			return nil, fmt.Errorf("category %q", c)
		}
		r.cats = append(r.cats, Category(c))
	}
	return r, nil
}

func knownCategory(c Category) bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// parsePattern reads "seq GAP a b! c/d" or "all WIN a b" (and the unless
// forms: "unless GAP ..." is ordered, "unless-all WIN ..." is not). A
// slot name "=word" matches that word itself.
func parsePattern(f []string, reg *registry, lx *lexicon) (pattern, error) {
	if len(f) < 3 {
		return pattern{}, fmt.Errorf("a pattern needs a number and at least one slot")
	}
	w, err := strconv.Atoi(f[1])
	if err != nil || w < 0 {
		return pattern{}, fmt.Errorf("bad window %q", f[1])
	}
	p := pattern{ordered: f[0] == "seq" || f[0] == "unless", win: w}
	for _, s := range f[2:] {
		var sl slot
		if strings.HasSuffix(s, "!") {
			sl.negatable, s = true, strings.TrimSuffix(s, "!")
		}
		for _, name := range strings.Split(s, "/") {
			id, err := reg.id(name)
			if err != nil {
				return p, err
			}
			if strings.HasPrefix(name, "=") {
				lx.add(words(name[1:]), id)
			}
			sl.any.add(id)
		}
		for w, bits := range sl.any {
			if bits != 0 {
				sl.words = append(sl.words, uint8(w))
			}
		}
		p.slots = append(p.slots, sl)
		p.names = append(p.names, s)
	}
	return p, nil
}
