// Command tune picks the classifier's thresholds on the dev split: for
// each pair it prints recall, false alarms and concern on near-misses of
// the whole screen (rules plus classifier). Never run it on test.
package main

import (
	"fmt"
	"os"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/model"
)

type row struct {
	label  string
	lang   string
	rule   risk.Level
	pd, pc float64
}

func main() {
	dir, err := corpus.Dir()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	es, err := corpus.Load(dir, "dev")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m, err := model.Embedded()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(os.Args) > 1 && os.Args[1] == "-ab" {
		compareFeatures(dir, es)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "-hp" {
		searchOptions(dir, es)
		return
	}
	rows := make([]row, len(es))
	for i, e := range es {
		p := m.Predict(e.Text, risk.EngineFeatures(e.Text), 0)
		rows[i] = row{e.Label, e.Lang, risk.ScreenRules(e.Text).Level, p.Level[2], p.Level[1]}
	}
	for _, hi := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
		for _, lo := range []float64{0.3, 0.5, 0.7, 0.9} {
			fmt.Printf("hi %.2f lo %.2f  %s\n", hi, lo, score(rows, hi, lo))
		}
	}
}

func score(rows []row, hi, lo float64) string {
	rec := map[string][2]int{}
	var fa, cn, near, cc, ct int
	for _, r := range rows {
		lvl := r.rule
		if r.pd >= hi {
			lvl = risk.Danger
		} else if r.pd+r.pc >= lo && lvl < risk.Concern {
			lvl = risk.Concern
		}
		switch r.label {
		case "danger":
			c := rec[r.lang]
			c[1]++
			if lvl == risk.Danger {
				c[0]++
			}
			rec[r.lang] = c
		case "near":
			near++
			if lvl == risk.Danger {
				fa++
			} else if lvl == risk.Concern {
				cn++
			}
		case "concern":
			ct++
			if lvl > risk.None {
				cc++
			}
		}
	}
	s := ""
	for _, l := range corpus.Langs {
		c := rec[l]
		s += fmt.Sprintf("%s %.1f  ", l, 100*float64(c[0])/float64(max(c[1], 1)))
	}
	return s + fmt.Sprintf("FA %.1f  CN %.1f  concern %.1f", 100*float64(fa)/float64(near), 100*float64(cn)/float64(near), 100*float64(cc)/float64(max(ct, 1)))
}
