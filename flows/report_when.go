package flows

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// timeLayout is how times travel in State.Data and effects.
const timeLayout = time.RFC3339

// futureGrace is how far ahead of now a time may be (clocks differ).
const futureGrace = 10 * time.Minute

// Errors of ParseWhen.
var (
	errUnclear = errors.New("flows: no time found")
	errFuture  = errors.New("flows: time in the future")
)

// whenParts is what ParseWhen found in a text.
type whenParts struct {
	now                 bool
	ago                 time.Duration
	year, month, day    int  // a date; year 0 when not given
	dayOff              int  // days back from today: 0 today, 1 yesterday
	weekday             int  // 1..7 (Monday..Sunday), 0 when not given
	hour, min           int  // a time of day
	hasTime, ambiguous  bool // ambiguous: an hour that may be am or pm
	hasDay, explicitDay bool
}

// ParseWhen reads when something was seen from free text in English,
// Spanish or French: "now", "20 minutes ago", "today at 3pm", "yesterday
// 15h30", "at 3", "Monday", "March 14", "14 de marzo a las 5", "3/14"
// (month first in English, day first otherwise), "2026-03-14 15:00". Times
// without a day are today's, or yesterday's when today's is still to come;
// "at 3" is 3 or 15, whichever fits. Times are read in tz (the
// organisation's, TIPLINE_TIMEZONE). A date alone is that day at 00:00. It
// fails with errFuture for a time still to come, and errUnclear when it
// finds none.
func ParseWhen(text, lang string, now time.Time, tz *time.Location) (time.Time, error) {
	if tz == nil {
		tz = time.UTC
	}
	now = now.In(tz)
	p, ok := scanWhen(foldKeep(text), lang, now)
	if !ok {
		return time.Time{}, errUnclear
	}
	at := p.resolve(now, tz)
	if at.After(now.Add(futureGrace)) {
		return time.Time{}, errFuture
	}
	return at, nil
}

// Patterns of ParseWhen, on lowercased, accent-folded text.
var (
	nowRE     = regexp.MustCompile(`^(just now|right now|now|a moment ago|ahora|ahora mismo|ahorita|justo ahora|hace un momento|maintenant|a l'?instant|tout de suite|il y a un instant)[.!]?$`)
	agoRE     = regexp.MustCompile(`(?:(\d+|an|a|one|un|una|une)\s*(min|mins|minutes?|hours?|hrs?|h)\s+ago)|(?:hace\s+(\d+|un|una)\s*(min|minutos?|horas?|h)\b)|(?:il y a\s+(\d+|un|une)\s*(min|minutes?|heures?|h)\b)`)
	isoRE     = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	slashRE   = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b`)
	ampmRE    = regexp.MustCompile(`\b(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])\.?\s?m\b\.?`)
	clockRE   = regexp.MustCompile(`\b(\d{1,2})[:h](\d{2})\b`)
	hourHRE   = regexp.MustCompile(`\b(\d{1,2})\s?h\b`)
	atHourRE  = regexp.MustCompile(`\b(?:at|around|about|a las|a la|sobre las|vers|a)\s+(\d{1,2})\b`)
	dayMonRE  = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th|er)?\s+(?:de\s+)?([a-z]+)\.?(?:\s+(?:de\s+)?(\d{4}))?`)
	monDayRE  = regexp.MustCompile(`\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	wordSplit = regexp.MustCompile(`[^a-z]+`)
)

// scanWhen finds the parts of a time in folded text.
func scanWhen(s, lang string, now time.Time) (whenParts, bool) {
	s = strings.TrimSpace(s)
	var p whenParts
	if nowRE.MatchString(s) {
		p.now = true
		return p, true
	}
	if m := agoRE.FindStringSubmatch(s); m != nil {
		p.ago = agoDuration(m)
		return p, p.ago > 0
	}
	found := p.scanDate(s, lang, now)
	found = p.scanDayWords(s) || found
	found = p.scanTime(s) || found
	return p, found
}

// agoDuration reads "20 minutes ago", "hace 2 horas", "il y a une heure".
func agoDuration(m []string) time.Duration {
	for i := 1; i+1 < len(m); i += 2 {
		if m[i] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i])
		if err != nil {
			n = 1 // a, an, one, un, una, une
		}
		unit := time.Minute
		if strings.HasPrefix(m[i+1], "h") {
			unit = time.Hour
		}
		return time.Duration(n) * unit
	}
	return 0
}

// scanDate finds a date: ISO, numeric, or with a month name.
func (p *whenParts) scanDate(s, lang string, now time.Time) bool {
	if m := isoRE.FindStringSubmatch(s); m != nil {
		return p.setDate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := slashRE.FindStringSubmatch(s); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if y > 0 && y < 100 {
			y += now.Year() / 100 * 100
		}
		if lang == "en" && p.setDate(y, a, b) || p.setDate(y, b, a) || p.setDate(y, a, b) {
			return true
		}
	}
	for _, m := range dayMonRE.FindAllStringSubmatch(s, -1) {
		if mon := monthOf(m[2]); mon > 0 && p.setDate(atoi(m[3]), mon, atoi(m[1])) {
			return true
		}
	}
	for _, m := range monDayRE.FindAllStringSubmatch(s, -1) {
		if mon := monthOf(m[1]); mon > 0 && p.setDate(atoi(m[3]), mon, atoi(m[2])) {
			return true
		}
	}
	return false
}

// setDate records a date when it is a real one.
func (p *whenParts) setDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	if y != 0 && (y < 2000 || y > 2100) {
		return false
	}
	p.year, p.month, p.day, p.hasDay, p.explicitDay = y, m, d, true, true
	return true
}

// scanDayWords finds today, yesterday and weekdays.
func (p *whenParts) scanDayWords(s string) bool {
	found := false
	for _, w := range wordSplit.Split(s, -1) {
		switch {
		case contains(dayWords["today"], w):
			p.hasDay, p.explicitDay, found = true, true, true
		case contains(dayWords["yesterday"], w):
			p.dayOff, p.hasDay, p.explicitDay, found = 1, true, true, true
		default:
			if wd := weekdayOf(w); wd > 0 && p.month == 0 {
				p.weekday, p.hasDay, p.explicitDay, found = wd, true, true, true
			}
		}
	}
	return found
}

// scanTime finds a time of day: noon, 3pm, 3:30 p.m., 15:30, 15h30, 15h,
// at 3.
func (p *whenParts) scanTime(s string) bool {
	for _, w := range wordSplit.Split(s, -1) {
		switch {
		case contains(noonWords, w):
			return p.setTime(12, 0, false)
		case contains(midnightWords, w):
			return p.setTime(0, 0, false)
		}
	}
	if m := ampmRE.FindStringSubmatch(s); m != nil {
		h := atoi(m[1])
		if h < 1 || h > 12 {
			return false
		}
		h %= 12
		if m[3] == "p" {
			h += 12
		}
		return p.setTime(h, atoi(m[2]), false)
	}
	if m := clockRE.FindStringSubmatch(s); m != nil {
		return p.setTime(atoi(m[1]), atoi(m[2]), false)
	}
	if m := hourHRE.FindStringSubmatch(s); m != nil {
		return p.setTime(atoi(m[1]), 0, false)
	}
	if m := atHourRE.FindStringSubmatch(s); m != nil {
		h := atoi(m[1])
		return p.setTime(h, 0, h >= 1 && h <= 12)
	}
	return false
}

func (p *whenParts) setTime(h, m int, ambiguous bool) bool {
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return false
	}
	p.hour, p.min, p.hasTime, p.ambiguous = h, m, true, ambiguous
	return true
}

// resolve turns the parts into a time, the most recent that fits.
func (p whenParts) resolve(now time.Time, tz *time.Location) time.Time {
	switch {
	case p.now:
		return now
	case p.ago > 0:
		return now.Add(-p.ago)
	}
	day := p.baseDay(now, tz)
	if !p.hasTime {
		return day
	}
	at := p.clock(day, now)
	if !p.explicitDay && at.After(now.Add(futureGrace)) {
		at = p.clock(day.AddDate(0, 0, -1), now)
	}
	return at
}

// baseDay is midnight of the day meant, in tz.
func (p whenParts) baseDay(now time.Time, tz *time.Location) time.Time {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, tz)
	switch {
	case p.month > 0:
		y := p.year
		if y == 0 {
			y = now.Year()
			if time.Date(y, time.Month(p.month), p.day, 0, 0, 0, 0, tz).After(today) {
				y--
			}
		}
		return time.Date(y, time.Month(p.month), p.day, 0, 0, 0, 0, tz)
	case p.weekday > 0:
		back := (isoWeekday(now) - p.weekday + 7) % 7
		return today.AddDate(0, 0, -back)
	}
	return today.AddDate(0, 0, -p.dayOff)
}

// clock sets the time of day on day. An ambiguous hour is the afternoon
// one unless that is still to come today, or a morning hour (8 to 11) on
// another day.
func (p whenParts) clock(day, now time.Time) time.Time {
	at := func(h int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, p.min, 0, 0, day.Location())
	}
	if !p.ambiguous || p.hour == 12 {
		return at(p.hour)
	}
	pm := at(p.hour + 12)
	if sameDay(day, now) {
		if !pm.After(now.Add(futureGrace)) {
			return pm
		}
		return at(p.hour)
	}
	if p.hour >= 8 {
		return at(p.hour)
	}
	return pm
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// isoWeekday is 1 for Monday … 7 for Sunday.
func isoWeekday(t time.Time) int {
	return (int(t.Weekday())+6)%7 + 1
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// foldKeep lowercases and folds accents like Normalize, but keeps
// punctuation and spacing, which times and dates need ("3:30", "14/3").
func foldKeep(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 128:
			b.WriteRune(unicode.ToLower(r))
		case r == '\u2019' || r == '\u2018':
			b.WriteByte('\'')
		case unicode.Is(unicode.Mn, r):
		default:
			if f, ok := foldTable[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return b.String()
}

// parseStamp reads a time kept in State.Data.
func parseStamp(s string) (time.Time, bool) {
	t, err := time.Parse(timeLayout, s)
	return t, err == nil
}

// tz is the organisation's time zone.
func (t *turn) tz() *time.Location {
	if t.e.TZ != nil {
		return t.e.TZ
	}
	return time.UTC
}
