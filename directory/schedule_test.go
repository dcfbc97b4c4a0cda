package directory

import (
	"reflect"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	got, err := ParseSchedule("MO-FR 09:00-17:00; sa,su 10:00-14:00;daily 22:00-06:00")
	if err != nil {
		t.Fatal(err)
	}
	want := []Opening{
		{Days: []string{"MO", "TU", "WE", "TH", "FR"}, Opens: "09:00", Closes: "17:00"},
		{Days: []string{"SA", "SU"}, Opens: "10:00", Closes: "14:00"},
		{Days: []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}, Opens: "22:00", Closes: "06:00"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	if text := ScheduleText(got); text != "MO-FR 09:00-17:00; SA,SU 10:00-14:00; daily 22:00-06:00" {
		t.Errorf("ScheduleText: %q", text)
	}
	if back, _ := ParseSchedule(ScheduleText(got)); !reflect.DeepEqual(back, want) {
		t.Errorf("ScheduleText does not read back: %q", ScheduleText(got))
	}
	if s, err := ParseSchedule("FR-MO 20:00-24:00"); err != nil || len(s[0].Days) != 4 || s[0].Days[3] != "MO" {
		t.Errorf("a range across Sunday: %+v %v", s, err)
	}
	for _, bad := range []string{"MO 9-5", "XX 09:00-10:00", "MO-FR", "MO 24:00-02:00", "MO 09:00 17:00 x"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if s, err := ParseSchedule("  "); err != nil || s != nil {
		t.Errorf("empty: %v %v", s, err)
	}
}

func TestOpenAt(t *testing.T) {
	night, _ := ParseSchedule("FR 22:00-06:00")
	day, _ := ParseSchedule("MO-FR 09:00-17:00")
	at := func(wd time.Weekday, h, m int) time.Time {
		return time.Date(2026, 11, 29+int(wd), h, m, 0, 0, time.UTC)
	} // 29 Nov 2026 is a Sunday
	cases := []struct {
		s          []Opening
		t          time.Time
		open, know bool
	}{
		{day, at(time.Monday, 9, 0), true, true},
		{day, at(time.Monday, 17, 0), false, true},
		{day, at(time.Saturday, 12, 0), false, true},
		{night, at(time.Friday, 23, 30), true, true},
		{night, at(time.Saturday, 5, 59), true, true},
		{night, at(time.Saturday, 6, 0), false, true},
		{nil, at(time.Monday, 12, 0), false, false},
	}
	for i, c := range cases {
		if open, known := (Resource{Schedule: c.s}).OpenAt(c.t); open != c.open || known != c.know {
			t.Errorf("case %d (%s): open %v known %v", i, c.t.Format("Mon 15:04"), open, known)
		}
	}
	if all, _ := ParseSchedule("daily 00:00-24:00"); !mustOpen(Resource{Schedule: all}, at(time.Sunday, 23, 59)) {
		t.Error("open all day is closed at 23:59")
	}
}

func mustOpen(r Resource, t time.Time) bool { open, _ := r.OpenAt(t); return open }

func TestAgesServed(t *testing.T) {
	youth := Resource{AgesMin: 12, AgesMax: 17}
	if !youth.ServesAge(16) || youth.ServesAge(18) || youth.ServesAge(11) || !youth.ServesMinors() {
		t.Error("a 12-17 shelter")
	}
	if adults := (Resource{AgesMin: 18}); adults.ServesAge(16) || adults.ServesMinors() {
		t.Error("an 18+ shelter")
	}
	if all := (Resource{}); !all.ServesAge(16) || all.ServesMinors() {
		t.Error("no ages given serves everyone but is no youth service")
	}
	if err := Validate(Resource{ID: "x", Name: "x", AgesMin: 18, AgesMax: 12}); err == nil {
		t.Error("ages 18-12 accepted")
	}
}

func TestDiffAndMerge(t *testing.T) {
	cur := Resource{ID: "harbor", Name: "Harbor", Phone: "(713) 555-0142", Categories: []string{"shelter"},
		Notes: "call first", Description: map[string]string{"es": "Camas"}, HiddenFields: []string{"address"}}
	up := Resource{ID: "hsds-1", Name: "Harbor", Phone: "(713) 555-0199", Description: map[string]string{"en": "Beds"},
		AgesMin: 12, AgesMax: 17}
	m := Merge(cur, up)
	if m.ID != "harbor" || m.Notes != "call first" || m.Categories[0] != "shelter" || m.Description["es"] != "Camas" ||
		m.Description["en"] != "Beds" || len(m.HiddenFields) != 1 {
		t.Fatalf("merge: %+v", m)
	}
	d := Diff(cur, m)
	fields := map[string]FieldChange{}
	for _, c := range d {
		fields[c.Field] = c
	}
	if fields["phone"].New != "(713) 555-0199" || fields["ages"].New != "12-17" || fields["description"].New == "" || len(d) != 3 {
		t.Errorf("diff: %+v", d)
	}
	if !Same(m, m) || Same(cur, m) {
		t.Error("Same")
	}
	if len(Diff(Resource{}, Resource{Name: "x"})) != 1 {
		t.Error("a new record's diff lists only what it has")
	}
}
