package main

import (
	"fmt"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/model"
)

// searchOptions trains with several options and reports, for each, the
// best dev recall whose false alarms stay at most 5%.
func searchOptions(dir string, dev []corpus.Entry) {
	train, _ := corpus.Load(dir, "train")
	ex := make([]model.Example, len(train))
	for i, e := range train {
		ex[i] = model.FromLabel(e.Text, e.Label, e.Categories)
		ex[i].Extra = risk.EngineFeatures(e.Text)
	}
	rules := make([]risk.Level, len(dev))
	for i, e := range dev {
		rules[i] = risk.ScreenRules(e.Text).Level
	}
	devExtra := make([][]string, len(dev))
	for i, e := range dev {
		devExtra[i] = risk.EngineFeatures(e.Text)
	}
	for _, ep := range []int{3, 5, 10} {
		for _, lr := range []float64{0.1, 0.2, 0.4} {
			for _, boost := range []float64{1} {
				opt := model.Options{Epochs: ep, Rate: lr, L2: 1e-5, DangerBoost: boost, Seed: 12}
				m, _ := model.Decode(model.Quantised(ex, opt))
				rows := make([]row, len(dev))
				for i, e := range dev {
					p := m.Predict(e.Text, devExtra[i], 0)
					rows[i] = row{label: e.Label, lang: e.Lang, rule: rules[i], pd: p.Level[2], pc: p.Level[1]}
				}
				best := ""
				for hi := 0.2; hi < 0.99; hi += 0.02 {
					s := score(rows, hi, 0.7)
					if fa := faOf(rows, hi); fa <= 0.02 {
						best = fmt.Sprintf("hi %.2f %s", hi, s)
						break
					}
				}
				fmt.Printf("ep %d lr %.1f boost %.0f: %s\n", ep, lr, boost, best)
			}
		}
	}
}

func faOf(rows []row, hi float64) float64 {
	fa, n := 0, 0
	for _, r := range rows {
		if r.label == "near" {
			n++
			if r.rule == risk.Danger || r.pd >= hi {
				fa++
			}
		}
	}
	return float64(fa) / float64(n)
}
