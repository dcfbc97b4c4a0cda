package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize prepares text for keyword and phrase matching: it lowercases,
// folds accents (é→e, ñ→n, ç→c, œ→oe, ß→ss), drops apostrophes so that
// "can't" and "cant" or "m'a" and "ma" read alike, turns every other
// punctuation mark, symbol and space into a single space, and trims. The
// result is a sequence of words separated by single spaces: Normalize is
// idempotent, and "  STOP! " and "stop" normalise to the same "stop".
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a separator is pending
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case c == '\'' || c == '`':
				continue // apostrophes join: can't → cant
			default:
				space = true
				continue
			}
			writeSep(&b, &space)
			b.WriteByte(c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		folded, kind := foldRune(r)
		switch kind {
		case runeJoin:
			continue
		case runeSep:
			space = true
			continue
		}
		writeSep(&b, &space)
		b.WriteString(folded)
	}
	return b.String()
}

// writeSep writes the pending separator, if any, unless nothing has been
// written yet (so the result never starts with a space).
func writeSep(b *strings.Builder, space *bool) {
	if *space && b.Len() > 0 {
		b.WriteByte(' ')
	}
	*space = false
}

// The ways a rune can take part in a normalised string.
const (
	runeWord = iota // part of a word: written (folded)
	runeJoin        // dropped without splitting the word (apostrophes, combining marks)
	runeSep         // splits words
)

// foldRune folds one non-ASCII rune: its lowercase base letters and its kind.
func foldRune(r rune) (string, int) {
	if f, ok := foldTable[r]; ok {
		return f, runeWord
	}
	switch {
	case isApostrophe(r):
		return "", runeJoin
	case unicode.Is(unicode.Mn, r) || r == '\u200d' || r == '\ufe0f':
		return "", runeJoin
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return foldOther(r), runeWord
	}
	return "", runeSep
}

// foldOther folds a letter outside the precomputed table: decompose it
// (compatibility forms too: ﬁ → fi, full-width Ｓ → s), keep the letters
// and digits, lowercase them, and spell out ligatures, so that the result
// is a fixed point of Normalize.
func foldOther(r rune) string {
	d := norm.NFKD.String(string(r))
	var b strings.Builder
	for _, x := range d {
		if !unicode.IsLetter(x) && !unicode.IsDigit(x) || isApostrophe(x) {
			continue
		}
		x = unicode.ToLower(x)
		if s, ok := ligatures[x]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(x)
	}
	if b.Len() == 0 {
		return string(unicode.ToLower(r))
	}
	return b.String()
}

// isApostrophe reports whether r is a typographic apostrophe or an accent
// typed alone, which join words as the ASCII apostrophe does.
func isApostrophe(r rune) bool {
	return r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u00b4'
}

// ligatures are letters that no decomposition splits, spelled out.
var ligatures = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ł': "l", 'ı': "i",
	'ð': "d", 'þ': "th", 'ŀ': "l", 'ħ': "h", 'ŧ': "t", 'ĸ': "k", 'ŉ': "n",
}

// foldTable maps the Latin letters of U+00C0..U+024F to their folded
// lowercase form, precomputed so that the hot path of the danger screen
// does not decompose.
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]string {
	t := map[rune]string{'ẞ': "ss"}
	for r := rune(0xC0); r <= 0x24F; r++ {
		if unicode.IsLetter(r) {
			t[r] = foldOther(r)
		}
	}
	return t
}

// words splits a normalised string into its words.
func words(normalized string) []string {
	if normalized == "" {
		return nil
	}
	return strings.Split(normalized, " ")
}
