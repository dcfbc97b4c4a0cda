package model

import (
	"math"
	"math/rand/v2"
)

// Example is one training message: Level 0 none, 1 concern, 2 danger;
// Categories indexes into the category head (empty for none).
type Example struct {
	Text       string
	Extra      []string // features from the risk engine (concepts, rules)
	Level      int
	Categories []int
}

// Options tune training; Default is what the committed weights use.
type Options struct {
	Epochs      int
	Rate        float64 // initial learning rate, decayed linearly to zero
	L2          float64 // weight decay per update on touched weights
	DangerBoost float64 // extra weight of danger examples (recall matters most)
	Seed        uint64
}

// Default are the training options of the committed weights.
var Default = Options{Epochs: 10, Rate: 1.0, L2: 1e-5, DangerBoost: 1, Seed: 12}

// Train fits the weights by stochastic gradient descent in a fixed order
// (a seeded PCG shuffle per epoch), single-threaded, so the same examples
// always give the same weights. Products are rounded explicitly
// (float64(...)) so that no platform fuses multiply-adds differently.
func Train(ex []Example, opt Options) []float64 {
	w := make([]float64, Buckets*NumOutputs)
	feats := make([][]Feature, len(ex))
	for i, e := range ex {
		feats[i] = Features(e.Text, e.Extra, false)
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	total := float64(opt.Epochs * len(ex))
	step := 0.0
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			lr := float64(opt.Rate * (1 - step/total))
			step++
			update(w, feats[i], ex[i], lr, opt)
		}
	}
	return w
}

// update takes one gradient step on one example.
func update(w []float64, fs []Feature, e Example, lr float64, opt Options) {
	x := inputWeight(len(fs))
	var z [NumOutputs]float64
	for _, f := range fs {
		row := w[int(f.Bucket)*NumOutputs:]
		for o := range z {
			z[o] = z[o] + float64(row[o]*x)
		}
	}
	var g [NumOutputs]float64 // gradient of the loss with respect to z
	p := softmax(z[:NumLevels])
	boost := 1.0
	if e.Level == 2 {
		boost = opt.DangerBoost
	}
	for l := 0; l < NumLevels; l++ {
		y := 0.0
		if l == e.Level {
			y = 1
		}
		g[l] = float64((p[l] - y) * boost)
	}
	if e.Level > 0 && len(e.Categories) > 0 {
		for c := 0; c < NumCategories; c++ {
			y := 0.0
			for _, k := range e.Categories {
				if k == c {
					y = 1
				}
			}
			g[NumLevels+c] = sigmoid(z[NumLevels+c]) - y
		}
	}
	for _, f := range fs {
		row := w[int(f.Bucket)*NumOutputs:]
		for o := range g {
			row[o] = row[o] - float64(lr*float64(g[o]*x)) - float64(lr*float64(opt.L2*row[o]))
		}
	}
}

// Quantised returns the weights as the committed file would store them.
func Quantised(ex []Example, opt Options) []byte {
	w := Train(ex, opt)
	for i, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			w[i] = 0
		}
	}
	return Encode(w)
}

// CategoryNames are the category head's outputs, in risk.Categories order.
var CategoryNames = []string{"imminent", "selfharm", "medical", "trafficking", "sexual", "sextortion", "abuse", "putout"}

// FromLabel turns a corpus label and its categories into an Example.
func FromLabel(text, label string, cats []string) Example {
	e := Example{Text: text}
	switch label {
	case "danger":
		e.Level = 2
	case "concern":
		e.Level = 1
	default:
		return e
	}
	for _, c := range cats {
		for i, n := range CategoryNames {
			if n == c {
				e.Categories = append(e.Categories, i)
			}
		}
	}
	return e
}
