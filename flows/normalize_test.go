package flows

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"  STOP! ":                  "stop",
		"Arrêt":                     "arret",
		"ARRÊT":                     "arret",
		"Désabonner":                "desabonner",
		"Español":                   "espanol",
		"can't":                     "cant",
		"can’t":                     "cant",
		"m'a enfermée":              "ma enfermee",
		"¿Dónde estás?":             "donde estas",
		"opt-out":                   "opt out",
		"hello,\n\tworld...":        "hello world",
		"Œuvre Straße":              "oeuvre strasse",
		"ÇA VA":                     "ca va",
		"e\u0301te\u0301":           "ete", // combining accents
		"10001":                     "10001",
		"H2X 1Y4":                   "h2x 1y4",
		"😀 help 😀":                  "help",
		"":                          "",
		"!!!":                       "",
		"ﬁne":                       "fine",
		"a—b":                       "a b",
		"ＳＴＯＰ":                      "stop", // full-width letters
		"i want to kill…myself":     "i want to kill myself",
		"no\u00a0tengo\u2009dónde":  "no tengo donde",
		"L'ESPÈCE":                  "lespece",
		"d'accord j'ai peur d'être": "daccord jai peur detre",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkNormalized asserts the properties every Normalize result has.
func checkNormalized(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Normalize(%q) = %q: invalid UTF-8", in, out)
	}
	if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
		t.Fatalf("Normalize(%q) = %q: stray spaces", in, out)
	}
	for _, r := range out {
		if r != ' ' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			t.Fatalf("Normalize(%q) = %q: holds %q", in, out, r)
		}
		if r < utf8.RuneSelf && unicode.IsUpper(r) {
			t.Fatalf("Normalize(%q) = %q: not lowercased", in, out)
		}
	}
	if again := Normalize(out); again != out {
		t.Fatalf("Normalize not idempotent: %q → %q → %q", in, out, again)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"STOP", "Arrêt!", "¿Dónde?", "can't", "ｓｔｏｐ", "e\u0301", "a\u200db", "İstanbul", "ǅ", "ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalized(t, s, Normalize(s))
	})
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Normalize("Bonjour, j'ai besoin d'aide pour trouver un endroit où dormir à Montréal")
	}
}
