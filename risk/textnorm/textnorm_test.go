package textnorm

import (
	"strings"
	"testing"
)

func texts(toks []Token) string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return strings.Join(out, " ")
}

func TestTokens(t *testing.T) {
	cases := map[string]string{
		"He k1ll3d my dog!!!": "he killed my dog |",
		"ki\u200bll":          "kill",
		"ki\u00adll":          "kill",
		"ki\x00ll":            "kill",
		"HÉLP":                "help",
		"hеlp":                "help", // Cyrillic е
		"ｈｅｌｐ":                "help", // fullwidth
		"j'ai peur qu'il":     "je ai peur que il",
		"i'm scared, don't":   "i am scared | do not",
		"he's":                "he is",
		"my mom's phone":      "my mom phone",
		"$uicide @buse":       "suicide abuse",
		"10pm 77002":          "10pm 77002",
		"🔪💀":                  "emo_knife emo_laugh",
		"hellllp":             "hellp",
		"Ｉ`m":                 "i am",
		"d\xffon't":           "do not",
	}
	for in, want := range cases {
		if got := texts(Tokens(in)); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Tokens("hellllp")[0].Alt; got != "help" {
		t.Errorf("Alt of hellllp = %q, want help", got)
	}
}

func TestCleanASCIIMatchesUnicodePath(t *testing.T) {
	for _, s := range []string{"Hello THERE", "a\tb\nc", "it`s", "x\x00y"} {
		if ascii(s) != true || cleanASCII(s) != Clean(s + "é")[:len(cleanASCII(s))] {
			t.Errorf("ASCII path differs for %q", s)
		}
	}
}
