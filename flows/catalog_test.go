package flows

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCatalogComplete(t *testing.T) {
	for _, p := range Messages().Problems() {
		t.Error(p)
	}
	for _, l := range Langs {
		if len(Messages()[l]) == 0 {
			t.Errorf("no catalogue for %s", l)
		}
	}
}

var (
	digitsRE  = regexp.MustCompile(`\d{3,}|\d[\s.-]+\d`)
	allCapsRE = regexp.MustCompile(`\b[A-Z]{3,}\b`)
)

// Catalogues hold no phone number, short code or keyword: those come from
// the directory (and our own command words from data/keywords.json)
// through placeholders.
func TestCatalogHoldsNoContacts(t *testing.T) {
	d := testDir(t)
	smsKeywords := map[string]bool{}
	for _, r := range d.All() {
		if r.SMSKeyword != "" {
			smsKeywords[strings.ToUpper(r.SMSKeyword)] = true
		}
	}
	for lang, m := range Messages() {
		for key, text := range m {
			if digitsRE.MatchString(text) {
				t.Errorf("%s %s: %q holds digits; use a placeholder filled from the directory", lang, key, text)
			}
			for _, w := range allCapsRE.FindAllString(text, -1) {
				if smsKeywords[w] {
					t.Errorf("%s %s: %q holds the text keyword %q; use a placeholder", lang, key, text, w)
				}
			}
			for _, c := range d.ShownContacts() {
				if len(c) >= 3 && strings.Contains(strings.ToUpper(text), strings.ToUpper(" "+c+" ")) {
					t.Errorf("%s %s: %q holds the contact %q", lang, key, text, c)
				}
			}
		}
	}
}

func TestCatalogMergesFlowFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"catalog/en/common.json": {Data: []byte(`{"a": "A {x}"}`)},
		"catalog/en/report.json": {Data: []byte(`{"report.b": "B"}`)},
		"catalog/es/common.json": {Data: []byte(`{"a": "A es {x}"}`)},
		"catalog/es/report.json": {Data: []byte(`{"report.b": "B es"}`)},
		"catalog/fr/common.json": {Data: []byte(`{"a": "A fr {y}"}`)},
	}
	c, err := LoadCatalog(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if c.Text("es", "report.b") != "B es" || c.Text("en", "a", "x", "1") != "A 1" {
		t.Errorf("merge: %v", c)
	}
	probs := strings.Join(c.Problems(), "\n")
	for _, want := range []string{`fr: "report.b" missing`, `fr: "a" placeholders`} {
		if !strings.Contains(probs, want) {
			t.Errorf("Problems() = %s\nwant %s", probs, want)
		}
	}
	fsys["catalog/en/dup.json"] = &fstest.MapFile{Data: []byte(`{"a": "again"}`)}
	if _, err := LoadCatalog(fsys); err == nil {
		t.Error("a key defined in two files of one language must be an error")
	}
}

func TestOptionLabelsExist(t *testing.T) {
	values := []string{"start:help", "start:report", "start:language", "where:skip", "more", "menu", "lang:en", "lang:es", "lang:fr"}
	for _, n := range needsData.Order {
		values = append(values, "need:"+n)
	}
	for _, v := range values {
		for _, l := range Langs {
			if messages[l][optionLabelKey(v)] == "" {
				t.Errorf("%s: no label %s for option %s", l, optionLabelKey(v), v)
			}
		}
	}
}

func TestDataFilesAreConsistent(t *testing.T) {
	d := testDir(t)
	check := func(where string, ids []string) {
		for _, id := range ids {
			if _, ok := d.Get(id); !ok {
				t.Errorf("%s names %q, which is not a verified directory record", where, id)
			}
		}
	}
	for cat, byCountry := range dangerData.Lines {
		for c, ids := range byCountry {
			check("danger.json lines "+string(cat)+"/"+c, ids)
		}
	}
	for need, byCountry := range needsData.National {
		if _, ok := needsData.Local[need]; !ok {
			t.Errorf("needs.json: %s has national lines but no local categories", need)
		}
		for c, ids := range byCountry {
			check("needs.json national "+need+"/"+c, ids)
		}
	}
	for c, ids := range needsData.HelpLines {
		check("needs.json help_lines "+c, ids)
	}
	for _, need := range needsData.Order {
		for _, l := range Langs {
			if len(needsData.Words[need][l]) == 0 {
				t.Errorf("needs.json: no %s words for %s", l, need)
			}
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	cases := map[string]string{
		"hi i need help":                  "en",
		"hola necesito ayuda":             "es",
		"Bonjour j'ai besoin d'aide svp":  "fr",
		"Où est-ce que je peux dormir ?":  "fr",
		"¿dónde puedo dormir esta noche?": "es",
		"10001":                           "",
		"ok":                              "",
	}
	for text, want := range cases {
		if got := DetectLanguage(text); got != want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestTextFillsPlaceholders(t *testing.T) {
	c := Catalog{"en": {
		"k":    "Call {line} or text {code} to {line}.",
		"open": "Keep {unknown} and {line",
	}}
	cases := []struct {
		key  string
		args []string
		want string
	}{
		{"k", []string{"line", "911", "code", "{line}"}, "Call 911 or text {line} to 911."},
		{"k", []string{"line", "first", "line", "second"}, "Call first or text {code} to first."},
		{"open", []string{"line", "911"}, "Keep {unknown} and {line"},
		{"k", nil, "Call {line} or text {code} to {line}."},
	}
	for _, tc := range cases {
		if got := c.Text("en", tc.key, tc.args...); got != tc.want {
			t.Errorf("Text(%q, %q) = %q, want %q", tc.key, tc.args, got, tc.want)
		}
	}
}

func TestNormTextMatchesNormalize(t *testing.T) {
	for _, lang := range append([]string{"xx"}, Langs...) {
		for key := range messages["en"] {
			if got, want := normText(lang, key), Normalize(messages.Text(lang, key)); got != want {
				t.Fatalf("normText(%q, %q) = %q, want %q", lang, key, got, want)
			}
		}
	}
}
