package model

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"

	"tipline/risk/textnorm"
)

// Outputs: the three levels, then one per category.
const (
	NumLevels     = 3 // none, concern, danger
	NumCategories = 8 // in risk.Categories order
	NumOutputs    = NumLevels + NumCategories
)

// Model holds dequantised weights: Buckets x NumOutputs, row-major.
type Model struct {
	w     []float32
	scale [2]float32 // level head, category head
}

//go:embed weights.bin
var embedded []byte

// Embedded returns the model compiled into the binary, or an error when
// the weights file is missing or malformed.
func Embedded() (*Model, error) { return Decode(embedded) }

// EmbeddedBytes is the weights file compiled into the binary.
func EmbeddedBytes() []byte { return embedded }

const magic = "TLRM1"

// Encode quantises the weights to int8 (one scale per head) and writes the
// buckets that have any non-zero weight: magic, two float32 scales, a
// count, then per bucket its index and NumOutputs signed bytes.
func Encode(w []float64) []byte {
	var scale [2]float64
	for i, v := range w {
		h := headOf(i % NumOutputs)
		scale[h] = math.Max(scale[h], math.Abs(v))
	}
	for h := range scale {
		if scale[h] == 0 {
			scale[h] = 1
		}
		scale[h] /= 127
	}
	out := []byte(magic)
	out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(scale[0])))
	out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(scale[1])))
	var body []byte
	n := 0
	row := make([]byte, NumOutputs)
	for b := 0; b < Buckets; b++ {
		nonzero := false
		for o := 0; o < NumOutputs; o++ {
			q := math.Round(w[b*NumOutputs+o] / scale[headOf(o)])
			row[o] = byte(int8(q))
			nonzero = nonzero || q != 0
		}
		if nonzero {
			body = binary.LittleEndian.AppendUint32(body, uint32(b))
			body = append(body, row...)
			n++
		}
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(n))
	return append(out, body...)
}

func headOf(o int) int {
	if o < NumLevels {
		return 0
	}
	return 1
}

// Decode reads what Encode wrote.
func Decode(b []byte) (*Model, error) {
	if len(b) < len(magic)+12 || string(b[:len(magic)]) != magic {
		return nil, errors.New("risk model: not a weights file")
	}
	p := b[len(magic):]
	m := &Model{w: make([]float32, Buckets*NumOutputs)}
	m.scale[0] = math.Float32frombits(binary.LittleEndian.Uint32(p))
	m.scale[1] = math.Float32frombits(binary.LittleEndian.Uint32(p[4:]))
	n := int(binary.LittleEndian.Uint32(p[8:]))
	p = p[12:]
	if len(p) != n*(4+NumOutputs) {
		return nil, fmt.Errorf("risk model: %d bytes for %d buckets", len(p), n)
	}
	for i := 0; i < n; i++ {
		rec := p[i*(4+NumOutputs):]
		bk := int(binary.LittleEndian.Uint32(rec))
		if bk >= Buckets {
			return nil, fmt.Errorf("risk model: bucket %d out of range", bk)
		}
		for o := 0; o < NumOutputs; o++ {
			m.w[bk*NumOutputs+o] = float32(int8(rec[4+o])) * m.scale[headOf(o)]
		}
	}
	return m, nil
}

// Prediction is the model's answer for one message.
type Prediction struct {
	Level    [NumLevels]float64     // probabilities of none, concern, danger
	Category [NumCategories]float64 // independent probabilities per category
	Top      []Contribution         // strongest features towards danger, when asked
}

// Contribution is one feature's push towards danger (its danger logit
// minus its none logit, as scaled in the input).
type Contribution struct {
	Feature string
	Weight  float64
}

// Predict scores text with the extra features the risk engine saw (see
// TokenFeatures); with top > 0 it also lists that many features
// pushing most towards danger.
func (m *Model) Predict(text string, extra []string, top int) Prediction {
	return m.PredictTokens(textnorm.Tokens(text), extra, top)
}

// PredictTokens is Predict on a message already cut into tokens.
func (m *Model) PredictTokens(toks []textnorm.Token, extra []string, top int) Prediction {
	fs := TokenFeatures(toks, extra, top > 0)
	var z [NumOutputs]float64
	x := inputWeight(len(fs))
	for _, f := range fs {
		row := m.w[int(f.Bucket)*NumOutputs:]
		for o := range z {
			z[o] += float64(row[o]) * x
		}
	}
	var p Prediction
	p.Level = softmax(z[:NumLevels])
	for c := 0; c < NumCategories; c++ {
		p.Category[c] = sigmoid(z[NumLevels+c])
	}
	if top > 0 {
		p.Top = m.top(fs, x, top)
	}
	return p
}

func (m *Model) top(fs []Feature, x float64, n int) []Contribution {
	cs := make([]Contribution, 0, len(fs))
	for _, f := range fs {
		row := m.w[int(f.Bucket)*NumOutputs:]
		if v := float64(row[2]-row[0]) * x; v > 0 && f.Text != "bias" {
			cs = append(cs, Contribution{Feature: f.Text, Weight: math.Round(v*1000) / 1000})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Weight > cs[j].Weight })
	return cs[:min(n, len(cs))]
}

// inputWeight is each present feature's input value: 1/sqrt(n), so long
// messages do not overwhelm the bias and short ones still count.
func inputWeight(n int) float64 { return 1 / math.Sqrt(float64(max(n, 1))) }

func softmax(z []float64) [NumLevels]float64 {
	var p [NumLevels]float64
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	var s float64
	for i, v := range z {
		p[i] = math.Exp(v - mx)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

func sigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
