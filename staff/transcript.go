package staff

import (
	"context"
	"strings"

	"tipline/flows"
	"tipline/store"
)

// transcriptLine is one message as a transcript on a staff page shows it:
// a button press reads as the label the user saw, marked as a button.
type transcriptLine struct {
	store.DashMessage
	// Button is true when the message was a button press; Body is then
	// the button's label.
	Button bool
}

// transcript turns a conversation's messages into what staff read: the
// bot stores a button press as its value in brackets ("[rpt:yes]",
// "[rptc:2z6v…]"); it is shown as the label the user saw in the
// conversation's language lang ("Yes", "Ana Example (C-100)").
func (db *Dashboard) transcript(ctx context.Context, msgs []store.DashMessage, lang string) ([]transcriptLine, error) {
	out := make([]transcriptLine, len(msgs))
	var casePIDs []string
	for i, m := range msgs {
		out[i].DashMessage = m
		if v, ok := pressedValue(m); ok {
			if pid, ok := flows.CaseOptionID(v); ok {
				casePIDs = append(casePIDs, pid)
			}
		}
	}
	cases, err := db.store.CaseNames(ctx, casePIDs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if v, ok := pressedValue(out[i].DashMessage); ok {
			out[i].Body, out[i].Button = buttonLabel(v, lang, cases)
		}
	}
	return out, nil
}

// pressedValue returns the value of a button press the bot stored as
// "[value]" on an inbound message; ok is false for anything else.
func pressedValue(m store.DashMessage) (string, bool) {
	if m.Direction != "in" || m.Kind != "user" {
		return "", false
	}
	v, ok := strings.CutPrefix(m.Body, "[")
	if !ok {
		return "", false
	}
	v, ok = strings.CutSuffix(v, "]")
	if !ok || v == "" || strings.ContainsAny(v, " \n[]") {
		return "", false
	}
	return v, true
}

// buttonLabel is what a press of the button with value v shows: its label
// in lang, a case's name and number, or the stored text unchanged when the
// value has no label (a "[location]" or "[photo]" marker is not a button).
func buttonLabel(v, lang string, cases map[string]store.CaseName) (string, bool) {
	if pid, ok := flows.CaseOptionID(v); ok {
		if c, ok := cases[pid]; ok {
			return flows.CaseOptionLabel(c.DisplayName, c.Number), true
		}
		return "a case no longer kept", true
	}
	if l, ok := flows.OptionLabel(lang, v); ok {
		return l, true
	}
	return "[" + v + "]", false
}
