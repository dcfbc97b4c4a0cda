package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Break is the token that stands for a sentence or clause boundary
// (. , ; ? ! and line breaks): negation and some rule windows stop there.
const Break = "|"

// Token is one word of a normalised message. Text is the main reading;
// Alt is a second reading when the word is ambiguous (stretched letters
// reduced to one: "pleease" -> "please"; "1" read as "l" rather than "i").
type Token struct {
	Text string
	Alt  string
}

// Tokens cleans s and cuts it into tokens: words, emoji names
// ("emo_knife") and Break.
func Tokens(s string) []Token {
	s = Clean(s)
	out := make([]Token, 0, len(s)/4+1)
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = appendWord(out, s[start:end])
			start = -1
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || (r < 128 && strings.ContainsRune("$@!|+*_", r)):
			if start < 0 {
				start = i
			}
		default:
			flush(i)
			if name, ok := emoji[r]; ok {
				out = append(out, Token{Text: name})
			} else if strings.ContainsRune(".,;:?\n", r) && (len(out) == 0 || out[len(out)-1].Text != Break) {
				out = append(out, Token{Text: Break})
			}
		}
		i += size
	}
	flush(len(s))
	return out
}

// appendWord splits one raw word (letters, digits, apostrophes and the
// symbols used as letters) into tokens.
func appendWord(out []Token, w string) []Token {
	// Trailing ! and | are punctuation; so are leading/trailing quotes.
	endBreak := false
	for len(w) > 0 && strings.ContainsRune("!|'*+", rune(w[len(w)-1])) {
		if w[len(w)-1] == '!' {
			endBreak = true
		}
		w = w[:len(w)-1]
	}
	w = strings.TrimLeft(w, "!|'*+")
	if w == "" {
		return addBreak(out, endBreak)
	}
	if i := strings.IndexByte(w, '\''); i >= 0 {
		out = appendApostrophe(out, w, i)
		return addBreak(out, endBreak)
	}
	out = append(out, word(w))
	return addBreak(out, endBreak)
}

func addBreak(out []Token, yes bool) []Token {
	if yes && (len(out) == 0 || out[len(out)-1].Text != Break) {
		out = append(out, Token{Text: Break})
	}
	return out
}

// elision maps the French elided words to their full form.
var elision = map[string]string{
	"j": "je", "m": "me", "t": "te", "l": "le", "qu": "que", "n": "ne",
	"s": "se", "d": "de", "c": "ce", "jusqu": "jusque", "lorsqu": "lorsque",
	"puisqu": "puisque",
}

// contraction maps English contraction endings to full words.
var contraction = map[string]string{
	"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would",
}

// appendApostrophe handles a word with an apostrophe at byte i: a French
// elision (j'ai -> je ai, qu'il -> que il), an English contraction (i'm ->
// i am, don't -> do not, he's -> he is; a possessive 's is dropped), or
// otherwise the apostrophe is removed (y'all -> yall).
func appendApostrophe(out []Token, w string, i int) []Token {
	head, rest := w[:i], w[i+1:]
	if full, ok := elision[head]; ok && rest != "" {
		out = append(out, Token{Text: full})
		return appendWord(out, rest)
	}
	switch {
	case rest == "t" && strings.HasSuffix(head, "n"):
		base := head[:len(head)-1]
		switch base {
		case "ca":
			base = "can"
		case "wo":
			base = "will"
		case "ai":
			base = "is"
		case "":
			return append(out, word(head+rest))
		}
		return append(out, word(base), Token{Text: "not"})
	case rest == "s":
		if head == "he" || head == "she" || head == "it" || head == "that" || head == "there" || head == "what" || head == "who" || head == "where" {
			return append(out, word(head), Token{Text: "is"})
		}
		if head == "let" {
			return append(out, word(head), Token{Text: "us"})
		}
		return append(out, word(head))
	case contraction[rest] != "" && head != "":
		return append(out, word(head), Token{Text: contraction[rest]})
	}
	return appendWord(out, strings.ReplaceAll(w, "'", ""))
}
