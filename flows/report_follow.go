package flows

import (
	"strconv"
	"strings"

	"tipline"
)

// status answers STATUS <tip ID> in neutral words, for the sender's own
// tips only; a draft in progress then carries on.
func (r *report) status(arg string) {
	tip, ok := r.ownTip(arg)
	if !ok {
		r.refuse(arg)
	} else {
		key := "rpt.status." + tip.Status
		if !contains([]string{TipReceived, TipReviewing, TipClosed}, tip.Status) {
			key = "rpt.status." + TipReceived
		}
		r.say(tipline.Reply{Text: r.text(key, "code", tip.Code)})
	}
	if r.st.Flow == FlowReport && r.st.Step != stepFollowUp && r.st.Step != "" {
		r.ask(r.st.Step)
	}
}

// add starts adding to one of the sender's tips (ADD <tip ID>): what they
// send next lands on it, photos too.
func (r *report) add(arg string) {
	tip, ok := r.ownTip(arg)
	if !ok {
		r.refuse(arg)
		return
	}
	r.st = State{Lang: r.st.Lang, Country: r.st.Country, Flow: FlowReport, Step: stepFollowUp,
		Data: map[string]string{TipKeyCode: tip.Code}}
	r.takePhotos()
	r.say(tipline.Reply{Text: r.text("rpt.add.ask", "code", tip.Code, "menu", display(r.lang(), "menu"))})
}

// refuse answers an ADD or STATUS that names no tip of this sender. A tip
// of someone else and a tip that does not exist get the same words.
func (r *report) refuse(arg string) {
	key := "rpt.tip.unknown"
	if canonNumber(arg) == "" {
		key = "rpt.tip.need_id"
	}
	r.say(tipline.Reply{Text: r.text(key, "add", reportWord(r.lang(), ActAdd), "status", reportWord(r.lang(), ActStatus))})
}

// ownTip finds one of the sender's tips by its ID, typed in any case and
// with any spaces or dashes.
func (r *report) ownTip(arg string) (TipRef, bool) {
	want := canonNumber(arg)
	for _, t := range r.ri.Tips {
		if want != "" && canonNumber(t.Code) == want {
			return t, true
		}
	}
	return TipRef{}, false
}

// followUp adds what the tipster sends after a tip (or after ADD, or a
// staff reply) to that tip. A pressed button from an older message leaves
// for what it offers.
func (r *report) followUp() {
	code := r.st.Data[TipKeyCode]
	if v := r.in.Callback; v != "" {
		r.reset()
		if !r.command(v) {
			r.menu()
		}
		return
	}
	text := strings.TrimSpace(r.in.Text)
	if l := r.in.Location; l != nil {
		text = strings.TrimSpace(text + "\n" + r.text("rpt.summary.location") + " " +
			strconv.FormatFloat(l.Lat, 'f', 6, 64) + ", " + strconv.FormatFloat(l.Lon, 'f', 6, 64))
	}
	r.takePhotos()
	switch {
	case text == "":
		return
	case len([]rune(text)) > maxAppendText:
		r.say(tipline.Reply{Text: r.text("rpt.what.invalid")})
		return
	}
	r.effects = append(r.effects, Effect{Kind: EffectTip, Detail: TipAppend,
		Tip: &Tip{Code: code, Text: text}})
	r.say(tipline.Reply{Text: r.text("rpt.added", "code", code, "menu", display(r.lang(), "menu"))})
}
