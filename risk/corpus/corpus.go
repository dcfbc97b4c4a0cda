// Package corpus loads the risk screen's labelled messages
// (risk/corpus/{train,dev,test}/{en,es,fr}.tsv and {en,es,fr}-*.tsv, format
// in README.md).
package corpus

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Labels a message may carry.
const (
	Danger  = "danger"
	Concern = "concern"
	Near    = "near"
	Need    = "need"
	None    = "none"
)

// Langs are the corpus languages; Splits its splits.
var (
	Langs  = []string{"en", "es", "fr"}
	Splits = []string{"train", "dev", "test"}
)

// Entry is one labelled message.
type Entry struct {
	Group      string
	Label      string
	Categories []string // empty for near, need and none
	Lang       string
	Split      string
	Text       string
	Line       int
}

// Parse reads corpus lines (group, label, category, text) for lang and
// split.
func Parse(r io.Reader, lang, split string) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) != 4 {
			return nil, fmt.Errorf("%s/%s line %d: want 4 tab-separated fields", split, lang, n)
		}
		e := Entry{Group: f[0], Label: f[1], Lang: lang, Split: split, Text: f[3], Line: n}
		if !ValidLabel(e.Label) {
			return nil, fmt.Errorf("%s/%s line %d: label %q", split, lang, n, e.Label)
		}
		if f[2] != "-" && f[2] != "" {
			e.Categories = strings.Split(f[2], ",")
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// ValidLabel reports whether l is one of the five labels.
func ValidLabel(l string) bool {
	switch l {
	case Danger, Concern, Near, Need, None:
		return true
	}
	return false
}

// Load reads every language of one split from dir (the risk/corpus
// directory); a missing file is an empty language.
func Load(dir, split string) ([]Entry, error) {
	var out []Entry
	for _, lang := range Langs {
		files, err := Files(dir, split, lang)
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			es, err := parseFile(name, lang, split)
			if err != nil {
				return nil, err
			}
			out = append(out, es...)
		}
	}
	return out, nil
}

// Files lists the files of one language of a split: LANG.tsv first, then
// LANG-*.tsv (one per further author) in name order, so that loading,
// and so training, is deterministic.
func Files(dir, split, lang string) ([]string, error) {
	more, err := filepath.Glob(filepath.Join(dir, split, lang+"-*.tsv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(more)
	main := filepath.Join(dir, split, lang+".tsv")
	if _, err := os.Stat(main); err == nil {
		return append([]string{main}, more...), nil
	}
	return more, nil
}

func parseFile(name, lang, split string) ([]Entry, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	es, err := Parse(f, lang, split)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	return es, nil
}

// Dir finds the risk/corpus directory from the working directory or any
// parent (tests run in their package directory, the command at the root).
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, c := range []string{filepath.Join(d, "risk", "corpus"), filepath.Join(d, "corpus")} {
			if st, err := os.Stat(filepath.Join(c, "README.md")); err == nil && !st.IsDir() && filepath.Base(c) == "corpus" {
				return c, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("risk/corpus not found above %s", wd)
		}
	}
}
