package eval

import (
	"strings"
	"testing"

	"tipline/risk"
	"tipline/risk/corpus"
)

// TestThresholdsOnTest guards the screen on the test split: it fails
// below Floor, which is now Required, the level issue 12 asks for (recall
// at least 97% in each language, false alarms at most 5%, concern on
// near-misses at most 10%). Only the numbers are printed: nobody may tune
// on the test split's messages.
func TestThresholdsOnTest(t *testing.T) {
	dir, err := corpus.Dir()
	if err != nil {
		t.Fatal(err)
	}
	es, err := corpus.Load(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		t.Skip("no test split yet")
	}
	r := Score(es, risk.Screen)
	var b strings.Builder
	r.Print(&b, false)
	t.Log("\n" + b.String())
	if f := r.Failures(Floor); len(f) > 0 {
		t.Fatalf("below the floor on the test split: %s", strings.Join(f, "; "))
	}
}

func TestScoreAndParseFile(t *testing.T) {
	es, err := ParseFile(strings.NewReader("danger\ten\tmy stepdad hits me\nnear\ten\ti hit the gym\nneed\ten\twhere can i get food\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := Score(es, risk.Screen)
	if r.All.Recall != (Count{1, 1}) || r.All.FalseAlarm.Hit != 0 || r.All.NeedFlagged.Hit != 0 {
		t.Fatalf("report %+v", r.All)
	}
	if _, err := ParseFile(strings.NewReader("maybe\ten\tx\n")); err == nil {
		t.Fatal("ParseFile accepted an unknown kind")
	}
}
