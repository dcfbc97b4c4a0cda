// Command tune picks the classifier's options and thresholds, never on
// test. With no argument it prints, for threshold pairs, recall, false
// alarms and concern on near-misses of the whole screen on dev (the
// shipped weights learnt dev: in-sample). The other modes:
//
//	tune -loao        leave each corpus author out in turn (train on the
//	                  others, score that author's train and dev messages)
//	                  and print one TSV row per message: lang, author,
//	                  split, label, rules level, rules category,
//	                  P(danger), P(concern), excused (risk.Decision.Excused),
//	                  categories, text, place only (risk.Decision.PlaceOnly)
//	tune -loaogrid    the same for each option set of optionGrid, scored
//	                  at the thresholds that keep false alarms at 4% and 5%
//	tune -probe TEXT  P(danger) of TEXT under a few option sets
//	tune -ab, -hp     train-only comparisons scored on dev
package main

import (
	"fmt"
	"os"
	"strings"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/model"
)

type row struct {
	label   string
	lang    string
	rule    risk.Level
	cat     risk.Category // the rules' first category
	excused bool          // an exception cancelled a danger rule (risk.Decision.Excused)
	pd, pc  float64
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
	if len(os.Args) > 1 && os.Args[1] == "-loao" {
		rows, held := leaveOneAuthorOut(dir, model.Default)
		for i, r := range rows {
			e := held[i]
			fmt.Printf("%s\t%s\t%s\t%s\t%d\t%s\t%.4f\t%.4f\t%t\t%s\t%s\t%t\n", e.Lang, e.author, e.Split, e.Label, r.rule, r.cat, r.pd, r.pc, r.excused, strings.Join(e.Categories, ","), e.Text, e.place)
		}
		return
	}
	if len(os.Args) > 2 && os.Args[1] == "-probe" {
		probe(dir, os.Args[2:], []model.Options{
			{Epochs: 10, Rate: 1.0, L2: 1e-5, DangerBoost: 1, Seed: 12},
			{Epochs: 20, Rate: 0.5, L2: 1e-5, DangerBoost: 1, Seed: 12},
			{Epochs: 10, Rate: 1.0, L2: 1e-5, DangerBoost: 1, Seed: 7},
		})
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "-loaogrid" {
		searchLOAO(dir)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "-hp" {
		searchOptions(dir, es)
		return
	}
	rows := make([]row, len(es))
	for i, e := range es {
		p := m.Predict(e.Text, risk.EngineFeatures(e.Text), 0)
		d := risk.ScreenRules(e.Text)
		rows[i] = row{e.Label, e.Lang, d.Level, d.Category(), d.Excused(), p.Level[2], p.Level[1]}
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
		lvl := r.level(hi, lo, shippedVeto)
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
