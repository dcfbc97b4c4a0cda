package textnorm

import "strings"

// word normalises one token without apostrophes: letters written as digits
// or symbols are restored when the token mixes them with letters (k1ll,
// h3lp, $uicide, @buse) but not in numbers and times (77002, 10pm, 3rd),
// and runs of three or more of a letter become two (Alt keeps one).
func word(w string) Token {
	if mixed(w) {
		t := Token{Text: deleet(w, 'i')}
		if alt := deleet(w, 'l'); alt != t.Text {
			t.Alt = alt
		}
		return squeeze(t)
	}
	return squeeze(Token{Text: w})
}

// mixed reports whether w has letters and also digits or symbols used as
// letters, and is not a number with a unit (10pm, 2nd, 5yo, 20min).
func mixed(w string) bool {
	letters, others := 0, 0
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9' || strings.ContainsRune("$@!|+*", r):
			others++
		case r > ' ':
			letters++
		}
	}
	if letters == 0 || others == 0 {
		return false
	}
	digits := strings.TrimLeft(w, "0123456789")
	if digits != w {
		switch digits {
		case "am", "pm", "st", "nd", "rd", "th", "h", "hr", "hrs", "min", "mins", "yo", "k", "s", "x", "m", "km", "mi", "ans", "er", "e", "eme", "ieme", "o", "a", "hs", "yr", "yrs":
			return false
		}
	}
	return true
}

// deleet maps digits and symbols to the letters they stand for; one is
// what '1', '!' and '|' become ('i' or 'l').
func deleet(w string, one byte) string {
	b := []byte(w)
	for i, c := range b {
		switch c {
		case '0':
			b[i] = 'o'
		case '1', '!', '|':
			b[i] = one
		case '3':
			b[i] = 'e'
		case '4', '@':
			b[i] = 'a'
		case '5', '$':
			b[i] = 's'
		case '7', '+':
			b[i] = 't'
		case '8':
			b[i] = 'b'
		case '9':
			b[i] = 'g'
		case '6':
			b[i] = 'g'
		case '2':
			b[i] = 'z'
		case '*':
			b[i] = 'u'
		}
	}
	return string(b)
}

// squeeze reduces runs of three or more of a character to two in Text and
// Alt; when it changed anything and Alt is free, Alt gets runs of one.
func squeeze(t Token) Token {
	two := runs(t.Text, 2)
	if two == t.Text && t.Alt == "" {
		// also try the single-letter form for doubled letters typed
		// for emphasis ("heelp") only when the word had a long run
		return t
	}
	if t.Alt != "" {
		t.Alt = runs(t.Alt, 2)
	} else {
		t.Alt = runs(t.Text, 1)
	}
	t.Text = two
	return t
}

// runs shortens every run of a repeated rune to at most n.
func runs(s string, n int) string {
	var b strings.Builder
	count := 0
	var prev rune = -1
	changed := false
	for _, r := range s {
		if r == prev {
			count++
		} else {
			prev, count = r, 1
		}
		if count > n {
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return s
	}
	return b.String()
}

// Single reduces every run of a repeated character to one ("tttook" ->
// "tok"): the key under which stretched words are looked up.
func Single(s string) string { return runs(s, 1) }
