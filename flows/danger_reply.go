package flows

import (
	"strings"

	"tipline"
	"tipline/directory"
)

// danger runs the danger screen on the message (DESIGN.md rules 2 and 3)
// and reports whether it hit. A hit flags the conversation and pages staff
// every time; it is answered at once with the emergency number first, then
// the lines that fit the categories hit in the sender's country, except on
// SMS after STOP, where the carrier would block the answer.
func (t *turn) danger() bool {
	hit, ok := dangerScreen.match(words(t.norm))
	if !ok {
		return false
	}
	t.hit = true
	if t.st.Lang == "" {
		t.st.Lang = hit.Lang
	}
	t.effects = append(t.effects,
		Effect{Kind: EffectHighRisk, Detail: hit.Category, Lang: hit.Lang},
		Effect{Kind: EffectPage, Detail: "danger:" + hit.Category, Lang: hit.Lang})
	if t.in.OptedOut && t.in.Channel == tipline.ChannelSMS {
		return true
	}
	for _, text := range t.dangerPages(hit) {
		t.replies = append(t.replies, tipline.Reply{Text: ensureNeutral(text, t.lang())})
	}
	t.st.Options = nil // an earlier question's numbers no longer apply
	return true
}

// dangerPages builds the answer to a hit: "If you are in danger, call 911
// now." first, then (unknown country) the local-emergency line, then the
// lines for every category hit. On SMS it is split into as many pages as
// needed, all sent at once: a crisis answer never waits for MORE.
func (t *turn) dangerPages(hit Hit) []string {
	country, outside := t.lineCountry()
	blocks := []string{t.text("danger.first", "emergency", t.emergency())}
	if outside {
		blocks = append(blocks, t.text("emergency.outside"))
	}
	if rs := t.dangerLines(hit, country); len(rs) > 0 {
		blocks = append(blocks, t.resourceBlocks("danger.more", rs, false)...)
	}
	if t.in.Channel != tipline.ChannelSMS {
		return []string{strings.Join(blocks, "\n")}
	}
	return packPages(t.text("neutral.header"), blocks, nil)
}

// dangerLines returns the directory records for the categories hit, in
// order, without repeats.
func (t *turn) dangerLines(hit Hit, country string) []directory.Resource {
	var ids []string
	for _, c := range hit.Categories {
		for _, id := range dangerData.Lines[c][country] {
			if !contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return t.resources(ids)
}
