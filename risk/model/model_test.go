package model

import "testing"

func TestEncodeDecode(t *testing.T) {
	w := make([]float64, Buckets*NumOutputs)
	w[5*NumOutputs+2] = 1.5
	w[9*NumOutputs+4] = -0.25
	m, err := Decode(Encode(w))
	if err != nil {
		t.Fatal(err)
	}
	if v := float64(m.w[5*NumOutputs+2]) * m.scale[0]; v < 1.49 || v > 1.51 {
		t.Fatalf("weight %v, want 1.5", v)
	}
	if _, err := Decode([]byte("nope")); err == nil {
		t.Fatal("Decode accepted garbage")
	}
}
