package risk

import (
	"testing"
	"testing/fstest"
)

// testEngine loads a tiny English rule set that shows the engine's
// semantics without depending on the real data.
func testEngine(t *testing.T) *engine {
	t.Helper()
	fsys := fstest.MapFS{
		"data/en/markers.tsv": {Data: []byte("the\nmy\n")},
		"data/en/concepts.tsv": {Data: []byte(
			"neg\tnot, never, nobody\n" +
				"negskip\the, she, me, did, does, even\n" +
				"person\tdad, mom, uncle\n" +
				"agent\the, she\n" +
				"harm\thit*, beat*, hurt me\n" +
				"me\tme\n" +
				"kill\tkill\n" +
				"hyper\tlol\n" +
				"cond\tif\n" +
				"school\ttest, exam\n")},
		"data/en/rules.txt": {Data: []byte(
			"rule harm danger abuse\n" +
				"seq 3 agent/person harm! me\n" +
				"all 1 hurtme!\n" +
				"rule threat danger imminent\n" +
				"seq 3 agent/person kill me\n" +
				"unless-all 8 school\n" +
				"unless-all 6 hyper\n")},
	}
	fsys["data/en/concepts.tsv"].Data = append(fsys["data/en/concepts.tsv"].Data, []byte("hurtme\thurts me\n")...)
	e, err := load(fsys)
	if err == nil {
		err = e.err
	}
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRuleSemantics(t *testing.T) {
	e := testEngine(t)
	cases := []struct {
		text string
		want Level
	}{
		{"my dad hits me", Danger},                               // agent, harm, object in order
		{"i hit the gym", None},                                  // no agent, no object me
		{"he never hit me", None},                                // negation before the verb
		{"he did not even hit me", None},                         // across auxiliaries and adverbs
		{"nobody hits me, my uncle beats me", Danger},            // negation stays in its clause
		{"i do not know, he hits me", Danger},                    // a clause break stops negation
		{"he never hurts me", None},                              // negation governs a phrase from its first word
		{"my mom will kill me if i fail the test", None},         // hyperbole cancels the threat rule
		{"lol my dad will kill me, he actually hit me", Danger},  // but never the harm rule
		{"my uncle said he will kill me", Danger},                // no exception nearby
		{"my uncle will kill me. really. i have a test", Danger}, // exception beyond two clause breaks
	}
	for _, c := range cases {
		if got := e.screen(c.text, false).Level; got != c.want {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}
