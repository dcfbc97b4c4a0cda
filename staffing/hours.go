// Package staffing says whether a person can answer a conversation now:
// the hours of operation per language (STAFF_HOURS, docs/design.md
// section 9) combined with whether anyone who answers in that language is
// on shift. It is pure: the caller brings the clock and the shift count.
package staffing

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Hours are the hours of operation per language in the organisation's
// time zone. The zero value has no hours set: people answer whenever
// someone is on shift.
type Hours struct {
	loc    *time.Location
	byLang map[string][]window
}

// window is one weekly opening: from a weekday and a minute of that day,
// for a length in minutes (it may run past midnight into the next day).
type window struct {
	day    time.Weekday
	start  int // minutes after midnight
	length int // minutes, 1 to 24*60
}

// DefaultLang is the language of a conversation whose language is not
// known yet.
const DefaultLang = "en"

// Set reports whether any hours are configured.
func (h Hours) Set() bool { return len(h.byLang) > 0 }

// Langs lists the languages that have hours, sorted.
func (h Hours) Langs() []string {
	out := make([]string, 0, len(h.byLang))
	for l := range h.byLang {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Open reports whether lang is within its hours at now. Without any hours
// set every language is open; with hours set, a language that has none
// listed is closed. An empty lang is DefaultLang.
func (h Hours) Open(lang string, now time.Time) bool {
	if !h.Set() {
		return true
	}
	ws, ok := h.byLang[normLang(lang)]
	if !ok {
		return false
	}
	t := now.In(h.loc)
	minute := t.Hour()*60 + t.Minute()
	for _, w := range ws {
		if w.covers(t.Weekday(), minute) {
			return true
		}
	}
	return false
}

// covers reports whether the window includes minute of day d.
func (w window) covers(d time.Weekday, minute int) bool {
	if d == w.day && minute >= w.start && minute < w.start+w.length {
		return true
	}
	// the part that ran past midnight from the day before
	return d == (w.day+1)%7 && w.start+w.length > 24*60 && minute < w.start+w.length-24*60
}

// Available reports whether a person can answer a conversation in lang at
// now: within that language's hours, and with onShift staff who answer in
// it on shift (more than zero).
func Available(h Hours, lang string, now time.Time, onShift int) bool {
	return onShift > 0 && h.Open(lang, now)
}

func normLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if lang == "" {
		return DefaultLang
	}
	return lang
}

// String renders the hours in the setting's own format.
func (h Hours) String() string {
	var parts []string
	for _, l := range h.Langs() {
		var ws []string
		for _, w := range h.byLang[l] {
			end := (w.start + w.length) % (24 * 60)
			if w.start+w.length == 24*60 {
				end = 24 * 60
			}
			ws = append(ws, fmt.Sprintf("%s %s-%s", dayNames[w.day], clock(w.start), clock(end)))
		}
		parts = append(parts, l+"="+strings.Join(ws, ","))
	}
	return strings.Join(parts, ";")
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
