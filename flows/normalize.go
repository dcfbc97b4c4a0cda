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
	case r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u00b4':
		return "", runeJoin // typographic apostrophes and the acute accent typed alone
	case unicode.Is(unicode.Mn, r) || r == '\u200d' || r == '\ufe0f':
		return "", runeJoin
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return foldOther(r), runeWord
	}
	return "", runeSep
}

// foldOther folds a letter outside the precomputed table: decompose it,
// keep the letters and lowercase them.
func foldOther(r rune) string {
	d := norm.NFKD.String(string(r))
	var b strings.Builder
	for _, x := range d {
		if unicode.IsLetter(x) || unicode.IsDigit(x) {
			b.WriteRune(unicode.ToLower(x))
		}
	}
	if b.Len() == 0 {
		return string(unicode.ToLower(r))
	}
	return b.String()
}

// foldTable maps the Latin letters of U+00C0..U+024F (and a few ligatures)
// to their folded lowercase form, precomputed so that the hot path of the
// danger screen does not decompose.
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]string {
	t := map[rune]string{
		'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
		'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l",
		'ı': "i", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ŀ': "l", 'Ŀ': "l",
		'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t", 'ĸ': "k", 'ŉ': "n",
	}
	for r := rune(0xC0); r <= 0x24F; r++ {
		if _, ok := t[r]; ok || !unicode.IsLetter(r) {
			continue
		}
		t[r] = foldOther(r)
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
