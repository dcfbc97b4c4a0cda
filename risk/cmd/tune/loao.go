package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/model"
)

// authored is a corpus entry with the author letter of its file ("" for
// LANG.tsv, "b" for LANG-b.tsv).
type authored struct {
	corpus.Entry
	author  string
	extra   []string
	rule    risk.Level
	cat     risk.Category
	excused bool
	place   bool // risk.Decision.PlaceOnly
}

// loadAuthored reads train and dev, every file, with its author.
func loadAuthored(dir string) ([]authored, error) {
	var out []authored
	for _, split := range []string{"train", "dev"} {
		for _, lang := range corpus.Langs {
			files, err := corpus.Files(dir, split, lang)
			if err != nil {
				return nil, err
			}
			for _, name := range files {
				f, err := os.Open(name)
				if err != nil {
					return nil, err
				}
				es, err := corpus.Parse(f, lang, split)
				f.Close()
				if err != nil {
					return nil, err
				}
				a := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), lang), ".tsv")
				a = strings.TrimPrefix(a, "-")
				for _, e := range es {
					out = append(out, authored{Entry: e, author: a})
				}
			}
		}
	}
	for i := range out {
		out[i].extra = risk.EngineFeatures(out[i].Text)
		d := risk.ScreenRules(out[i].Text)
		out[i].rule, out[i].cat, out[i].excused, out[i].place = d.Level, d.Category(), d.Excused(), d.PlaceOnly()
	}
	return out, nil
}

// leaveOneAuthorOut trains without each author in turn and scores that
// author's messages (train and dev): how the screen does on a writer it
// has never learnt from, the closest the corpus gets to the test split.
func leaveOneAuthorOut(dir string, opt model.Options) ([]row, []authored) {
	all, err := loadAuthored(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var authors []string
	for _, e := range all {
		if !slices.Contains(authors, e.author) {
			authors = append(authors, e.author)
		}
	}
	slices.Sort(authors)
	var rows []row
	var held []authored
	for _, a := range authors {
		var ex []model.Example
		for _, e := range all {
			if e.author != a {
				x := model.FromLabel(e.Text, e.Label, e.Categories)
				x.Extra = e.extra
				ex = append(ex, x)
			}
		}
		m, _ := model.Decode(model.Quantised(ex, opt))
		for _, e := range all {
			if e.author == a {
				p := m.Predict(e.Text, e.extra, 0)
				rows = append(rows, row{e.Label, e.Lang, e.rule, e.cat, e.excused, p.Level[2], p.Level[1]})
				held = append(held, e)
			}
		}
	}
	return rows, held
}

// level is the whole screen's answer for a row at thresholds hi (danger)
// and lo (concern), with the classifier's veto below veto; a row whose
// rules were excused (risk.Decision.Excused) needs excusedHi for danger.
func (r row) level(hi, lo, veto float64) risk.Level {
	lvl := r.rule
	if lvl == risk.Danger && r.pd < veto && risk.Softenable(r.cat) {
		lvl = risk.Concern
	}
	if r.pd >= hi && (!r.excused || r.pd >= excusedHi) {
		lvl = risk.Danger
	} else if r.pd+r.pc >= lo && lvl < risk.Concern {
		lvl = risk.Concern
	}
	return lvl
}

// The shipped veto and excused threshold (risk/combine.go).
const (
	shippedVeto = 0.05
	excusedHi   = 0.70
)

// atFalseAlarms finds the lowest danger threshold whose false alarms stay
// at most fa and reports the scores there.
func atFalseAlarms(rows []row, fa float64) string {
	for hi := 0.20; hi < 0.99; hi += 0.01 {
		n, f := 0, 0
		for _, r := range rows {
			if r.label == "near" {
				n++
				if r.level(hi, 0.7, shippedVeto) == risk.Danger {
					f++
				}
			}
		}
		if float64(f) <= fa*float64(n) {
			return fmt.Sprintf("hi %.2f %s", hi, score(rows, hi, 0.7))
		}
	}
	return "none"
}

// searchLOAO scores option sets by leaving each author out.
func searchLOAO(dir string) {
	for _, opt := range optionGrid() {
		rows, _ := leaveOneAuthorOut(dir, opt)
		fmt.Printf("%+v\n  FA<=4%%: %s\n  FA<=5%%: %s\n", opt, atFalseAlarms(rows, 0.04), atFalseAlarms(rows, 0.05))
	}
}
