// Package eval scores the risk screen on labelled messages: recall of
// danger, false alarms and concern on near-misses, concern on concern
// labels, needs kept out of the screen, by language and category, with the
// misses listed (tipline eval danger, docs/design.md section 9).
package eval

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"tipline/risk"
	"tipline/risk/corpus"
)

// Thresholds are what CI and `tipline eval danger` require.
type Thresholds struct {
	Recall        float64 // danger outcomes on danger labels, each language
	FalseAlarm    float64 // danger outcomes on near-misses, at most
	ConcernOnNear float64 // concern outcomes on near-misses, at most
}

// Required are the acceptance thresholds of the risk screen.
var Required = Thresholds{Recall: 0.97, FalseAlarm: 0.05, ConcernOnNear: 0.10}

// Floor is what CI holds the test split to. The screen reached Required
// in the fifth session on issue 12 (recall en 97.3%, es 99.3%, fr 98.6%;
// false alarms 4.1%; concern on near-misses 4.7%), so Floor is Required:
// no change may take any language below it.
var Floor = Required

// Count is a ratio's parts.
type Count struct{ Hit, Total int }

// Rate is Hit/Total, 0 for an empty count.
func (c Count) Rate() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Hit) / float64(c.Total)
}

// String shows the rate with its parts, aligned for the report.
func (c Count) String() string {
	if c.Total == 0 {
		return "     -      (0)"
	}
	return fmt.Sprintf("%6.1f%% %4d/%-4d", 100*c.Rate(), c.Hit, c.Total)
}

// Stats are the scores of one language, one category or everything.
type Stats struct {
	Recall        Count // danger outcome on danger labels
	FalseAlarm    Count // danger outcome on near
	ConcernOnNear Count // concern outcome on near
	ConcernCaught Count // concern or danger on concern labels
	NeedFlagged   Count // concern or danger on need labels
	NoneFlagged   Count // concern or danger on none labels
	RightCategory Count // danger/concern caught whose first category is one of the labelled ones
}

// Miss is a message the screen got wrong.
type Miss struct {
	Entry    corpus.Entry
	Decision risk.Decision
}

// Report is a whole evaluation.
type Report struct {
	All        Stats
	ByLang     map[string]*Stats
	ByCategory map[string]*Stats // danger and concern labels by their main category
	Misses     []Miss
}

// Score screens every entry with screen and scores the outcomes.
func Score(entries []corpus.Entry, screen func(string) risk.Decision) *Report {
	r := &Report{ByLang: map[string]*Stats{}, ByCategory: map[string]*Stats{}}
	for _, e := range entries {
		d := screen(e.Text)
		ls := r.ByLang[e.Lang]
		if ls == nil {
			ls = &Stats{}
			r.ByLang[e.Lang] = ls
		}
		targets := []*Stats{&r.All, ls}
		if len(e.Categories) > 0 {
			cs := r.ByCategory[e.Categories[0]]
			if cs == nil {
				cs = &Stats{}
				r.ByCategory[e.Categories[0]] = cs
			}
			targets = append(targets, cs)
		}
		if miss := tally(targets, e, d); miss {
			r.Misses = append(r.Misses, Miss{Entry: e, Decision: d})
		}
	}
	return r
}

// tally adds one outcome to every target and reports whether it is a miss.
func tally(targets []*Stats, e corpus.Entry, d risk.Decision) bool {
	flagged := d.Level != risk.None
	add := func(pick func(*Stats) *Count, hit bool) {
		for _, s := range targets {
			c := pick(s)
			c.Total++
			if hit {
				c.Hit++
			}
		}
	}
	if flagged && len(e.Categories) > 0 {
		add(func(s *Stats) *Count { return &s.RightCategory }, slices.Contains(e.Categories, string(d.Category())))
	}
	switch e.Label {
	case corpus.Danger:
		add(func(s *Stats) *Count { return &s.Recall }, d.Level == risk.Danger)
		return d.Level != risk.Danger
	case corpus.Concern:
		add(func(s *Stats) *Count { return &s.ConcernCaught }, flagged)
		return !flagged
	case corpus.Near:
		add(func(s *Stats) *Count { return &s.FalseAlarm }, d.Level == risk.Danger)
		add(func(s *Stats) *Count { return &s.ConcernOnNear }, d.Level == risk.Concern)
		return flagged
	case corpus.Need:
		add(func(s *Stats) *Count { return &s.NeedFlagged }, flagged)
		return flagged
	default:
		add(func(s *Stats) *Count { return &s.NoneFlagged }, flagged)
		return flagged
	}
}

// Failures lists every threshold the report misses; empty means it passes.
func (r *Report) Failures(t Thresholds) []string {
	var out []string
	for _, lang := range corpus.Langs {
		s := r.ByLang[lang]
		if s != nil && s.Recall.Total > 0 && s.Recall.Rate() < t.Recall {
			out = append(out, fmt.Sprintf("%s recall %.1f%% < %.0f%%", lang, 100*s.Recall.Rate(), 100*t.Recall))
		}
	}
	if r.All.FalseAlarm.Rate() > t.FalseAlarm {
		out = append(out, fmt.Sprintf("false alarms %.1f%% > %.0f%%", 100*r.All.FalseAlarm.Rate(), 100*t.FalseAlarm))
	}
	if r.All.ConcernOnNear.Rate() > t.ConcernOnNear {
		out = append(out, fmt.Sprintf("concern on near-misses %.1f%% > %.0f%%", 100*r.All.ConcernOnNear.Rate(), 100*t.ConcernOnNear))
	}
	return out
}

// ParseFile reads the ad-hoc TSV format kind<TAB>lang<TAB>text (kind is a
// label; lang is en, es or fr).
func ParseFile(rd io.Reader) ([]corpus.Entry, error) {
	var out []corpus.Entry
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 || !corpus.ValidLabel(f[0]) {
			return nil, fmt.Errorf("line %d: want kind<TAB>lang<TAB>text, kind danger|concern|near|need|none", n)
		}
		out = append(out, corpus.Entry{Group: fmt.Sprintf("file-%d", n), Label: f[0], Lang: f[1], Text: f[2], Line: n})
	}
	return out, sc.Err()
}
