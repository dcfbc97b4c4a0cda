package directory

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Opening is one weekly opening of a place: on each of Days, from Opens
// to Closes in the place's local time ("HH:MM"; Closes "24:00" is
// midnight; a Closes earlier than Opens runs past midnight). It is the
// reduced form of an HSDS 3.0 schedule with freq WEEKLY.
type Opening struct {
	Days   []string `json:"days"`   // RFC 5545 BYDAY codes: MO TU WE TH FR SA SU
	Opens  string   `json:"opens"`  // "HH:MM"
	Closes string   `json:"closes"` // "HH:MM"
}

// dayCodes are the RFC 5545 day codes, indexed by time.Weekday.
var dayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

var clockPattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$|^24:00$`)

// validateOpening checks o's day codes and times.
func validateOpening(o Opening) error {
	if len(o.Days) == 0 {
		return fmt.Errorf("an opening needs at least one day")
	}
	for _, d := range o.Days {
		if dayIndex(d) < 0 {
			return fmt.Errorf("day %q is not one of MO TU WE TH FR SA SU", d)
		}
	}
	if !clockPattern.MatchString(o.Opens) || !clockPattern.MatchString(o.Closes) || o.Opens == "24:00" {
		return fmt.Errorf("opening %s-%s: times are HH:MM", o.Opens, o.Closes)
	}
	return nil
}

func dayIndex(code string) int {
	for i, c := range dayCodes {
		if strings.EqualFold(c, code) {
			return i
		}
	}
	return -1
}

// minutes returns "HH:MM" as minutes after midnight.
func minutes(hhmm string) int {
	var h, m int
	_, _ = fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return h*60 + m
}

// OpenAt reports whether r is open at t (t in the place's local time) and
// whether that is known: a record without a schedule is unknown.
func (r Resource) OpenAt(t time.Time) (open, known bool) {
	if len(r.Schedule) == 0 {
		return false, false
	}
	now := t.Hour()*60 + t.Minute()
	today, yesterday := dayCodes[t.Weekday()], dayCodes[(t.Weekday()+6)%7]
	for _, o := range r.Schedule {
		from, to := minutes(o.Opens), minutes(o.Closes)
		onDay := func(d string) bool { return contains(o.Days, d) }
		switch {
		case from < to && onDay(today) && now >= from && now < to:
			return true, true
		case from >= to && onDay(today) && now >= from: // runs past midnight
			return true, true
		case from >= to && onDay(yesterday) && now < to:
			return true, true
		}
	}
	return false, true
}

// ServesAge reports whether age is within r's ages served; a record
// without ages serves everyone.
func (r Resource) ServesAge(age int) bool {
	return (r.AgesMin == 0 || age >= r.AgesMin) && (r.AgesMax == 0 || age <= r.AgesMax)
}

// ServesMinors reports whether r says it serves people under 18 and
// nobody older than 24: a youth service, to be offered first to a minor.
func (r Resource) ServesMinors() bool {
	return r.AgesMax > 0 && r.AgesMax <= 24 && r.AgesMin < 18
}

// ParseSchedule reads openings as staff write them, separated by ";":
// days (codes joined by "," or a range "MO-FR", or "daily") then
// "HH:MM-HH:MM", e.g. "MO-FR 09:00-17:00; SA,SU 10:00-14:00"; "" is none.
// ScheduleText writes the same form.
func ParseSchedule(text string) ([]Opening, error) {
	var out []Opening
	for _, part := range strings.Split(text, ";") {
		f := strings.Fields(strings.ToUpper(part))
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("opening %q: write days then HH:MM-HH:MM", strings.TrimSpace(part))
		}
		days, err := parseDays(f[0])
		if err != nil {
			return nil, err
		}
		opens, closes, ok := strings.Cut(f[1], "-")
		o := Opening{Days: days, Opens: opens, Closes: closes}
		if !ok {
			return nil, fmt.Errorf("opening %q: write days then HH:MM-HH:MM", strings.TrimSpace(part))
		}
		if err := validateOpening(o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// parseDays reads "MO,TU", "MO-FR", "SA-MO" or "DAILY".
func parseDays(s string) ([]string, error) {
	if s == "DAILY" {
		return append(append([]string(nil), dayCodes[1:]...), dayCodes[0]), nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(p, "-")
		i, j := dayIndex(from), dayIndex(to)
		if !isRange {
			j = i
		}
		if i < 0 || j < 0 {
			return nil, fmt.Errorf("days %q: use MO TU WE TH FR SA SU, a range MO-FR or daily", s)
		}
		for k := i; ; k = (k + 1) % 7 {
			out = append(out, dayCodes[k])
			if k == j {
				break
			}
		}
	}
	return out, nil
}
