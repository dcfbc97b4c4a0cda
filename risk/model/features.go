// Package model is the risk screen's statistical layer: a linear
// classifier over hashed word unigrams and bigrams and character n-grams
// (fastText-like, without the hidden layer), with a softmax head over the
// levels and a sigmoid head per category. It is trained deterministically
// by `go run ./risk/cmd/train` from the train split, and its quantised
// weights are compiled into the binary (weights.bin).
package model

import (
	"hash/fnv"

	"tipline/risk/textnorm"
)

// Buckets is the number of hashed feature slots (2^18).
const Buckets = 1 << 18

// Feature is one hashed feature and the text it came from.
type Feature struct {
	Bucket uint32
	Text   string // kept only when asked for, for reasons
}

// Features extracts the message's features: "w:" word unigrams, "b:"
// bigrams, "c:" character 3- to 5-grams of each word with boundary marks,
// and a bias. Duplicates are removed so every feature counts once.
func Features(text string, keepText bool) []Feature {
	toks := textnorm.Tokens(text)
	out := make([]Feature, 0, 16*len(toks)+1)
	seen := make(map[uint32]struct{}, 16*len(toks)+1)
	add := func(s string) {
		h := fnv.New32a()
		h.Write([]byte(s))
		b := h.Sum32() % Buckets
		if _, dup := seen[b]; dup {
			return
		}
		seen[b] = struct{}{}
		f := Feature{Bucket: b}
		if keepText {
			f.Text = s
		}
		out = append(out, f)
	}
	add("bias")
	prev := "<s>"
	for _, t := range toks {
		w := t.Text
		if w == textnorm.Break {
			prev = "<s>"
			continue
		}
		add("w:" + w)
		add("b:" + prev + " " + w)
		prev = w
		cw := "<" + w + ">"
		for n := 3; n <= 5; n++ {
			for i := 0; i+n <= len(cw); i++ {
				add("c:" + cw[i:i+n])
			}
		}
	}
	return out
}
