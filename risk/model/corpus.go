package model

import "tipline/risk/corpus"

// TrainCorpus trains on the train split under dir (risk/corpus) with the
// default options, extra giving each message's engine features, and
// returns the weights file and the number of messages it used.
func TrainCorpus(dir string, extra func(string) []string) ([]byte, int, error) {
	entries, err := corpus.Load(dir, "train")
	if err != nil {
		return nil, 0, err
	}
	ex := make([]Example, len(entries))
	for i, e := range entries {
		ex[i] = FromLabel(e.Text, e.Label, e.Categories)
		ex[i].Extra = extra(e.Text)
	}
	return Quantised(ex, Default), len(ex), nil
}
