package flows

import (
	"strconv"
	"strings"

	"tipline"
)

// Option values of the report flow. A value "rpt:x" is labelled by the
// catalogue key "rpt.x" (optionLabelKey), so typing a label works too.
const (
	optSkip    = "rpt:skip"
	optYes     = "rpt:yes"
	optNo      = "rpt:no"
	optNow     = "rpt:now"
	optNoPhoto = "rpt:nophoto"
	optDone    = "rpt:done"
	optConfirm = "rpt:confirm"
	optEdit    = "rpt:edit"
	optDiscard = "rpt:discard"
	optNoCase  = "rpt:nocase"
	optCasePfx = "rptc:" // + case public id
	optEditPfx = "rpte:" // + step to change
)

// ask asks the question of step and waits for its answer.
func (r *report) ask(step string) {
	r.st.Flow, r.st.Step = FlowReport, step
	skip := r.option(optSkip, "rpt.skip")
	switch step {
	case stepCase:
		r.say(tipline.Reply{Text: r.text("rpt.case.ask"), Options: []tipline.Option{skip}})
	case stepDanger:
		r.say(tipline.Reply{Text: r.caseLine() + r.text("rpt.danger.ask"), Options: r.yesNo()})
	case stepWhen:
		r.say(tipline.Reply{Text: r.text("rpt.when.ask"), Options: []tipline.Option{r.option(optNow, "rpt.now"), skip}})
	case stepPlace:
		r.askPlace()
	case stepWhat:
		r.say(tipline.Reply{Text: r.text("rpt.what.ask"), Options: []tipline.Option{skip}})
	case stepPhotos:
		r.askPhotos()
	case stepFollow:
		r.say(tipline.Reply{Text: r.text("rpt.follow.ask"), Options: r.yesNo()})
	case stepContact:
		r.say(tipline.Reply{Text: r.text("rpt.contact.ask"), Options: []tipline.Option{skip}})
	case stepSummary:
		r.summary()
	case stepEdit:
		r.askEdit()
	default:
		r.ask(stepCase)
	}
}

// caseLine confirms the case just chosen, on the question that follows it.
func (r *report) caseLine() string {
	if l := r.st.Data[tipKeyLabel]; l != "" && r.st.Data[tipKeyEdit] == "" {
		return r.text("rpt.case.found", "case", l) + "\n"
	}
	return ""
}

func (r *report) yesNo() []tipline.Option {
	return []tipline.Option{r.option(optYes, "rpt.yes"), r.option(optNo, "rpt.no")}
}

// askPlace asks where; Telegram also gets a share-location button.
func (r *report) askPlace() {
	text := r.text("rpt.place.ask")
	tg := r.in.Channel == tipline.ChannelTelegram
	if tg {
		text += "\n" + r.text("rpt.place.share")
	}
	r.say(tipline.Reply{Text: text, AskLocation: tg, Options: []tipline.Option{r.option(optSkip, "rpt.skip")}})
}

// askPhotos offers to take photos, with the rule about sexual images and
// where those go instead (NCMEC's CyberTipline, from the directory).
func (r *report) askPhotos() {
	if n := r.st.Data[tipKeyPhotos]; n != "" {
		r.say(tipline.Reply{Text: r.text("rpt.photos.more", "count", n),
			Options: []tipline.Option{r.option(optDone, "rpt.done")}})
		return
	}
	r.say(tipline.Reply{Text: r.text("rpt.photos.ask", "max", strconv.Itoa(maxPhotos)) + "\n" + r.neverSexual(),
		Options: []tipline.Option{r.option(optNoPhoto, "rpt.nophoto")}})
}

// neverSexual says never to send sexual images of a child, and where those
// go instead: NCMEC's CyberTipline, as the directory shows it.
func (r *report) neverSexual() string {
	res, ok := r.e.Dir.Get("us-ncmec-cybertipline")
	if !ok || !reachable(res) {
		return r.text("rpt.photos.never_plain")
	}
	how := strings.TrimPrefix(res.URL, "https://")
	if how == "" {
		how = r.howToReach(res, false)
	}
	return r.text("rpt.photos.never", "cybertip", res.Name+" "+how)
}

// answer handles the message as the answer to the current step.
func (r *report) answer() {
	switch r.st.Step {
	case stepCase:
		r.caseStep()
	case stepCasePick:
		r.casePick()
	case stepDanger:
		r.dangerStep()
	case stepWhen:
		r.whenStep()
	case stepPlace:
		r.placeStep()
	case stepWhat:
		r.whatStep()
	default:
		r.laterStep()
	}
}

// laterStep handles the steps from the photos on.
func (r *report) laterStep() {
	switch r.st.Step {
	case stepPhotos:
		r.photosStep()
	case stepFollow:
		r.followStep()
	case stepContact:
		r.contactStep()
	case stepSummary:
		r.summaryStep()
	case stepEdit:
		r.editStep()
	case stepFollowUp:
		r.followUp()
	default:
		r.ask(stepCase)
	}
}

// chosen resolves the message against the options offered last.
func (r *report) chosen() string {
	v, _ := r.choice()
	return v
}

// skipped reports whether the message skips the question: the Skip option
// or a skip word.
func (r *report) skipped() bool {
	return r.chosen() == optSkip || isWord(keywordData.Skip, r.norm)
}

// dangerStep: yes → "call 911 now" first, urgent, staff paged; the flow
// continues either way.
func (r *report) dangerStep() {
	switch r.yesOrNo() {
	case optYes:
		if !r.hit {
			r.say(tipline.Reply{Text: r.text("rpt.call_now", "emergency", r.emergency())})
			r.page = r.st.Data[TipKeyUrgent] != "1"
		}
		r.set(TipKeyUrgent, "1")
	case optNo:
		if !r.hit {
			r.set(TipKeyUrgent, "")
		}
	default:
		r.say(tipline.Reply{Text: r.text("rpt.yesno"), Options: r.yesNo()})
		return
	}
	r.next(stepDanger)
}

// yesOrNo reads a yes or a no: a button, a number, a label, or an answer
// that starts with a yes or no word in any of the languages.
func (r *report) yesOrNo() string {
	switch v := r.chosen(); v {
	case optYes, optNo:
		return v
	}
	first, _, _ := strings.Cut(r.norm, " ")
	switch {
	case contains(yesWords, first):
		return optYes
	case contains(noWords, first):
		return optNo
	}
	return ""
}

// Words that answer yes or no, normalised, in English, Spanish and French.
var (
	yesWords = []string{"yes", "y", "yeah", "yep", "sure", "ok", "okay", "si", "claro", "oui", "ouais", "dacc", "daccord"}
	noWords  = []string{"no", "n", "nope", "non", "nah"}
)

// whenStep reads when they saw the child; the text is always kept as
// written, the time when it can be read.
func (r *report) whenStep() {
	switch {
	case r.chosen() == optNow:
		r.set(TipKeySeenAt, r.now.UTC().Format(timeLayout))
		r.set(TipKeySeenText, r.text("rpt.now"))
	case r.skipped():
	case !fits(r.in.Text, maxWhenText):
		r.say(tipline.Reply{Text: r.text("rpt.when.unclear"), Options: r.whenOptions()})
		return
	default:
		at, err := ParseWhen(r.in.Text, r.lang(), r.now, r.tz())
		r.set(TipKeySeenText, strings.TrimSpace(r.in.Text))
		if err != nil {
			r.set(TipKeySeenAt, "")
			key := "rpt.when.unclear"
			if err == errFuture {
				key = "rpt.when.future"
			}
			r.say(tipline.Reply{Text: r.text(key), Options: r.whenOptions()})
			return
		}
		r.set(TipKeySeenAt, at.UTC().Format(timeLayout))
	}
	r.next(stepWhen)
}

func (r *report) whenOptions() []tipline.Option {
	return []tipline.Option{r.option(optNow, "rpt.now"), r.option(optSkip, "rpt.skip")}
}

// placeStep reads where: a shared location, or a place in words, kept as
// written.
func (r *report) placeStep() {
	switch {
	case r.in.Location != nil:
		r.set(TipKeyLat, strconv.FormatFloat(r.in.Location.Lat, 'f', 6, 64))
		r.set(TipKeyLon, strconv.FormatFloat(r.in.Location.Lon, 'f', 6, 64))
	case r.skipped():
	case !fits(r.in.Text, maxPlaceText):
		r.say(tipline.Reply{Text: r.text("rpt.place.invalid"),
			Options: []tipline.Option{r.option(optSkip, "rpt.skip")}})
		return
	default:
		r.set(TipKeyPlace, strings.TrimSpace(r.in.Text))
		r.set(TipKeyLat, "")
		r.set(TipKeyLon, "")
	}
	r.next(stepPlace)
}

// whatStep reads what they saw.
func (r *report) whatStep() {
	first := r.st.Data[tipKeyDescFirst] == "1"
	switch {
	case r.skipped():
	case !fits(r.in.Text, maxDescText):
		r.say(tipline.Reply{Text: r.text("rpt.what.invalid"),
			Options: []tipline.Option{r.option(optSkip, "rpt.skip")}})
		return
	case first:
		r.set(TipKeyDesc, clip(r.st.Data[TipKeyDesc]+"\n"+strings.TrimSpace(r.in.Text), maxDescText))
	default:
		r.set(TipKeyDesc, strings.TrimSpace(r.in.Text))
	}
	delete(r.st.Data, tipKeyDescFirst)
	r.next(stepWhat)
}
