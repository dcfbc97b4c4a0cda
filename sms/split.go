package sms

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split splits text into parts that each cost at most maxSegments segments
// (at least 1). It breaks at a line end when one lies in the second half of
// a part, else at the last space, and inside a word only when a single word
// is longer than a part (never inside a character, and not before a
// combining mark or inside an emoji sequence when that can be avoided).
// Whitespace around a break is dropped. Text that is empty or only
// whitespace gives no parts.
func Split(text string, maxSegments int) []string {
	return SplitMore(text, maxSegments, "")
}

// SplitMore is Split where every part but the last ends with more (for
// example "\n(MORE)"), and each part fits maxSegments with it. When more
// is so long that not even one character fits beside it, it is left out.
func SplitMore(text string, maxSegments int, more string) []string {
	if maxSegments < 1 {
		maxSegments = 1
	}
	rest := strings.TrimSpace(text)
	var parts []string
	for rest != "" {
		if Fits(rest, maxSegments) {
			return append(parts, rest)
		}
		_, first := utf8.DecodeRuneInString(rest)
		if !Fits(rest[:first]+more, maxSegments) {
			more = ""
		}
		cut := breakPoint(rest, longestFit(rest, maxSegments, more))
		parts = append(parts, strings.TrimRight(rest[:cut], asciiSpace)+more)
		rest = strings.TrimLeft(rest[cut:], asciiSpace)
	}
	return parts
}

// asciiSpace lists the whitespace a break may consume.
const asciiSpace = " \t\r\n"

// longestFit returns the largest rune boundary n > 0 such that
// text[:n]+more fits maxSegments. The segment count only grows with the
// prefix, so a binary search over rune boundaries finds it.
func longestFit(text string, maxSegments int, more string) int {
	bounds := make([]int, 0, len(text))
	for i := range text {
		if i > 0 {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(text))
	lo, hi := 0, len(bounds)-1 // bounds[lo] always fits
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if Fits(text[:bounds[mid]]+more, maxSegments) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return bounds[lo]
}

// breakPoint picks where to cut text given that text[:limit] is the
// longest prefix that fits.
func breakPoint(text string, limit int) int {
	if i := lastIn(text, limit, "\n"); i >= limit/2 && i > 0 {
		return i
	}
	if i := lastIn(text, limit, asciiSpace); i > 0 {
		return i
	}
	return hardBreak(text, limit)
}

// lastIn returns the last index i <= limit with text[i] in set, or -1.
func lastIn(text string, limit int, set string) int {
	end := limit + 1
	if end > len(text) {
		end = len(text)
	}
	return strings.LastIndexAny(text[:end], set)
}

// hardBreak moves a cut inside a word back so that it does not separate a
// character from the combining marks, joiners or modifiers after it.
func hardBreak(text string, limit int) int {
	cut := limit
	for cut > 0 {
		next, _ := utf8.DecodeRuneInString(text[cut:])
		prev, size := utf8.DecodeLastRuneInString(text[:cut])
		if !clings(next) && prev != zwj {
			return cut
		}
		cut -= size
	}
	return limit
}

// zwj is ZERO WIDTH JOINER, which glues emoji sequences together.
const zwj = '\u200d'

// clings reports whether r belongs with the character before it.
func clings(r rune) bool {
	switch {
	case r == zwj, r >= 0xFE00 && r <= 0xFE0F, r >= 0x1F3FB && r <= 0x1F3FF:
		return true
	case r >= 0xE0020 && r <= 0xE007F: // emoji tag sequences
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}
