package flows

import (
	"testing"

	"tipline"
	"tipline/risk"
	"tipline/risk/corpus"
)

// TestYouthWordsNeverReadAsSighting reads every line of the risk corpus
// (a youth's disclosures, concerns and needs, and near-misses) as a first
// message with the outcome its label names: no disclosure, concern or need
// may be taken for a tipster's sighting, which would answer it with the
// line for a child seen instead of the youth's own and keep crisis mode
// off. Near-misses that are sightings ("i think i saw the missing girl
// from the poster") are counted.
func TestYouthWordsNeverReadAsSighting(t *testing.T) {
	dir, err := corpus.Dir()
	if err != nil {
		t.Fatal(err)
	}
	levels := map[string]risk.Level{"danger": risk.Danger, "concern": risk.Concern}
	total, read := map[string]int{}, map[string]int{}
	for _, split := range []string{"train", "dev", "test"} {
		entries, err := corpus.Load(dir, split)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			tr := &turn{in: Input{Channel: tipline.ChannelSMS, Text: e.Text}}
			total[e.Label]++
			if !tr.readsAsSighting(risk.Decision{Level: levels[e.Label]}) {
				continue
			}
			read[e.Label]++
			switch {
			case e.Label == "near" || e.Label == "none":
			case split == "test": // the blind split: its text is never printed (risk/corpus/README.md)
				t.Errorf("%s %s read as a sighting", e.Label, e.Group)
			default:
				t.Errorf("%s %s read as a sighting: %q", e.Label, e.Group, e.Text)
			}
		}
	}
	t.Logf("read as a sighting, by label: %v of %v", read, total)
}

func TestSightingWords(t *testing.T) {
	for text, want := range map[string]bool{
		"I saw a girl who looks like the poster at the mall":                      true,
		"j'ai vu une fille qui ressemble à l'affiche":                             true,
		"vi a una niña que se parece a la del cartel":                             true,
		"there was a girl at the bus stop who looked lost":                        true,
		"i saw a video of a girl getting followed":                                false,
		"j'ai vu aux infos qu'une fille a été enlevée":                            false,
		"vi en las noticias que buscaban a una niña":                              false,
		"i saw my boyfriend yesterday":                                            false,
		"j'ai vu mon petit ami hier":                                              false,
		"need somewhere to sleep tonight":                                         false,
		"I want to report a sighting":                                             true,
		"quiero reportar un avistamiento":                                         true,
		"je veux faire un signalement":                                            true,
		"I saw a girl at the mall with a man and now he says he will hurt me too": true, // no outcome: the neutral flow
	} {
		tr := &turn{in: Input{Channel: tipline.ChannelSMS, Text: text}}
		if got := tr.readsAsSighting(risk.Decision{}); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
	// With a risk outcome, words about the sender keep the message the youth's.
	tr := &turn{in: Input{Channel: tipline.ChannelSMS, Text: "I saw a girl get hit and now he says he will hurt me too"}}
	if tr.readsAsSighting(risk.Decision{Level: risk.Danger}) {
		t.Error("a youth in danger read as a tipster")
	}
	tr = &turn{in: Input{Channel: tipline.ChannelSMS, Text: "quiero denunciar a mi padrastro, me pega"}}
	if tr.readsAsSighting(risk.Decision{Level: risk.Danger}) {
		t.Error("report words with a disclosure read as a tipster")
	}
}
