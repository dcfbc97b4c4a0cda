package risk

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"tipline/risk/textnorm"
)

//go:embed data
var dataFS embed.FS

// language is everything the screen knows about one language.
type language struct {
	code    string
	markers map[string]float64
	slang   map[string][]slangEntry // first word -> entries, longest first
	lex     *lexicon
	rules   []*rule
	index   *patternIndex // the rules' patterns by concept (candidates.go)
}

// slangEntry rewrites a run of words (abbreviation, slang, contraction).
type slangEntry struct {
	from []string
	to   []textnorm.Token
}

// engine is the loaded data of every language.
type engine struct {
	reg    registry
	langs  []*language // en, es, fr
	negID  int
	skipID int
	sfxID  int   // streetsfx: "st", "rd", "city" end a street's or a town's name
	err    error // languages whose data did not load
}

// langCodes are the languages the screen reads, in tie-break order.
var langCodes = []string{"en", "es", "fr"}

// load reads risk/data from fsys.
func load(fsys fs.FS) (*engine, error) {
	e := &engine{reg: registry{ids: map[string]int{}}}
	var err error
	if e.negID, err = e.reg.id("neg"); err != nil {
		return nil, err
	}
	if e.skipID, err = e.reg.id("negskip"); err != nil {
		return nil, err
	}
	if e.sfxID, err = e.reg.id("streetsfx"); err != nil {
		return nil, err
	}
	common, _ := fs.ReadFile(fsys, "data/common/concepts.tsv")
	for _, code := range langCodes {
		l := &language{code: code, lex: newLexicon(), slang: map[string][]slangEntry{}}
		read := func(name string) string {
			b, _ := fs.ReadFile(fsys, "data/"+code+"/"+name)
			return string(b)
		}
		if l.markers, err = parseMarkers(read("markers.tsv")); err == nil {
			err = l.parseSlang(read("slang.tsv"))
		}
		if err == nil {
			err = l.parseConcepts(string(common)+"\n"+read("concepts.tsv"), &e.reg)
		}
		if err == nil {
			l.rules, err = parseRules(read("rules.txt"), code, &e.reg, l.lex)
		}
		if err == nil {
			err = l.check(&e.reg)
		}
		if dict, derr := fs.ReadFile(fsys, "data/dict/"+code+".txt"); derr == nil {
			l.lex.fuzzy.setKnown(string(dict))
		}
		if err != nil {
			// A broken language is left out so the others keep working;
			// the error is reported by DataError (and fails the tests).
			e.err = errors.Join(e.err, fmt.Errorf("risk data %s: %v", code, err))
			continue
		}
		l.index = newPatternIndex(l.rules)
		e.langs = append(e.langs, l)
	}
	return e, nil
}

// words normalises a data entry the way messages are normalised.
func words(s string) []string {
	var out []string
	for _, t := range textnorm.Tokens(strings.ReplaceAll(s, "*", "ǂ")) {
		out = append(out, strings.ReplaceAll(t.Text, "ǂ", "*"))
	}
	return out
}

func parseMarkers(src string) (map[string]float64, error) {
	m := map[string]float64{}
	return m, eachLine(src, func(f []string) error {
		w := 1.0
		if len(f) > 1 {
			var err error
			if w, err = strconv.ParseFloat(f[1], 64); err != nil {
				return err
			}
		}
		for _, x := range words(f[0]) {
			m[x] = w
		}
		return nil
	})
}

func (l *language) parseSlang(src string) error {
	err := eachLine(src, func(f []string) error {
		if len(f) != 2 {
			return fmt.Errorf("want from<TAB>to")
		}
		from := words(f[0])
		if len(from) == 0 {
			return fmt.Errorf("empty entry")
		}
		l.slang[from[0]] = append(l.slang[from[0]], slangEntry{from: from, to: textnorm.Tokens(f[1])})
		return nil
	})
	for _, list := range l.slang {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].from) > len(list[j].from) })
	}
	return err
}

func (l *language) parseConcepts(src string, reg *registry) error {
	err := eachLine(src, func(f []string) error {
		if len(f) != 2 {
			return fmt.Errorf("want concept<TAB>entries separated by commas")
		}
		id, err := reg.id(strings.TrimSpace(f[0]))
		if err != nil {
			return err
		}
		for _, entry := range strings.Split(f[1], ",") {
			if w := words(entry); len(w) > 0 {
				l.lex.add(w, id)
			}
		}
		return nil
	})
	var exact []string
	for w := range l.lex.words {
		exact = append(exact, w)
	}
	sort.Strings(exact)
	l.lex.fuzzy = newFuzzyIndex(exact)
	return err
}

// check fails when a rule names a concept the language never defines.
func (l *language) check(reg *registry) error {
	var defined cset
	for _, s := range l.lex.words {
		defined.union(s)
	}
	for _, s := range l.lex.prefixes {
		defined.union(s)
	}
	for _, ps := range l.lex.phrases {
		for _, p := range ps {
			defined.union(&p.set)
		}
	}
	for _, m := range l.lex.phrases2 {
		for _, ps := range m {
			for _, p := range ps {
				defined.union(&p.set)
			}
		}
	}
	for _, ps := range l.lex.pphrases {
		for _, p := range ps {
			defined.union(&p.set)
		}
	}
	for _, r := range l.rules {
		for _, p := range append(append([]pattern(nil), r.patterns...), r.unless...) {
			for i, s := range p.slots {
				if !defined.intersects(&s.any) {
					return fmt.Errorf("rule %s: concept %q has no entries", r.id, p.names[i])
				}
			}
		}
	}
	return nil
}

// eachLine calls fn with the tab-separated fields of every line that is
// not blank or a # comment.
func eachLine(src string, fn func([]string) error) error {
	sc := bufio.NewScanner(strings.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(strings.Split(line, "\t")); err != nil {
			return fmt.Errorf("line %d: %v", n, err)
		}
	}
	return sc.Err()
}
