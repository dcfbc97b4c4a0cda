package risk

import (
	"testing"
	"testing/fstest"
)

// TestBrokenDataKeepsOtherLanguages: a language whose data does not load
// is left out; the others still screen, and DataError reports it.
func TestBrokenDataKeepsOtherLanguages(t *testing.T) {
	fsys := fstest.MapFS{
		"data/en/concepts.tsv": {Data: []byte("harm\thits\nperson\tdad\nme\tme\n")},
		"data/en/rules.txt":    {Data: []byte("rule r danger abuse\nseq 2 person harm me\n")},
		"data/es/concepts.tsv": {Data: []byte("broken line without a tab\n")},
	}
	e, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if e.err == nil || len(e.langs) != 2 {
		t.Fatalf("want es left out with an error, got %d languages, err %v", len(e.langs), e.err)
	}
	if d := e.screen("dad hits me", false); d.Level != Danger {
		t.Fatalf("English still screens: got %v", d.Level)
	}
	empty := &engine{err: err}
	if d := empty.screen("dad hits me", false); d.Level != None {
		t.Fatalf("no data: got %v", d.Level)
	}
}
