// Package textnorm turns a message as a young person types it into the
// plain lower-case tokens the risk screen reads: hidden characters removed,
// look-alike letters mapped to Latin, accents and case folded, letters
// written as digits or symbols restored, stretched letters shortened,
// emoji named and French elisions and English contractions split. It uses
// no data files: per-language slang lives with the risk rules, so the
// classifier's features (which use this package alone) do not change when
// rule data changes.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean removes what hides words and folds what disguises letters: invalid
// UTF-8, NUL and format characters (zero-width space, joiners, soft hyphen,
// bidi marks, word joiner, BOM) are dropped without leaving a space, so
// "ki\u200bll" reads "kill"; other controls become spaces; then NFKC, lower
// case, the look-alike table, and accents removed.
func Clean(s string) string {
	if ascii(s) {
		return cleanASCII(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			// an invalid byte, or the U+FFFD that replaced one before the
			// turn stored the text (tipline.CleanText): dropped like a
			// hidden character, so "k\xffill" still reads "kill"
		case r == 0 || unicode.Is(unicode.Cf, r) || isInvisible(r):
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	t := norm.NFKC.String(b.String())
	b.Reset()
	for _, r := range norm.NFD.String(strings.ToLower(t)) {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
			continue // accents, variation selectors, combining clutter
		}
		if m, ok := lookalike[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isInvisible reports characters outside Cf that render as nothing and
// are used to split words: Hangul fillers, the braille blank, and
// combining grapheme joiner (Mn, also removed later).
func isInvisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F:
		return true
	}
	return false
}

// lookalike maps lower-case Cyrillic and Greek letters that look like Latin
// letters, and a few Latin ligatures, to plain Latin. It is a hand-picked
// subset of the UTS #39 confusables skeleton: golang.org/x/text ships no
// confusables data, the full table has thousands of entries for scripts
// that cannot disguise English, Spanish or French words, and its
// prototypes are not always lower-case ASCII. Input is already lower case,
// so upper-case look-alikes arrive here as their lower-case forms.
var lookalike = map[rune]string{
	// Cyrillic
	'а': "a", 'в': "b", 'г': "r", 'д': "d", 'е': "e", 'ё': "e", 'з': "3",
	'і': "i", 'ї': "i", 'ј': "j", 'к': "k", 'м': "m", 'н': "h", 'о': "o",
	'п': "n", 'р': "p", 'с': "c", 'т': "t", 'у': "y", 'х': "x", 'ѕ': "s",
	'һ': "h", 'ԁ': "d", 'ԛ': "q", 'ԝ': "w", 'ӏ': "l", 'ь': "b", 'ѵ': "v",
	'ү': "y", 'ԍ': "g", 'ɡ': "g",
	// Greek
	'α': "a", 'β': "b", 'γ': "y", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "n",
	'ι': "i", 'κ': "k", 'μ': "u", 'ν': "v", 'ο': "o", 'ρ': "p", 'σ': "o",
	'ς': "c", 'τ': "t", 'υ': "u", 'χ': "x", 'ω': "w", 'ϲ': "c", 'ϳ': "j",
	// Latin letters that accent stripping leaves alone
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ı': "i",
	'ɑ': "a", 'ʟ': "l", 'ɪ': "i", 'ᴋ': "k", 'ɴ': "n", 'ᴏ': "o", 'ʀ': "r",
	// apostrophes and quotes that join elisions
	'’': "'", '‘': "'", 'ʼ': "'", '`': "'", '´': "'", 'ʻ': "'",
}

// ascii reports whether s is plain ASCII, the common case, which needs no
// Unicode normalisation.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// cleanASCII is Clean for ASCII text: NUL dropped, other controls become
// spaces, lower case, backquote read as an apostrophe.
func cleanASCII(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0:
		case c < ' ' || c == 0x7f:
			b = append(b, ' ')
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == '`':
			b = append(b, '\'')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}
