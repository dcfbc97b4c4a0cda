package risk

import (
	"fmt"
	"strings"

	"tipline/risk/textnorm"
)

// Trace explains how the rules read text, for people writing rules and
// data (risk/cmd/try): the normalised tokens of each language with their
// concepts, and every rule match with the exception that cancelled it, if
// any. It quotes the message: never log it.
func Trace(text string) []string {
	e := theEngine()
	toks := textnorm.Tokens(text)
	lang, scores := e.detect(toks)
	out := []string{fmt.Sprintf("lang %q scores %v", lang, scores)}
	for _, l := range e.langs {
		m := e.annotated(l, toks, l.code == lang || lang == "")
		var b strings.Builder
		for i, t := range m.toks {
			b.WriteString(t.Text)
			if ids := m.sets[i].ids(); len(ids) > 0 {
				names := make([]string, len(ids))
				for k, id := range ids {
					names[k] = e.reg.names[id]
				}
				b.WriteString("{" + strings.Join(names, ",") + "}")
			}
			b.WriteByte(' ')
		}
		out = append(out, l.code+": "+b.String())
		for _, r := range l.rules {
			for pi := range r.patterns {
				for _, h := range m.find(&r.patterns[pi]) {
					out = append(out, fmt.Sprintf("  %s %v %q cancelled=%v", r.id, r.patterns[pi].names, m.span(h), m.cancelledBy(r, h)))
				}
			}
		}
	}
	return out
}

// cancelledBy names the exception of r that cancels h, or "". An
// exception counts when it lies within its own window of the match (for
// "unless-all 3 hyper", a laugh at most three words away) and inside the
// match's clause region.
func (m *message) cancelledBy(r *rule, h hit) string {
	return m.cancelledByHits(r, h, m.unlessHits(r))
}

// unlessHits finds every match of each exception of r once, so that many
// matches of one rule do not search for its exceptions again.
func (m *message) unlessHits(r *rule) [][]hit {
	out := make([][]hit, len(r.unless))
	for i := range r.unless {
		out[i] = m.find(&r.unless[i])
	}
	return out
}

// cancelledByHits is cancelledBy with the exceptions' matches given.
func (m *message) cancelledByHits(r *rule, h hit, uh [][]hit) string {
	for i := range r.unless {
		u := &r.unless[i]
		lo, hi := m.clause(h.start(), h.end(), max(6, u.win))
		for _, x := range uh[i] {
			if x.start() >= max(lo, h.start()-u.win) && x.end() <= min(hi, h.end()+u.win) {
				return strings.Join(u.names, " ")
			}
		}
	}
	return ""
}
