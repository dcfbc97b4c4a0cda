// Package corpus loads the risk screen's labelled messages
// (risk/corpus/{train,dev,test}/{en,es,fr}.tsv, format in README.md).
package corpus

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
		f, err := os.Open(filepath.Join(dir, split, lang+".tsv"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		es, err := Parse(f, lang, split)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
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
