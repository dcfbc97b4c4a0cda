// Command train fits the risk screen's classifier on the train and dev
// splits (model.ShippedSplits; the test split is never learnt from) and
// writes risk/model/weights.bin. It is
// deterministic: the same corpus always gives the same file, which a test
// checks against the committed one. Run it from the repository root:
//
//	go run ./risk/cmd/train
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/model"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run() error {
	dir, err := corpus.Dir()
	if err != nil {
		return err
	}
	b, n, err := model.TrainCorpus(dir, risk.EngineFeatures)
	if err != nil {
		return err
	}
	out := filepath.Join(filepath.Dir(dir), "model", "weights.bin")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("trained on %d messages, wrote %s (%d bytes)\n", n, out, len(b))
	return nil
}
