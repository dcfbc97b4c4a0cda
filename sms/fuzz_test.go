package sms

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// FuzzSegments checks Segments against a slow reference count and the
// invariants of Split. Seeds live in testdata/fuzz/FuzzSegments.
func FuzzSegments(f *testing.F) {
	f.Add("hello", 1)
	f.Add("😜"+digits(69), 3)
	f.Add(strings.Repeat("€", 81), 2)
	f.Fuzz(func(t *testing.T, body string, max int) {
		enc, n := Segments(body)
		if want := referenceSegments(body); n != want {
			t.Fatalf("Segments(%q) = %d, reference %d", body, n, want)
		}
		if (enc == GSM7) != IsGSM7(body) {
			t.Fatalf("encoding %v disagrees with IsGSM7", enc)
		}
		if (body == "") != (n == 0) {
			t.Fatalf("empty body %v but %d segments", body == "", n)
		}
		if max%8 < 1 || len(body) > 4000 {
			return
		}
		checkParts(t, body, max%8, "", Split(body, max%8))
	})
}

// referenceSegments counts segments the slow way: encode, then fill
// segments unit by unit, moving a pair whole when it would straddle.
func referenceSegments(body string) int {
	var units [][]int // per character, its code units
	if IsGSM7(body) {
		for _, r := range body {
			units = append(units, make([]int, septets(r)))
		}
		return pack(units, GSM7Single, GSM7Segment)
	}
	for _, r := range body {
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		units = append(units, make([]int, len(utf16.Encode([]rune{r}))))
	}
	return pack(units, UCS2Single, UCS2Segment)
}

func pack(chars [][]int, single, per int) int {
	total := 0
	for _, c := range chars {
		total += len(c)
	}
	if total == 0 {
		return 0
	}
	if total <= single {
		return 1
	}
	segs := [][]int{{}}
	for _, c := range chars {
		last := &segs[len(segs)-1]
		if len(*last)+len(c) > per {
			segs = append(segs, nil)
			last = &segs[len(segs)-1]
		}
		*last = append(*last, c...)
	}
	return len(segs)
}
