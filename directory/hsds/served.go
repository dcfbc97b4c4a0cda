package hsds

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"tipline/directory"
)

// importSchedule reads the weekly rules (freq WEEKLY, or no freq with
// days given) that have opening and closing times; a closing time of
// 23:59 means midnight. Other rules (monthly, dated) are not modelled:
// their description still reaches the free-text hours.
func importSchedule(ss []Schedule) []directory.Opening {
	var out []directory.Opening
	for _, s := range ss {
		freq := strings.ToUpper(strings.TrimSpace(s.Freq))
		if (freq != "WEEKLY" && freq != "") || s.Byday == "" {
			continue
		}
		o := directory.Opening{Opens: clock(s.OpensAt), Closes: clock(s.ClosesAt)}
		if o.Closes == "23:59" {
			o.Closes = "24:00"
		}
		for _, d := range strings.Split(s.Byday, ",") {
			if d = strings.ToUpper(strings.TrimSpace(d)); d != "" {
				o.Days = append(o.Days, d)
			}
		}
		r := directory.Resource{ID: "x", Name: "x", Schedule: []directory.Opening{o}}
		if directory.Validate(r) == nil {
			out = append(out, o)
		}
	}
	return out
}

// clock returns "HH:MM" of an HSDS time ("10:00:00", "10:00", "10:00:00Z").
func clock(t string) string {
	t = strings.TrimSpace(t)
	if len(t) >= 5 && t[2] == ':' {
		return t[:5]
	}
	return t
}

// age returns an HSDS age as whole years, 0 when absent or out of range.
func age(f *float64) int {
	if f == nil || *f < 0 || *f > 120 || math.IsNaN(*f) {
		return 0
	}
	return int(*f)
}

// ageNumber is the inverse of age: 0 is no age.
func ageNumber(n int) *float64 {
	if n == 0 {
		return nil
	}
	f := float64(n)
	return &f
}

// number reads a CSV number cell; "" or junk is nil.
func number(s string) *float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return nil
	}
	return &f
}

// numberText writes a CSV number cell.
func numberText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// termWords map words in the name of another taxonomy's term (a 211's,
// Open Eligibility's) to Tipline's categories. It is a first guess that
// the reviewer sees in the diff and corrects when wrong.
var termWords = []struct{ word, category string }{
	{"shelter", "shelter"}, {"housing", "shelter"}, {"runaway", "runaway"}, {"food", "food"},
	{"meal", "food"}, {"pantry", "food"}, {"crisis", "crisis"}, {"suicide", "crisis"},
	{"trafficking", "trafficking"}, {"counsel", "counseling"}, {"medical", "medical"}, {"clinic", "medical"},
	{"health", "health"},
}

// categoriesFromTerms returns the categories the term names suggest, each
// once, in termWords order.
func categoriesFromTerms(names []string) []string {
	var out []string
	for _, tw := range termWords {
		for _, n := range names {
			if strings.Contains(strings.ToLower(n), tw.word) && !slices.Contains(out, tw.category) {
				out = append(out, tw.category)
			}
		}
	}
	return out
}
