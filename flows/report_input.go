package flows

import (
	"strconv"
	"strings"
	"time"

	"tipline"
)

// ReportInput is what the sighting-report flow needs to know beyond the
// message, loaded by the bot as plain data (the flows do no I/O). The bot
// fills it when NeedsReportData says so; nil means none of it is known.
type ReportInput struct {
	// Cases are the public, active cases. Private, closed and found cases
	// are left out, so they answer exactly as an unknown case does
	// (DESIGN.md rule 12).
	Cases []Case
	// Tips are the sender's own tips, newest first: ADD and STATUS work on
	// these only, and anything else is refused identically.
	Tips []TipRef
	// Media holds one result per attachment of this message, in order.
	Media []MediaResult
	// NewCode is a fresh, unguessable tip ID, used when this message starts
	// a draft.
	NewCode string
}

// Case is one public, active case as the report flow sees it.
type Case struct {
	ID     string // the unguessable public id of deep links (case_<ID>)
	Number string // the case number on posters
	Name   string // display name
	Age    int    // 0 when unknown
}

// Neutral tip statuses, as STATUS answers them.
const (
	TipReceived  = "received"
	TipReviewing = "reviewing"
	TipClosed    = "closed"
)

// TipRef is one of the sender's tips.
type TipRef struct {
	Code      string
	Status    string // TipReceived, TipReviewing or TipClosed
	CreatedAt time.Time
}

// Problems of an attachment, as MediaResult.Problem.
const (
	MediaOK       = ""                // accepted: the bot holds a stripped copy
	MediaTooLarge = "too_large"       // over the byte limit
	MediaTooBig   = "too_many_pixels" // over the pixel or side limit
	MediaNotImage = "not_image"       // a video, a document or anything else
	MediaFailed   = "failed"          // could not be downloaded
)

// MediaResult is what became of one attachment before the flow saw it.
type MediaResult struct {
	Problem string
}

// Effect operations of EffectTip (Effect.Detail). Draft, Submit and
// Abandon carry the whole draft in Effect.Tip; the others carry the code
// and, for Append, the text, for Media the count.
const (
	TipDraft   = "draft"   // create or update the unfinished draft
	TipSubmit  = "submit"  // the tipster confirmed: the tip is complete
	TipAbandon = "abandon" // given up half way: kept as an incomplete tip
	TipDiscard = "discard" // the tipster discarded the draft: delete it
	TipAppend  = "append"  // later text from the tipster, added to a tip
	TipMedia   = "media"   // store this message's accepted photos on the tip
)

// Tip is the tip an EffectTip carries from the report flow to the
// bot (Effect.Tip). Empty fields are values not given.
type Tip struct {
	Code       string     // the tip ID
	Case       string     // public id of the case, "" when none
	CaseText   string     // what the tipster typed for a case we did not match
	Urgent     bool       // the child is in danger now
	SeenAt     *time.Time // when, understood; nil when not
	SeenText   string     // when, as written
	Place      string     // where, as written
	Lat, Lon   *float64   // a shared location, decimal degrees
	Desc       string     // what they saw
	NoFollowUp bool       // staff may not write back
	Contact    string     // contact details the tipster gave (sealed by the bot)
	Lang       string     // the conversation's language
	Text       string     // TipAppend: the text added
	Count      int        // TipMedia: how many photos were accepted
	At         time.Time  // TipSubmit, TipAbandon: when the step happened
	Redact     bool       // this message holds contact details; keep no clear copy of it
}

// Keys of a report's answers in State.Data. Absent keys are empty values.
const (
	TipKeyCode     = "code"       // the tip ID
	TipKeyCase     = "case"       // public id of the case, "" when none
	TipKeyCaseText = "case_text"  // what the tipster typed for a case we did not match
	TipKeyUrgent   = "urgent"     // "1": the child is in danger now
	TipKeySeenAt   = "seen_at"    // RFC 3339, "" when not understood
	TipKeySeenText = "seen_text"  // when, as written
	TipKeyPlace    = "place"      // where, as written
	TipKeyLat      = "lat"        // a shared location, decimal degrees
	TipKeyLon      = "lon"        //
	TipKeyDesc     = "desc"       // what they saw
	TipKeyFollow   = "follow"     // "no": staff may not write back
	TipKeyContact  = "contact"    // contact details the tipster gave (sealed by the bot)
	TipKeyLang     = "lang"       // the conversation's language
	tipKeyPhotos   = "photos"     // photos on the draft (state only)
	tipKeyEdit     = "edit"       // "1": answering a step chosen from the summary (state only)
	tipKeyLabel    = "case_label" // how the case is shown back (state only)
)

// NeedsReportData reports whether the bot should load a ReportInput for
// this message: the conversation is in the report flow or its start menu,
// or the message is a report keyword, a case deep link or the menu's
// report button. Other messages never need it, which keeps youth turns
// free of the extra queries.
func NeedsReportData(st State, in Input) bool {
	if st.Flow == FlowReport || strings.HasPrefix(in.Payload, deepLinkPrefix) || in.Callback == "start:report" {
		return true
	}
	if k, ok := ParseKeyword(in.Text); ok {
		return argActions[k.Action]
	}
	return picksReport(st, in.Text)
}

// picksReport reports whether text answers the start menu with "Report a
// sighting": its number on SMS, or its label typed in any language.
func picksReport(st State, text string) bool {
	if st.Flow != FlowNone || st.Step != stepMenu {
		return false
	}
	n := Normalize(text)
	for i, v := range st.Options {
		if v == "start:report" && n == strconv.Itoa(i+1) {
			return true
		}
	}
	for _, lang := range Langs {
		if n != "" && n == normText(lang, "start.report") {
			return true
		}
	}
	return false
}

// WantsMedia reports whether attachments of this message may be taken (and
// so are worth downloading): only inside the report flow or with ADD.
func WantsMedia(st State, text string) bool {
	if st.Flow == FlowReport {
		return true
	}
	k, ok := ParseKeyword(text)
	return ok && k.Action == ActAdd
}

// FollowUpState is the state after staff wrote to a tipster about tip
// code: their next messages land on that tip. A conversation busy with
// something else (a draft, the help flow) is left as it is.
func FollowUpState(st State, code string) State {
	busy := st.Flow == FlowHelp && st.Step != stepDone ||
		st.Flow == FlowReport && st.Step != stepFollowUp
	if busy {
		return st
	}
	return State{Lang: st.Lang, Country: st.Country, Flow: FlowReport, Step: stepFollowUp,
		Data: map[string]string{TipKeyCode: code}}
}

// StaffReplyText is the message that carries a staff reply to a tipster,
// in their language: who it is from, the tip ID, then the text.
func StaffReplyText(lang, code, text string) tipline.Reply {
	if !contains(Langs, lang) {
		lang = "en"
	}
	head := messages.Text(lang, "rpt.staff_reply", "code", code, "add", reportWord(lang, ActAdd))
	return tipline.Reply{Text: ensureNeutral(head+"\n"+strings.TrimSpace(text), lang)}
}
