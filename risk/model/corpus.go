package model

import "tipline/risk/corpus"

// ShippedSplits are the splits the committed weights learn from. The
// options and the screen's thresholds were chosen with weights trained on
// train alone and measured on dev; the shipped weights are then refit on
// train and dev together (more authors, more ways of writing), and only
// the test split, never learnt from, measures them. Dev numbers of the
// shipped screen are therefore in-sample.
var ShippedSplits = []string{"train", "dev"}

// TrainCorpus trains on the ShippedSplits under dir (risk/corpus) with
// the default options, extra giving each message's engine features, and
// returns the weights file and the number of messages it used.
func TrainCorpus(dir string, extra func(string) []string) ([]byte, int, error) {
	return TrainSplits(dir, ShippedSplits, extra, Default)
}

// TrainSplits is TrainCorpus on the given splits, in that order, with
// the given options.
func TrainSplits(dir string, splits []string, extra func(string) []string, opt Options) ([]byte, int, error) {
	var entries []corpus.Entry
	for _, split := range splits {
		es, err := corpus.Load(dir, split)
		if err != nil {
			return nil, 0, err
		}
		entries = append(entries, es...)
	}
	ex := make([]Example, len(entries))
	for i, e := range entries {
		ex[i] = FromLabel(e.Text, e.Label, e.Categories)
		ex[i].Extra = extra(e.Text)
	}
	return Quantised(ex, opt), len(ex), nil
}
