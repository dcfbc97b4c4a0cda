package main

import (
	"fmt"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/model"
)

// compareFeatures trains with and without the engine's concept features
// and prints dev scores for both.
func compareFeatures(dir string, dev []corpus.Entry) {
	train, _ := corpus.Load(dir, "train")
	rules := make([]risk.Level, len(dev))
	for i, e := range dev {
		rules[i] = risk.ScreenRules(e.Text).Level
	}
	for _, with := range []bool{false, true} {
		ex := make([]model.Example, len(train))
		for i, e := range train {
			ex[i] = model.FromLabel(e.Text, e.Label, e.Categories)
			if with {
				ex[i].Extra = risk.EngineFeatures(e.Text)
			}
		}
		m, _ := model.Decode(model.Quantised(ex, model.Default))
		rows := make([]row, len(dev))
		for i, e := range dev {
			var extra []string
			if with {
				extra = risk.EngineFeatures(e.Text)
			}
			p := m.Predict(e.Text, extra, 0)
			rows[i] = row{label: e.Label, lang: e.Lang, rule: rules[i], pd: p.Level[2], pc: p.Level[1]}
		}
		for _, hi := range []float64{0.5, 0.6, 0.7, 0.8} {
			fmt.Printf("features %v hi %.1f: %s\n", with, hi, score(rows, hi, 0.7))
		}
	}
}
