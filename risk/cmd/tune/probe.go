package main

import (
	"fmt"

	"tipline/risk"
	"tipline/risk/model"
)

// probe trains the shipped splits with several options and prints each
// model's danger probability for the given texts.
func probe(dir string, texts []string, opts []model.Options) {
	for _, o := range opts {
		b, _, err := model.TrainSplits(dir, model.ShippedSplits, risk.EngineFeatures, o)
		if err != nil {
			fmt.Println(err)
			return
		}
		m, _ := model.Decode(b)
		fmt.Printf("%+v\n", o)
		for _, t := range texts {
			p := m.Predict(t, risk.EngineFeatures(t), 3)
			fmt.Printf("  %.3f %.3f %q %v\n", p.Level[2], p.Level[1], t, p.Top)
		}
	}
}
