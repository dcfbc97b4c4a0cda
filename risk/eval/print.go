package eval

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Print writes the report: totals, then by language, then by category,
// then every miss with the screen's answer.
func (r *Report) Print(w io.Writer, misses bool) {
	fmt.Fprintf(w, "%-10s %-20s %-20s %-20s %-20s %-20s %-20s\n", "", "recall(danger)", "false alarm(near)", "concern on near", "concern caught", "need flagged", "right category")
	row := func(name string, s *Stats) {
		fmt.Fprintf(w, "%-10s %-20s %-20s %-20s %-20s %-20s %-20s\n", name, s.Recall, s.FalseAlarm, s.ConcernOnNear, s.ConcernCaught, s.NeedFlagged, s.RightCategory)
	}
	row("all", &r.All)
	for _, k := range sortedKeys(r.ByLang) {
		row(k, r.ByLang[k])
	}
	fmt.Fprintln(w)
	for _, k := range sortedKeys(r.ByCategory) {
		row(k, r.ByCategory[k])
	}
	if !misses {
		return
	}
	fmt.Fprintf(w, "\nmisses (%d):\n", len(r.Misses))
	for _, m := range r.Misses {
		cats := make([]string, len(m.Decision.Categories))
		for i, c := range m.Decision.Categories {
			cats[i] = string(c)
		}
		fmt.Fprintf(w, "%s %s:%d want %s(%s) got %s(%s) %q\n", m.Entry.Lang, m.Entry.Split, m.Entry.Line, m.Entry.Label,
			strings.Join(m.Entry.Categories, ","), m.Decision.Level, strings.Join(cats, ","), m.Entry.Text)
	}
}

func sortedKeys(m map[string]*Stats) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
