package staffing

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// Parse reads STAFF_HOURS: languages separated by ";", each
// "lang=DAYS HH:MM-HH:MM" with several openings separated by ",", e.g.
//
//	en=Mon-Fri 09:00-21:00,Sat 10:00-16:00;es=Mon-Sun 00:00-24:00;fr=Fri-Sat 22:00-06:00
//
// DAYS is one day or a range (which may wrap, Fri-Mon); an opening whose end
// is not after its start runs past midnight into the next day. Times are in
// loc. An empty spec means no hours (Hours.Set is false). The error says
// which part is wrong and why.
func Parse(spec string, loc *time.Location) (Hours, error) {
	h := Hours{loc: loc, byLang: map[string][]window{}}
	if loc == nil {
		h.loc = time.UTC
	}
	for _, part := range strings.Split(spec, ";") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		lang, list, ok := strings.Cut(part, "=")
		lang = strings.ToLower(strings.TrimSpace(lang))
		if !ok || !validLang(lang) {
			return Hours{}, fmt.Errorf("%q: each part must be lang=DAYS HH:MM-HH:MM (lang a two-letter code such as en)", part)
		}
		if _, dup := h.byLang[lang]; dup {
			return Hours{}, fmt.Errorf("%q: language %s is listed twice", part, lang)
		}
		var ws []window
		for _, o := range strings.Split(list, ",") {
			got, err := parseOpening(strings.TrimSpace(o))
			if err != nil {
				return Hours{}, fmt.Errorf("%s: %q: %w", lang, strings.TrimSpace(o), err)
			}
			ws = append(ws, got...)
		}
		h.byLang[lang] = ws
	}
	if len(h.byLang) == 0 {
		return Hours{loc: h.loc}, nil
	}
	return h, nil
}

func validLang(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

// parseOpening reads "Mon-Fri 09:00-21:00" into one window per day.
func parseOpening(s string) ([]window, error) {
	days, times, ok := strings.Cut(s, " ")
	if !ok {
		return nil, fmt.Errorf("want DAYS HH:MM-HH:MM, e.g. Mon-Fri 09:00-21:00")
	}
	ds, err := parseDays(days)
	if err != nil {
		return nil, err
	}
	from, to, ok := strings.Cut(strings.TrimSpace(times), "-")
	if !ok {
		return nil, fmt.Errorf("want a time range HH:MM-HH:MM")
	}
	start, err := parseClock(from, false)
	if err != nil {
		return nil, err
	}
	end, err := parseClock(to, true)
	if err != nil {
		return nil, err
	}
	length := end - start
	if length <= 0 {
		length += 24 * 60 // runs past midnight
	}
	out := make([]window, 0, len(ds))
	for _, d := range ds {
		out = append(out, window{day: d, start: start, length: length})
	}
	return out, nil
}

// parseDays reads "Mon", "Mon-Fri" or a wrapping range such as "Fri-Mon".
func parseDays(s string) ([]time.Weekday, error) {
	from, to, isRange := strings.Cut(s, "-")
	a, err := parseDay(from)
	if err != nil {
		return nil, err
	}
	if !isRange {
		return []time.Weekday{a}, nil
	}
	b, err := parseDay(to)
	if err != nil {
		return nil, err
	}
	out := []time.Weekday{a}
	for d := a; d != b; {
		d = (d + 1) % 7
		out = append(out, d)
	}
	return out, nil
}

func parseDay(s string) (time.Weekday, error) {
	for i, n := range dayNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return time.Weekday(i), nil
		}
	}
	return 0, fmt.Errorf("unknown day %q (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)", s)
}

// parseClock reads HH:MM as minutes after midnight; 24:00 only as an end.
func parseClock(s string, end bool) (int, error) {
	hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || len(hh) != 2 || len(mm) != 2 || err1 != nil || err2 != nil || m < 0 || m > 59 || h < 0 || h > 24 {
		return 0, fmt.Errorf("time %q must be HH:MM (00:00 to 24:00)", s)
	}
	if h == 24 && (m != 0 || !end) {
		return 0, fmt.Errorf("time %q: 24:00 may only end an opening", s)
	}
	return h*60 + m, nil
}
