package flows

import (
	"strings"
	"testing"
	"time"

	"tipline"
)

func TestParseKeyword(t *testing.T) {
	cases := []struct {
		text   string
		action Action
		lang   string
		arg    string
	}{
		{"STOP", ActOptOut, "en", ""},
		{" stop. ", ActOptOut, "en", ""},
		{"Unsubscribe", ActOptOut, "en", ""},
		{"CANCEL", ActOptOut, "en", ""},
		{"opt-out", ActOptOut, "en", ""},
		{"PARAR", ActOptOut, "es", ""},
		{"Cancelar", ActOptOut, "es", ""},
		{"ARRÊT", ActOptOut, "fr", ""},
		{"arret", ActOptOut, "fr", ""},
		{"Désabonner", ActOptOut, "fr", ""},
		{"START", ActOptIn, "en", ""},
		{"/start", ActOptIn, "en", ""},
		{"UNSTOP", ActOptIn, "en", ""},
		{"yes", ActOptInWhenOut, "en", ""},
		{"Sí", ActOptInWhenOut, "es", ""},
		{"HELP", ActHelp, "en", ""},
		{"info", ActHelp, "", ""},
		{"AYUDA", ActHelp, "es", ""},
		{"aide", ActHelp, "fr", ""},
		{"DELETE", ActDelete, "en", ""},
		{"borrar", ActDelete, "es", ""},
		{"SUPPRIMER", ActDelete, "fr", ""},
		{"effacer", ActDelete, "fr", ""},
		{"menu", ActMenu, "", ""},
		{"Menú", ActMenu, "", ""},
		{"LANGUAGE", ActLanguage, "en", ""},
		{"idioma", ActLanguage, "es", ""},
		{"langue", ActLanguage, "fr", ""},
		{"español", ActSetLang, "es", ""},
		{"Français", ActSetLang, "fr", ""},
		{"REPORT", ActReport, "en", ""},
		{"seen 4821", ActSeen, "en", "4821"},
		{"SEEN #mc-204", ActSeen, "en", "MC-204"},
		{"add k7m2p9", ActAdd, "en", "K7M2P9"},
		{"STATUS K7M2P9", ActStatus, "en", "K7M2P9"},
		{"estado k7m2p9", ActStatus, "es", "K7M2P9"},
		{"ajouter k7m2p9", ActAdd, "fr", "K7M2P9"},
	}
	for _, c := range cases {
		k, ok := ParseKeyword(c.text)
		if !ok || k.Action != c.action || k.Lang != c.lang || k.Arg != c.arg {
			t.Errorf("ParseKeyword(%q) = %+v %v, want %s/%s/%q", c.text, k, ok, c.action, c.lang, c.arg)
		}
	}
}

func TestKeywordsAreWholeMessagesOnly(t *testing.T) {
	for _, text := range []string{"stop please", "make it stop", "help me", "I need help", "can you delete that",
		"start over", "end of the day", "alto ahí", "arrêt de bus", "seen a girl at the depot", "add my friend please", ""} {
		if k, ok := ParseKeyword(text); ok {
			t.Errorf("ParseKeyword(%q) = %+v: keywords match whole messages only", text, k)
		}
	}
}

func TestCarrierWords(t *testing.T) {
	for _, w := range []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"} {
		k, ok := ParseKeyword(w)
		if !ok || k.Action != ActOptOut || !k.Carrier {
			t.Errorf("%s: %+v %v, want a carrier opt-out word", w, k, ok)
		}
	}
}

// step runs one message through a fresh engine.
func step(t *testing.T, st State, in Input) Output {
	t.Helper()
	return testEngine(t).Step(st, in, t0)
}

func TestStopPerChannel(t *testing.T) {
	cases := []struct {
		ch      tipline.Channel
		text    string
		replies int
	}{
		{tipline.ChannelSMS, "STOP", 0},      // Twilio confirms and blocks our reply
		{tipline.ChannelSMS, "QUIT", 0},      // idem
		{tipline.ChannelSMS, "PARAR", 1},     // not a Twilio default: we confirm once
		{tipline.ChannelSMS, "ARRÊT", 1},     // idem
		{tipline.ChannelTelegram, "STOP", 1}, // Telegram: we confirm
		{tipline.ChannelTelegram, "/stop", 1},
	}
	for _, c := range cases {
		mid := State{Lang: "en", Flow: FlowHelp, Step: stepNeed, Options: []string{"need:food"}, Waiting: t0}
		out := step(t, mid, Input{Channel: c.ch, Text: c.text})
		if !hasEffect(out, EffectOptOut) || len(out.Replies) != c.replies {
			t.Errorf("%s %s: %d replies, effects %v; want %d replies and opt_out", c.ch, c.text, len(out.Replies), out.Effects, c.replies)
		}
		if out.State.Flow != FlowNone || len(out.State.Options) != 0 {
			t.Errorf("%s %s: flow left at %+v", c.ch, c.text, out.State)
		}
		for _, r := range out.Replies {
			if !strings.Contains(r.Text, "START") || !strings.Contains(r.Text, "911") {
				t.Errorf("%s %s: confirmation %q should say how to come back and give 911", c.ch, c.text, r.Text)
			}
		}
	}
}

func TestOptedOutGetsNothingButStartAndDanger(t *testing.T) {
	st := State{Lang: "en"}
	for _, ch := range both {
		for _, text := range []string{"hello?", "HELP", "MENU", "1", "yes please", "STOP", "10001"} {
			out := step(t, st, Input{Channel: ch, Text: text, OptedOut: true})
			if len(out.Replies) != 0 || hasEffect(out, EffectOptIn) {
				t.Errorf("%s opted out, %q: replies %v effects %v", ch, text, out.Replies, out.Effects)
			}
		}
		out := step(t, st, Input{Channel: ch, Text: "DELETE", OptedOut: true})
		if !hasEffect(out, EffectDelete) || len(out.Replies) != 0 {
			t.Errorf("%s opted out, DELETE: %v %v", ch, out.Replies, out.Effects)
		}
		out = step(t, st, Input{Channel: ch, Text: "START", OptedOut: true})
		if !hasEffect(out, EffectOptIn) || len(out.Replies) != 1 {
			t.Errorf("%s START: %v %v", ch, out.Replies, out.Effects)
		}
	}
	if out := step(t, st, Input{Channel: tipline.ChannelSMS, Text: "YES", OptedOut: true}); !hasEffect(out, EffectOptIn) {
		t.Error("SMS YES while opted out must opt in")
	}
	if out := step(t, st, Input{Channel: tipline.ChannelTelegram, Text: "yes", OptedOut: true}); hasEffect(out, EffectOptIn) {
		t.Error("Telegram yes must not opt in")
	}
	if out := step(t, st, Input{Channel: tipline.ChannelSMS, Text: "yes"}); hasEffect(out, EffectOptIn) {
		t.Error("yes when not opted out is an answer, not START")
	}
}

func TestDeleteConfirmsThenErases(t *testing.T) {
	mid := State{Lang: "es", Country: "US", Flow: FlowHelp, Step: stepWhere, Data: map[string]string{"need": "food", "lat": "40.75"}, Waiting: t0}
	for _, word := range []string{"DELETE", "borrar", "Supprimer"} {
		out := step(t, mid, Input{Channel: tipline.ChannelSMS, Text: word})
		if len(out.Replies) != 1 || !hasEffect(out, EffectDelete) {
			t.Fatalf("%s: %v %v", word, out.Replies, out.Effects)
		}
		if out.Effects[len(out.Effects)-1].Kind != EffectDelete {
			t.Errorf("%s: delete must be the last effect, after the confirmation is queued", word)
		}
		if out.State.Flow != "" || out.State.Data != nil || out.State.Country != "" {
			t.Errorf("%s: state not erased: %+v", word, out.State)
		}
	}
}

func TestHelpKeepsTheFlow(t *testing.T) {
	mid := State{Lang: "en", Flow: FlowHelp, Step: stepWhere, Options: []string{"where:skip"}, Data: map[string]string{"need": "food"}, Waiting: t0}
	out := step(t, mid, Input{Channel: tipline.ChannelSMS, Text: "HELP", Country: "US"})
	if len(out.Replies) != 1 || !strings.Contains(out.Replies[0].Text, "911") {
		t.Fatalf("HELP: %v", out.Replies)
	}
	if out.State.Step != stepWhere || out.State.Data["need"] != "food" {
		t.Errorf("HELP moved the flow: %+v", out.State)
	}
	if next := step(t, out.State, Input{Channel: tipline.ChannelSMS, Text: "10001", Country: "US"}); next.State.Step != stepDone {
		t.Errorf("the flow did not go on after HELP: %+v", next.State)
	}
}

func TestHelpSetsLanguage(t *testing.T) {
	out := step(t, State{}, Input{Channel: tipline.ChannelSMS, Text: "AIDE", Country: "CA"})
	if out.State.Lang != "fr" || !strings.Contains(out.Replies[0].Text, "gratuit") {
		t.Errorf("AIDE: lang %q, %v", out.State.Lang, out.Replies)
	}
}

func TestClaimedChatsOnlyGetKeywordsAndDanger(t *testing.T) {
	st := State{Lang: "en", Flow: FlowHelp, Step: stepNeed, Options: []string{"need:food"}, Waiting: t0}
	out := step(t, st, Input{Channel: tipline.ChannelTelegram, Text: "1", Claimed: true})
	if len(out.Replies) != 0 || out.State.Step != stepNeed {
		t.Errorf("claimed chat answered by the bot: %v", out.Replies)
	}
	if out := step(t, st, Input{Channel: tipline.ChannelTelegram, Text: "STOP", Claimed: true}); !hasEffect(out, EffectOptOut) {
		t.Error("STOP must work in a claimed chat")
	}
}

func TestLanguageKeywords(t *testing.T) {
	out := step(t, State{Lang: "en"}, Input{Channel: tipline.ChannelSMS, Text: "IDIOMA"})
	if out.State.Step != stepLang || len(out.Replies[0].Options) != 3 {
		t.Errorf("IDIOMA: %+v", out)
	}
	out = step(t, out.State, Input{Channel: tipline.ChannelSMS, Text: "3"})
	if out.State.Lang != "fr" || out.State.Step != stepMenu {
		t.Errorf("choosing 3: %+v", out.State)
	}
	out = step(t, State{Lang: "en"}, Input{Channel: tipline.ChannelTelegram, Text: "Español"})
	if out.State.Lang != "es" || out.Replies[0].Text != messages.Text("es", "menu.ask") {
		t.Errorf("Español: %+v", out)
	}
}

func TestStrayOldButtonStillWorks(t *testing.T) {
	st := State{Lang: "en", Flow: FlowHelp, Step: stepDone, Waiting: t0}
	out := testEngine(t).Step(st, Input{Channel: tipline.ChannelTelegram, Callback: "need:food"}, t0.Add(time.Minute))
	if out.State.Step != stepWhere || out.State.Data["need"] != "food" {
		t.Errorf("old need button: %+v", out.State)
	}
}
