package model

import (
	"bytes"
	"testing"

	"tipline/risk/corpus"
)

// TestWeightsAreReproducible retrains from the train split and fails when
// the committed weights differ: run `go run ./risk/cmd/train` after any
// change to risk/corpus/train or to the features or training code.
func TestWeightsAreReproducible(t *testing.T) {
	dir, err := corpus.Dir()
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := TrainCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, embedded) {
		t.Fatalf("risk/model/weights.bin is not what training produces (%d bytes, want %d): run go run ./risk/cmd/train", len(embedded), len(b))
	}
	if len(embedded) > 20<<20 {
		t.Fatalf("weights are %d bytes, over 20 MB", len(embedded))
	}
}

func TestEncodeDecode(t *testing.T) {
	w := make([]float64, Buckets*NumOutputs)
	w[5*NumOutputs+2] = 1.5
	w[9*NumOutputs+4] = -0.25
	m, err := Decode(Encode(w))
	if err != nil {
		t.Fatal(err)
	}
	if v := m.w[5*NumOutputs+2]; v < 1.49 || v > 1.51 {
		t.Fatalf("weight %v, want 1.5", v)
	}
	if _, err := Decode([]byte("nope")); err == nil {
		t.Fatal("Decode accepted garbage")
	}
}
