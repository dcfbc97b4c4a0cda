// Package model is the risk screen's statistical layer: a linear
// classifier over hashed word unigrams and bigrams and character n-grams
// (fastText-like, without the hidden layer), with a softmax head over the
// levels and a sigmoid head per category. It is trained deterministically
// by `go run ./risk/cmd/train` from the train split, and its quantised
// weights are compiled into the binary (weights.bin).
package model

import (
	"cmp"
	"slices"
	"sync"
	"unsafe"

	"tipline/risk/textnorm"
)

// Buckets is the number of hashed feature slots (2^18).
const Buckets = 1 << 18

// Feature is one hashed feature and the text it came from.
type Feature struct {
	Bucket uint32
	Text   string // kept only when asked for, for reasons
}

// fnv32a hashes the concatenation of a and b (FNV-1a, 32 bits) without
// building it.
func fnv32a(a, b string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(a); i++ {
		h ^= uint32(a[i])
		h *= 16777619
	}
	for i := 0; i < len(b); i++ {
		h ^= uint32(b[i])
		h *= 16777619
	}
	return h
}

// Features extracts the message's features: "w:" word unigrams, "b:"
// bigrams, "c:" character 3- to 5-grams of each word with boundary marks,
// "k:" extra features from the risk engine, and a bias. Duplicates are
// removed so every feature counts once; the result is in bucket order.
func Features(text string, extra []string, keepText bool) []Feature {
	return TokenFeatures(textnorm.Tokens(text), extra, keepText)
}

// TokenFeatures is Features on a message already cut into tokens.
func TokenFeatures(toks []textnorm.Token, extra []string, keepText bool) []Feature {
	var out []Feature
	each(toks, extra, func(kind, s string) {
		f := Feature{Bucket: fnv32a(kind, s) % Buckets}
		if keepText {
			f.Text = kind + s
		}
		out = append(out, f)
	})
	slices.SortFunc(out, func(a, b Feature) int { return cmp.Compare(a.Bucket, b.Bucket) })
	return slices.CompactFunc(out, func(a, b Feature) bool { return a.Bucket == b.Bucket })
}

// buckets is TokenFeatures without the texts: the distinct buckets (in no
// particular order), the extra features given already hashed
// (ExtraBucket). A pooled bitmap removes duplicates without sorting.
func buckets(toks []textnorm.Token, extra []uint32) []uint32 {
	seen := bitmaps.Get().(*[Buckets / 64]uint64)
	out := make([]uint32, 0, 24*len(toks)+len(extra)+1)
	add := func(b uint32) {
		if seen[b>>6]&(1<<(b&63)) == 0 {
			seen[b>>6] |= 1 << (b & 63)
			out = append(out, b)
		}
	}
	for _, b := range extra {
		add(b)
	}
	each(toks, nil, func(kind, s string) { add(fnv32a(kind, s) % Buckets) })
	for _, b := range out {
		seen[b>>6] = 0
	}
	bitmaps.Put(seen)
	return out
}

// bitmaps are cleared bitmaps over the buckets, one per concurrent call.
var bitmaps = sync.Pool{New: func() any { return new([Buckets / 64]uint64) }}

// ExtraBucket is the bucket of the extra feature a+b+c+d (the pieces of
// its text, so callers need not build the string): the same bucket as
// the string a+b+c+d given to Features.
func ExtraBucket(a, b, c, d string) uint32 {
	h := uint32(2166136261)
	for _, s := range [5]string{"k:", a, b, c, d} {
		for i := 0; i < len(s); i++ {
			h ^= uint32(s[i])
			h *= 16777619
		}
	}
	return h % Buckets
}

// each calls fn with every feature's kind and text. The text may be a
// view of a scratch buffer: fn must copy it to keep it.
func each(toks []textnorm.Token, extra []string, fn func(kind, s string)) {
	fn("", "bias")
	for _, x := range extra {
		fn("k:", x)
	}
	prev := "<s>"
	var buf []byte
	for _, t := range toks {
		w := t.Text
		if w == textnorm.Break {
			prev = "<s>"
			continue
		}
		fn("w:", w)
		buf = append(append(append(buf[:0], prev...), ' '), w...)
		fn("b:", unsafeString(buf))
		prev = w
		buf = append(append(append(buf[:0], '<'), w...), '>')
		for n := 3; n <= 5; n++ {
			for i := 0; i+n <= len(buf); i++ {
				fn("c:", unsafeString(buf[i:i+n]))
			}
		}
	}
}

// unsafeString views b as a string without copying (callers copy it).
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
