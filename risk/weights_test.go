package risk

import (
	"bytes"
	"testing"

	"tipline/risk/corpus"
	"tipline/risk/model"
)

// TestWeightsAreReproducible retrains from the train split and fails when
// the committed weights differ: run `go run ./risk/cmd/train` after any
// change to risk/corpus/train, to risk/data, or to the features or the
// training code (the classifier reads the engine's concepts).
func TestWeightsAreReproducible(t *testing.T) {
	dir, err := corpus.Dir()
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := model.TrainCorpus(dir, EngineFeatures)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, model.EmbeddedBytes()) {
		t.Fatalf("risk/model/weights.bin is not what training produces (%d bytes, want %d): run go run ./risk/cmd/train", len(model.EmbeddedBytes()), len(b))
	}
	if len(b) > 20<<20 {
		t.Fatalf("weights are %d bytes, over 20 MB", len(b))
	}
}
