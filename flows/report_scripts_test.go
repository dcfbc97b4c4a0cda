package flows

import (
	"time"

	"tipline"
)

var (
	tgOnly  = []tipline.Channel{tipline.ChannelTelegram}
	smsOnly = []tipline.Channel{tipline.ChannelSMS}
)

// say, choose and the others build report acts.
func say(text string) ract     { return ract{act: act{say: text}} }
func choose(value string) ract { return ract{act: act{choose: value}} }
func sayOn(ch tipline.Channel, text string) ract {
	return ract{act: act{say: text, only: ch}}
}

func chooseOn(ch tipline.Channel, value string) ract {
	return ract{act: act{choose: value, only: ch}}
}

// reportScripts are the transcript tests of issue 5 (acceptance 1), each
// played on SMS and Telegram unless the channel cannot do it, and compared
// with testdata/report_<name>.<channel>.txt.
var reportScripts = []rscript{
	{name: "report_by-number", country: "US", hint: "en", channels: both, acts: []ract{
		say("hi"),
		choose("start:report"),
		say("2026-0142"),
		choose(optNo),
		say("today at 3pm"),
		say("Bus depot on 5th Ave and Main St, Springfield"),
		say("Girl in a red hoodie with an older man, got into a grey van heading north"),
		choose(optNoPhoto),
		choose(optYes),
		choose(optSkip),
		choose(optConfirm),
	}},
	{name: "report_deep-link", hint: "en", channels: tgOnly, acts: []ract{
		{act: act{say: "/start"}, payload: "case_k3v9q2m7x4c8d6b1n5ha"},
		choose(optNo),
		choose(optNow),
		{act: act{loc: &tipline.Location{Lat: 40.752123, Lon: -73.993456}}},
		say("She was at the food court with two teenagers, black backpack"),
		{media: []string{MediaOK, MediaOK}},
		{act: act{say: "this one shows the backpack"}, media: []string{MediaOK}},
		choose(optDone),
		choose(optYes),
		say("Sam, call me after 6pm"),
		choose(optConfirm),
	}},
	{name: "report_seen-photos", country: "US", channels: smsOnly, acts: []ract{
		say("SEEN 2026-0157"),
		say("no"),
		say("yesterday 15:30"),
		say("Walmart parking lot, Route 9, Albany"),
		say("Jayden was with a woman in a blue car"),
		{media: []string{MediaOK, MediaTooLarge, MediaNotImage}},
		{media: []string{MediaTooBig}},
		say("done"),
		say("yes"),
		say("skip"),
		say("1"),
	}},
	{name: "report_fuzzy-name", country: "US", hint: "en", channels: both, acts: []ract{
		say("REPORT"),
		say("marai lopes"),
		choose(optCasePfx + "k3v9q2m7x4c8d6b1n5ha"),
		choose(optNo),
		choose(optSkip),
		choose(optSkip),
		say("a girl who looks like the poster, crying"),
		choose(optNoPhoto),
		choose(optYes),
		choose(optSkip),
		choose(optConfirm),
	}},
	{name: "report_urgent", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-0142"),
		choose(optYes),
		choose(optNow),
		say("Gas station on Route 1, Linden"),
		say("A man is pulling her into a truck right now"),
		choose(optNoPhoto),
		choose(optYes),
		choose(optSkip),
		choose(optConfirm),
	}},
	{name: "report_no-follow-up", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-0142"),
		choose(optNo),
		say("Monday around 8"),
		say("Library on Elm St"),
		say("She was reading alone"),
		choose(optNoPhoto),
		choose(optNo),
		choose(optConfirm),
	}},
	{name: "report_discard", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-0142"),
		choose(optNo),
		say("sometime last week I think"),
		choose(optSkip),
		choose(optSkip),
		choose(optSkip),
		choose(optNoPhoto),
		choose(optYes),
		choose(optSkip),
		say("discard"),
	}},
	{name: "report_edit", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-0142"),
		choose(optNo),
		say("at 3"),
		say("Central station"),
		say("Blue jacket"),
		choose(optNoPhoto),
		choose(optYes),
		choose(optSkip),
		choose(optEdit),
		choose(optEditPfx + stepWhen),
		say("March 13 at 9:15 pm"),
		choose(optEdit),
		choose(optEditPfx + stepPlace),
		say("Central station, platform 4, Newark"),
		choose(optConfirm),
	}},
	{name: "report_abandoned", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-0142"),
		choose(optNo),
		say("around noon"),
		{act: act{say: "hi", wait: 31 * time.Minute}},
	}},
	{name: "report_add-status", country: "US", hint: "en", channels: both,
		tips: []TipRef{{Code: reportCode, Status: TipReviewing, CreatedAt: t0.Add(-48 * time.Hour)}}, acts: []ract{
			say("STATUS k7m2q9xh"),
			say("ADD K7M2Q9XH"),
			say("I saw the same van again on Route 9"),
			{media: []string{MediaOK}},
			say("MENU"),
		}},
	{name: "report_add-refused", country: "US", hint: "en", channels: both, acts: []ract{
		say("ADD " + otherCode),
		say("ADD QQQQ2222"),
		say("STATUS " + otherCode),
		say("STATUS QQQQ2222"),
	}},
	{name: "report_case-unknown", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-9999"),
		say("SEEN 2026-0160"),
		say("SEEN 2025-0031"),
		choose(optSkip),
	}},
	{name: "report_cancel", country: "US", hint: "en", channels: both, acts: []ract{
		say("SEEN 2026-0142"),
		choose(optNo),
		say("CANCEL"),
		say("hello?"),
	}},
	{name: "report_spanish", country: "US", hint: "es", channels: both, acts: []ract{
		say("VISTO 2026-0142"),
		choose(optNo),
		say("hoy a las 5 de la tarde"),
		sayOn(tipline.ChannelSMS, "Parada de autobús de la calle 8, Miami"),
		{act: act{loc: &tipline.Location{Lat: 25.7743, Lon: -80.1937}, only: tipline.ChannelTelegram}},
		say("Llevaba una sudadera roja y estaba con un hombre mayor"),
		choose(optNoPhoto),
		choose(optYes),
		say("Ana, por la tarde"),
		choose(optConfirm),
	}},
	{name: "report_french", country: "CA", hint: "fr-CA", channels: both, acts: []ract{
		say("VU 2026-0157"),
		choose(optYes),
		say("hier à 15h30"),
		say("Métro Berri-UQAM, Montréal"),
		say("Il portait un manteau vert, avec une femme"),
		choose(optNoPhoto),
		chooseOn(tipline.ChannelSMS, optNo),
		chooseOn(tipline.ChannelTelegram, optYes),
		chooseOn(tipline.ChannelTelegram, optSkip),
		choose(optConfirm),
	}},
}
