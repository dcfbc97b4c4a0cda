package flows

import (
	"strings"

	"tipline"
)

// deepLinkPrefix starts a Telegram /start payload that names a case
// (a poster's QR code): /start case_<id>.
const deepLinkPrefix = "case_"

// keyword runs the keyword layer (DESIGN.md rule 1) and reports whether the
// message was a keyword (then nothing else handles it).
func (t *turn) keyword() bool {
	if p := t.in.Payload; strings.HasPrefix(p, deepLinkPrefix) {
		if t.in.OptedOut {
			t.effect(EffectOptIn, "") // Telegram's /start is START
		}
		t.leaveFlow()
		reportHook().Start(t, ReportCommand{Kind: ReportDeepLink, Arg: strings.TrimPrefix(p, deepLinkPrefix)})
		return true
	}
	if t.in.Callback != "" {
		return false
	}
	k, ok := ParseKeyword(t.in.Text)
	if !ok {
		return false
	}
	if k.Action == ActOptInWhenOut && !(t.in.OptedOut && t.in.Channel == tipline.ChannelSMS) {
		return false // "yes" is an answer, not a keyword, unless it can only mean START
	}
	// START, UNSTOP and the carrier's STOP words are used whatever one's
	// language: they tell nothing about it.
	tells := !k.Carrier && k.Action != ActOptIn
	if k.Lang != "" && tells && (t.st.Lang == "" || k.Action == ActSetLang) {
		t.st.Lang = k.Lang
	}
	switch k.Action {
	case ActOptOut:
		t.optOut(k)
	case ActOptIn, ActOptInWhenOut:
		t.optIn()
	default:
		if t.in.OptedOut {
			t.whileOptedOut(k)
			return true
		}
		t.answerKeyword(k)
	}
	return true
}

// answerKeyword runs the keywords that answer: HELP, DELETE, MENU, LANGUAGE and
// the report commands.
func (t *turn) answerKeyword(k Keyword) {
	switch k.Action {
	case ActHelp:
		t.help()
	case ActDelete:
		t.delete()
	case ActMenu:
		t.leaveFlow()
		t.leaveCrisis()
		t.menu()
	case ActSetLang:
		t.leaveFlow()
		t.menu()
	case ActLanguage:
		t.leaveFlow()
		t.askLanguage()
	case ActReport, ActSeen, ActAdd, ActStatus:
		if t.st.Flow != FlowReport {
			t.leaveFlow()
		}
		reportHook().Start(t, ReportCommand{Kind: k.Action, Arg: k.Arg})
	}
}

// whileOptedOut: nothing is sent to an opted-out contact (a stray message
// does not opt them back in); DELETE still erases, silently.
func (t *turn) whileOptedOut(k Keyword) {
	if k.Action == ActDelete {
		t.st = State{}
		t.effect(EffectDelete, "")
	}
}

// optOut records STOP. On SMS the English carrier words are applied and
// confirmed by the carrier (Twilio), which then blocks our replies, so
// nothing is sent; the Spanish and French words and every word on Telegram
// get one confirmation. Already opted out: nothing.
func (t *turn) optOut(k Keyword) {
	if t.in.OptedOut {
		return
	}
	t.leaveFlow()
	if !(k.Carrier && t.in.Channel == tipline.ChannelSMS) {
		t.say(tipline.Reply{Text: t.text("kw.stop", "start", display(t.lang(), "start"), "emergency", t.emergency())})
	}
	t.effect(EffectOptOut, "")
}

// optIn records START (when opted out) and shows the start menu.
func (t *turn) optIn() {
	if t.in.OptedOut {
		t.effect(EffectOptIn, "")
	}
	t.leaveFlow()
	t.leaveCrisis()
	if t.st.Lang == "" && !t.settleLanguage() {
		return
	}
	t.menu()
	if t.in.OptedOut {
		r := &t.replies[len(t.replies)-1]
		r.Text = t.text("kw.start") + "\n" + r.Text
	}
}

// help answers HELP: a neutral text with the emergency number and the key
// lines for the sender's country (needs.json "help_lines"), without touching the
// current flow.
func (t *turn) help() {
	country, outside := t.lineCountry()
	blocks := []string{t.text("kw.help.head", "emergency", t.emergency())}
	if outside {
		blocks = append(blocks, t.text("emergency.outside"))
	}
	for _, r := range t.resources(needsData.HelpLines[country]) {
		blocks = append(blocks, t.contactLine(r, false))
	}
	blocks = append(blocks, t.text("kw.help.foot", "menu", display(t.lang(), "menu"),
		"delete", display(t.lang(), "delete"), "stop", display(t.lang(), "stop")))
	keep := t.st
	t.sendBlocks(blocks, nil)
	if len(t.st.More) == 0 {
		t.st = keep // a one-page HELP leaves the flow where it was
	}
}

// delete answers DELETE: the confirmation goes out first, then the bot
// erases the sender's data (DESIGN.md rule 6). An unfinished report draft
// is dropped, not kept as an incomplete tip (rule 7).
func (t *turn) delete() {
	key := "kw.delete.sms"
	if t.in.Channel == tipline.ChannelTelegram {
		key = "kw.delete.telegram"
	}
	lang := t.lang()
	t.st = State{Lang: lang}
	t.say(tipline.Reply{Text: t.text(key)})
	t.st = State{}
	t.effect(EffectDelete, "")
}

// leaveFlow ends the current flow; a report draft left half way is kept as
// an incomplete tip (DESIGN.md rule 7).
func (t *turn) leaveFlow() {
	if t.st.Flow == FlowReport {
		t.effects = append(t.effects, reportHook().Abandon(t.st, t.now)...)
	}
	t.reset()
}
