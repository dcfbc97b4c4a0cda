package correlate

import (
	"strings"
	"testing"
	"time"
)

func TestReadPairsColoursInEachLanguage(t *testing.T) {
	for _, c := range []struct{ text, lang string }{
		{"Girl about 14, brown hair, purple backpack and a red coat, with an older man", ""},
		{"Una niña de 14 años, pelo castaño, mochila morada y abrigo rojo, con un hombre mayor", ""},
		{"Une fille de 14 ans, cheveux bruns, sac à dos violet et manteau rouge, avec un homme", "fr"},
	} {
		p := Read(c.text, c.lang)
		if !p.Items["item:backpack"]["purple"] || !p.Items["item:coat"]["red"] || p.Items["item:coat"]["purple"] {
			t.Errorf("%q: items %v", c.text, p.Items)
		}
		if !p.Hair["brown"] || !p.Child["girl"] || !p.Adults["man"] || p.AgeMin != 14 || !p.Exact {
			t.Errorf("%q: %+v", c.text, p)
		}
	}
}

func TestReadAgesPlatesAndWords(t *testing.T) {
	p := Read("teenage boy on a skateboard near the Greyhound station, got into a silver van ABC1234", "")
	if p.AgeMin != 13 || p.AgeMax != 17 || p.Exact || !p.Child["boy"] {
		t.Errorf("age/sex: %+v", p)
	}
	if !p.Plates["ABC1234"] || !p.Items["vehicle:van"]["silver"] || !p.Items["item:skateboard"][""] && p.Items["item:skateboard"] == nil {
		t.Errorf("plate/van/skateboard: %+v", p)
	}
	if !p.Words["greyhound"] || !p.Words["station"] || p.Words["the"] {
		t.Errorf("words: %v", p.Words)
	}
	// "short" is French for shorts, not English for height.
	if q := Read("a short girl in a 10pm bus", "en"); q.Items["item:shorts"] != nil || q.AgeMin != 0 {
		t.Errorf("short/10pm: %+v", q)
	}
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func fp(f float64) *float64 { return &f }

func TestReasonNamesDistanceTimeAndWhatIsShared(t *testing.T) {
	s := Sighting{Kind: KindTip, ID: 1, Ref: "NEW", At: at("2026-12-05T18:20:00Z"), Lat: fp(40.7357), Lon: fp(-74.1724),
		Text: "girl with a purple backpack, maybe 14"}
	same := Sighting{Kind: KindTip, ID: 2, Ref: "TIPX", At: at("2026-12-05T18:00:00Z"), Lat: fp(40.7393), Lon: fp(-74.1724),
		Text: "Vi a una niña de unos 14 años con una mochila morada"}
	other := Sighting{Kind: KindTip, ID: 3, Ref: "TIPY", At: at("2026-12-05T18:10:00Z"), Lat: fp(40.7357), Lon: fp(-74.1724),
		Text: "a boy of 8 with a red backpack"}
	got := Rank(s, []Sighting{other, same, s})
	if len(got) != 2 || got[0].Candidate.Ref != "TIPX" {
		t.Fatalf("ranking: %+v", got)
	}
	want := "0.4 km and 20 min from tip TIPX; both mention a girl of about 14 and a purple backpack"
	if got[0].Reason != want {
		t.Errorf("reason:\n got %q\nwant %q", got[0].Reason, want)
	}
	if r := got[1].Reason; !strings.Contains(r, "but: a girl in one, a boy in the other") || !strings.Contains(r, "ages 14 and 8") {
		t.Errorf("conflicts: %q", r)
	}
	if sg := Suggest(s, []Sighting{other, same}, 5); len(sg) != 1 || sg[0].Candidate.Ref != "TIPX" {
		t.Errorf("suggest: %+v", sg)
	}
}

func TestCaseUsesAgeSexAndName(t *testing.T) {
	age := 14
	c := Sighting{Kind: KindCase, ID: 9, Ref: "C-100", Name: "Ana Example", Age: &age, Sex: "F",
		Text: "Brown hair, last seen in a purple backpack", At: at("2026-12-01T10:00:00Z")}
	s := Sighting{Kind: KindTip, ID: 1, Ref: "NEW", At: at("2026-12-05T18:20:00Z"), Text: "I think it was Ana, purple backpack"}
	got := Rank(s, []Sighting{c})
	if !strings.Contains(got[0].Reason, "the name Ana") || !strings.Contains(got[0].Reason, "case C-100 (last seen)") {
		t.Errorf("reason: %q", got[0].Reason)
	}
	boy := Sighting{Kind: KindTip, ID: 2, Text: "a boy of 6"}
	if sg := Rank(boy, []Sighting{c}); len(sg[0].Conflicts) != 2 {
		t.Errorf("conflicts with the case's age and sex: %v", sg[0].Conflicts)
	}
}

func TestTooFarApartContradicts(t *testing.T) {
	s := Sighting{Kind: KindTip, ID: 1, At: at("2026-12-05T18:20:00Z"), Lat: fp(40.7357), Lon: fp(-74.1724), Text: "purple backpack"}
	far := Sighting{Kind: KindTip, ID: 2, Ref: "FAR", At: at("2026-12-05T18:00:00Z"), Lat: fp(42.36), Lon: fp(-71.06), Text: "purple backpack"}
	if sg := Rank(s, []Sighting{far}); !strings.Contains(sg[0].Reason, "too far apart") || sg[0].Score >= Threshold {
		t.Errorf("Newark to Boston in 20 min: %.2f %q", sg[0].Score, sg[0].Reason)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{20 * time.Minute: "20 min", 3*time.Hour + 10*time.Minute: "3 h 10 min",
		-5 * time.Hour: "5 h", 30 * time.Hour: "30 h", 96 * time.Hour: "4 days"} {
		if got := formatDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
