package flows

import (
	"strconv"
	"strings"

	"tipline"
)

// takePhotos takes the photos attached to the message (the bot already
// downloaded and checked them: ReportInput.Media) and says what became of
// them, politely refusing what is not a photo or is too large. It reports
// whether the message had any attachment.
func (r *report) takePhotos() bool {
	if r.in.MediaCount == 0 {
		return false
	}
	have, _ := strconv.Atoi(r.st.Data[tipKeyPhotos])
	problems := map[string]bool{}
	took := 0
	for i := 0; i < r.in.MediaCount; i++ {
		p := MediaFailed
		if i < len(r.ri.Media) {
			p = r.ri.Media[i].Problem
		}
		switch {
		case p != MediaOK:
			problems[p] = true
		case have+took >= maxPhotos:
			problems["limit"] = true
		default:
			took++
		}
	}
	if took > 0 {
		r.ensureDraft()
		r.photos = took
		r.st.Data[tipKeyPhotos] = strconv.Itoa(have + took)
	}
	r.sayPhotoResult(took, problems)
	return true
}

// sayPhotoResult tells what was taken and why anything was refused.
func (r *report) sayPhotoResult(took int, problems map[string]bool) {
	var lines []string
	if took > 0 {
		lines = append(lines, r.text("rpt.photos.got", "count", strconv.Itoa(took)))
	}
	for _, p := range []string{MediaTooLarge, MediaTooBig, MediaNotImage, MediaFailed, "limit"} {
		if problems[p] {
			lines = append(lines, r.text("rpt.media."+p, "max", strconv.Itoa(maxPhotos)))
		}
	}
	if len(lines) > 0 {
		r.say(tipline.Reply{Text: strings.Join(lines, "\n")})
	}
}

// photosStep: done, or text that adds to the description.
func (r *report) photosStep() {
	switch v := r.chosen(); {
	case v == optDone || v == optNoPhoto || r.skipped():
		r.next(stepPhotos)
	case r.in.Location != nil || strings.TrimSpace(r.in.Text) == "":
		r.ask(stepPhotos)
	default:
		desc := strings.TrimSpace(r.st.Data[TipKeyDesc] + "\n" + strings.TrimSpace(r.in.Text))
		if len([]rune(desc)) > maxDescText {
			r.say(tipline.Reply{Text: r.text("rpt.what.invalid")})
		} else {
			r.set(TipKeyDesc, desc)
			r.say(tipline.Reply{Text: r.text("rpt.what.added")})
		}
		r.ask(stepPhotos)
	}
}

// followStep: may staff write back? Yes unless they say no; no means no
// contact step and no follow-up.
func (r *report) followStep() {
	switch r.yesOrNo() {
	case optNo:
		r.set(TipKeyFollow, "no")
		r.set(TipKeyContact, "")
		delete(r.st.Data, tipKeyEdit)
		r.ask(stepSummary)
		return
	case optYes:
		r.set(TipKeyFollow, "")
	default:
		if !r.skipped() {
			r.say(tipline.Reply{Text: r.text("rpt.yesno"), Options: r.yesNo()})
			return
		}
		r.set(TipKeyFollow, "")
	}
	r.next(stepFollow)
}

// contactStep reads optional contact details.
func (r *report) contactStep() {
	switch {
	case r.skipped():
	case !fits(r.in.Text, maxContactText):
		r.say(tipline.Reply{Text: r.text("rpt.contact.invalid"),
			Options: []tipline.Option{r.option(optSkip, "rpt.skip")}})
		return
	default:
		r.set(TipKeyContact, strings.TrimSpace(r.in.Text))
		r.redact = true
	}
	r.next(stepContact)
}

// summary shows the report to confirm, change or discard: what the tipster
// wrote (the place, a time that was not understood, what they saw), cut
// to summaryClip characters, and what was understood. Contact details
// are only said to be given: the message that held them is redacted from
// the stored transcript, and the summary is stored too.
// On SMS a long summary goes out as several messages at once, the
// options on the last.
func (r *report) summary() {
	r.st.Flow, r.st.Step = FlowReport, stepSummary
	d := r.st.Data
	blocks := []string{r.text("rpt.summary.head"), r.text("rpt.summary.case", "value", r.caseSummary())}
	if d[TipKeyUrgent] == "1" {
		blocks = append(blocks, r.text("rpt.summary.urgent"))
	}
	blocks = append(blocks,
		r.text("rpt.summary.when", "value", r.whenSummary()),
		r.text("rpt.summary.place", "value", r.placeSummary()),
		r.text("rpt.summary.what", "value", r.written(d[TipKeyDesc], summaryClip)))
	if n := d[tipKeyPhotos]; n != "" {
		blocks = append(blocks, r.text("rpt.summary.photos", "value", n))
	}
	follow := r.text("rpt.yes")
	if d[TipKeyFollow] == "no" {
		follow = r.text("rpt.no")
	}
	blocks = append(blocks, r.text("rpt.summary.follow", "value", follow))
	if d[TipKeyFollow] != "no" {
		blocks = append(blocks, r.text("rpt.summary.contact", "value", r.given(d[TipKeyContact])))
	}
	opts := []tipline.Option{r.option(optConfirm, "rpt.confirm"), r.option(optEdit, "rpt.edit"),
		r.option(optDiscard, "rpt.discard")}
	r.sendAll(blocks, opts)
}

// summaryClip is the most of one free-text answer the summary repeats.
const summaryClip = 80

// written repeats a free-text answer, cut to max characters.
func (r *report) written(v string, max int) string {
	if strings.TrimSpace(v) == "" {
		return r.text("rpt.summary.none")
	}
	return clip(strings.Join(strings.Fields(v), " "), max)
}

// given says whether a free-text answer was given, without repeating it.
func (r *report) given(v string) string {
	if v == "" {
		return r.text("rpt.summary.none")
	}
	return r.text("rpt.summary.given")
}

// sendAll sends blocks now, as one message on Telegram and as many SMS
// pages as needed (none waits for MORE), the options on the last.
func (r *report) sendAll(blocks []string, opts []tipline.Option) {
	if r.in.Channel != tipline.ChannelSMS {
		r.say(tipline.Reply{Text: strings.Join(blocks, "\n"), Options: opts})
		return
	}
	pages := packPages(r.text("neutral.header"), blocks, opts)
	for i, p := range pages {
		if i == len(pages)-1 {
			r.say(tipline.Reply{Text: p, Options: opts})
		} else {
			r.say(tipline.Reply{Text: p})
		}
	}
}

func (r *report) caseSummary() string {
	if l := r.st.Data[tipKeyLabel]; l != "" {
		return l
	}
	if r.st.Data[TipKeyCaseText] != "" {
		return r.text("rpt.summary.case_unmatched")
	}
	return r.text("rpt.summary.none")
}

func (r *report) whenSummary() string {
	d := r.st.Data
	if at, ok := parseStamp(d[TipKeySeenAt]); ok {
		return formatWhen(at.In(r.tz()), r.lang(), r.now.In(r.tz()))
	}
	if d[TipKeySeenText] != "" {
		return r.written(d[TipKeySeenText], summaryClip)
	}
	return r.text("rpt.summary.none")
}

func (r *report) placeSummary() string {
	d := r.st.Data
	var parts []string
	if d[TipKeyPlace] != "" {
		parts = append(parts, r.written(d[TipKeyPlace], summaryClip))
	}
	if d[TipKeyLat] != "" {
		parts = append(parts, r.text("rpt.summary.location"))
	}
	if len(parts) == 0 {
		return r.text("rpt.summary.none")
	}
	return strings.Join(parts, ", ")
}

// summaryStep: send, change or discard. Discarding takes a number or the
// word (never CANCEL or STOP, which are opt-out words on SMS).
func (r *report) summaryStep() {
	switch r.chosen() {
	case optConfirm:
		r.confirm()
	case optEdit:
		r.ask(stepEdit)
	case optDiscard:
		r.discard()
	default:
		r.say(tipline.Reply{Text: r.text("rpt.summary.choose")})
		r.summary()
	}
}

// confirm completes the tip and gives its ID; the chat then follows up on
// it.
func (r *report) confirm() {
	code := r.st.Data[TipKeyCode]
	r.op, r.dirty = TipSubmit, true
	r.finish()
	r.dirty, r.photos, r.page = false, 0, false
	r.say(tipline.Reply{Text: r.text("rpt.done_thanks", "code", code,
		"add", reportWord(r.lang(), ActAdd), "status", reportWord(r.lang(), ActStatus))})
	r.st = State{Lang: r.st.Lang, Country: r.st.Country, Flow: FlowReport, Step: stepFollowUp,
		Data: map[string]string{TipKeyCode: code}}
}

// discard deletes the draft at the tipster's word.
func (r *report) discard() {
	if code := r.st.Data[TipKeyCode]; code != "" {
		r.effects = append(r.effects, Effect{Kind: EffectTip, Detail: TipDiscard, Tip: &Tip{Code: code}})
	}
	r.dirty, r.photos, r.page = false, 0, false
	r.say(tipline.Reply{Text: r.text("rpt.discarded", "emergency", r.emergency())})
	r.reset()
}

// askEdit offers every answer to change.
func (r *report) askEdit() {
	r.st.Step = stepEdit
	var opts []tipline.Option
	for _, s := range []string{stepCase, stepDanger, stepWhen, stepPlace, stepWhat, stepPhotos, stepFollow, stepContact} {
		opts = append(opts, r.option(optEditPfx+s, "rpte."+s))
	}
	r.say(tipline.Reply{Text: r.text("rpt.edit.ask"), Options: opts})
}

// editStep asks the chosen question again; its answer returns to the
// summary.
func (r *report) editStep() {
	v := r.chosen()
	step, ok := strings.CutPrefix(v, optEditPfx)
	if !ok || !contains(askOrder, step) {
		r.askEdit()
		return
	}
	r.st.Data[tipKeyEdit] = "1"
	r.ask(step)
}
