package flows

import (
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
)

// localEngine has the bundled lines and three shelters near 10001: an
// adult one nearest, a youth one with ages and weekday hours, and one
// that has ages but no schedule.
func localEngine(t *testing.T) *Engine {
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	at := func(lat, lon float64) *tipline.Location { return &tipline.Location{Lat: lat, Lon: lon} }
	rs = append(rs,
		directory.Resource{ID: "t-adult", Name: "Adult Shelter (fixture)", Categories: []string{"shelter"}, Phone: "212-555-0110",
			AgesMin: 18, Local: true, Point: at(40.751, -73.997), Regions: []string{"US-NY"}, Verified: true},
		directory.Resource{ID: "t-youth", Name: "Youth Drop-in (fixture)", Categories: []string{"shelter"}, Phone: "212-555-0111",
			Hours: "Mon-Fri 9-5", AgesMin: 12, AgesMax: 21, Local: true, Point: at(40.76, -73.98), Regions: []string{"US-NY"},
			Schedule: []directory.Opening{{Days: []string{"MO", "TU", "WE", "TH", "FR"}, Opens: "09:00", Closes: "17:00"}}, Verified: true},
	)
	e := testEngine(t)
	e.Dir = directory.New(rs)
	return e
}

func TestLocalAnswerAgesOpenDistance(t *testing.T) {
	e := localEngine(t)
	ny, _ := time.LoadLocation("America/New_York")
	monday10 := time.Date(2026, 3, 16, 10, 0, 0, 0, ny)
	out := e.Step(State{}, Input{Channel: tipline.ChannelTelegram, Text: "im 15 and need somewhere to sleep in 10001"}, monday10)
	if len(out.Replies) != 1 {
		t.Fatalf("replies: %v", out.Replies)
	}
	text := out.Replies[0].Text
	for _, want := range []string{"Youth Drop-in (fixture): call 212-555-0111; Mon-Fri 9-5, open now; ages 12-21;", "mi away"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "Adult Shelter") {
		t.Errorf("an adult shelter offered to a 15-year-old:\n%s", text)
	}
	if _, kept := out.State.Data[dataAge]; kept {
		t.Error("the age is kept after the answer")
	}
	// Age not said, Sunday: the youth place still first, said to be closed;
	// the adult one listed after it with its ages.
	sunday := time.Date(2026, 3, 15, 10, 0, 0, 0, ny)
	text = e.Step(State{}, Input{Channel: tipline.ChannelTelegram, Text: "need somewhere to sleep in 10001"}, sunday).Replies[0].Text
	youth, adult := strings.Index(text, "Youth Drop-in"), strings.Index(text, "Adult Shelter")
	if youth < 0 || adult < youth || !strings.Contains(text, "closed now") || !strings.Contains(text, "ages 18+") {
		t.Errorf("age unknown on Sunday:\n%s", text)
	}
}

func TestAgeIn(t *testing.T) {
	for text, want := range map[string]int{
		"im 16 and need food": 16, "I am 15": 15, "16 yo": 16, "17 years old": 17, "tengo 14 años": 14,
		"j'ai 16 ans": 16, "age 13": 13, "i need 2 beds": 0, "im 45": 0, "at 16 street": 0, "call 911": 0,
	} {
		if got := ageIn(intentWords(text)); got != want {
			t.Errorf("%q: %d, want %d", text, got, want)
		}
	}
}

func TestPlaceIn(t *testing.T) {
	for text, want := range map[string]bool{
		"need somewhere to sleep in 77002": true, "Chicago, IL": true, "im in dallas TX": true,
		"hungry in houston texas": true, "H2X 1Y4 svp": true,
		"i need help ok": false, "hi": false, "can someone call me in": false, "is this real or": false,
	} {
		if _, got := placeIn(text); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}

// A tipster's description names the child's place, never the sender's.
func TestSightingPlaceNotTaken(t *testing.T) {
	e := testEngine(t)
	out := e.Step(State{}, Input{Channel: tipline.ChannelSMS, Country: "US", Text: "I saw a girl who looks like the poster near 10001"}, t0)
	if out.State.Flow != FlowReport || out.State.Data[dataLat] != "" {
		t.Errorf("state after a sighting: %+v", out.State)
	}
}
