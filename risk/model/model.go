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
	w     []int8     // quantised weights, Buckets x NumOutputs
	lv    []int8     // the level head alone, Buckets x 4 (the last one 0): a smaller table for the common path
	scale [2]float64 // level head, category head
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
	m := &Model{w: make([]int8, Buckets*NumOutputs), lv: make([]int8, Buckets*4)}
	m.scale[0] = float64(math.Float32frombits(binary.LittleEndian.Uint32(p)))
	m.scale[1] = float64(math.Float32frombits(binary.LittleEndian.Uint32(p[4:])))
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
			m.w[bk*NumOutputs+o] = int8(rec[4+o])
		}
		copy(m.lv[bk*4:bk*4+NumLevels], m.w[bk*NumOutputs:])
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
	Bucket  uint32 // the feature's hashed slot
}

// Predict scores text with the extra features the risk engine saw (see
// TokenFeatures); with top > 0 it also lists that many features
// pushing most towards danger.
func (m *Model) Predict(text string, extra []string, top int) Prediction {
	hashed := make([]uint32, len(extra))
	for i, x := range extra {
		hashed[i] = ExtraBucket(x, "", "", "")
	}
	p := m.PredictTokens(textnorm.Tokens(text), hashed)
	if top > 0 {
		p.Top = m.Top(textnorm.Tokens(text), extra, top)
	}
	return p
}

// PredictTokens scores a message already cut into tokens, with its extra
// features already hashed (ExtraBucket).
func (m *Model) PredictTokens(toks []textnorm.Token, extra []uint32) Prediction {
	s := m.Score(toks, extra)
	p := Prediction{Level: s.Level}
	p.Category = s.Categories()
	return p
}

// Scored is a message's level probabilities; its categories are computed
// only when asked (most messages need none).
type Scored struct {
	Level [NumLevels]float64 // probabilities of none, concern, danger
	m     *Model
	bs    []uint32
	x     float64
}

// Score is PredictTokens without the categories until Categories is
// called: the level head alone reads a table a third the size.
func (m *Model) Score(toks []textnorm.Token, extra []uint32) Scored {
	bs := buckets(toks, extra)
	var sum [4]int32
	for _, b := range bs {
		row := m.lv[int(b)*4 : int(b)*4+4]
		sum[0] += int32(row[0])
		sum[1] += int32(row[1])
		sum[2] += int32(row[2])
	}
	x := inputWeight(len(bs))
	var z [NumLevels]float64
	for o := range z {
		z[o] = float64(sum[o]) * m.scale[0] * x
	}
	return Scored{Level: softmax(z[:]), m: m, bs: bs, x: x}
}

// Categories are the independent probabilities per category.
func (s Scored) Categories() [NumCategories]float64 {
	var sum [NumCategories]int32
	for _, b := range s.bs {
		row := s.m.w[int(b)*NumOutputs+NumLevels : int(b)*NumOutputs+NumOutputs]
		for c, v := range row {
			sum[c] += int32(v)
		}
	}
	var p [NumCategories]float64
	for c := range p {
		p[c] = sigmoid(float64(sum[c]) * s.m.scale[1] * s.x)
	}
	return p
}

// Top lists the n features of a message that push most towards danger.
func (m *Model) Top(toks []textnorm.Token, extra []string, n int) []Contribution {
	hashed := make([]uint32, len(extra))
	for i, x := range extra {
		hashed[i] = ExtraBucket(x, "", "", "")
	}
	out := m.TopBuckets(toks, hashed, n)
	for i := range out {
		for k, x := range extra {
			if hashed[k] == out[i].Bucket && out[i].Feature == "" {
				out[i].Feature = "k:" + x
			}
		}
	}
	return out
}

// TopBuckets lists the n features pushing most towards danger (its danger
// logit minus its none logit). Only word and character features get
// their texts here: the caller names extra features, whose texts it knows
// (compare ExtraBucket with Bucket).
func (m *Model) TopBuckets(toks []textnorm.Token, extra []uint32, n int) []Contribution {
	bs := buckets(toks, extra)
	x := inputWeight(len(bs))
	bias := fnv32a("", "bias") % Buckets
	var best []Contribution
	for _, b := range bs {
		row := m.lv[int(b)*4:]
		if v := float64(int(row[2])-int(row[0])) * m.scale[0] * x; v > 0 && b != bias {
			best = append(best, Contribution{Bucket: b, Weight: math.Round(v*1000) / 1000})
		}
	}
	sort.Slice(best, func(i, j int) bool {
		if best[i].Weight != best[j].Weight {
			return best[i].Weight > best[j].Weight
		}
		return best[i].Bucket < best[j].Bucket
	})
	best = best[:min(n, len(best))]
	each(toks, nil, func(kind, s string) {
		b := fnv32a(kind, s) % Buckets
		for i := range best {
			if best[i].Bucket == b && best[i].Feature == "" {
				best[i].Feature = kind + s
			}
		}
	})
	return best
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
