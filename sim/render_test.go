package sim_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/sim"
	"tipline/telegram"
)

func TestRenderTelegram(t *testing.T) {
	opts := []tipline.Option{{Label: "Skip", Value: "where:skip"}}
	cases := []struct {
		name  string
		reply tipline.Reply
		want  sim.TelegramView
	}{
		{"plain", tipline.Reply{Text: "hi"}, sim.TelegramView{Text: "hi"}},
		{"inline buttons", tipline.Reply{Text: "q", Options: opts},
			sim.TelegramView{Text: "q", Buttons: []sim.Button{{Label: "Skip", Value: "where:skip", Kind: sim.ButtonCallback}}}},
		{"location keyboard", tipline.Reply{Text: "where?", Options: opts, AskLocation: true},
			sim.TelegramView{Text: "where?", Keyboard: true, Buttons: []sim.Button{
				{Label: telegram.LocationButtonLabel, Kind: sim.ButtonLocation}, {Label: "Skip", Kind: sim.ButtonText}}}},
	}
	for _, c := range cases {
		if got := sim.RenderTelegram(c.reply); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestRenderSMS(t *testing.T) {
	v := sim.RenderSMS(tipline.Reply{Text: "Where?", Options: []tipline.Option{{Label: "Skip", Value: "x"}}})
	if v.Text != "Where?\n1) Skip" || v.Encoding != "GSM-7" || v.Segments != 1 || v.TooLong {
		t.Errorf("GSM-7 reply: %+v", v)
	}
	if v := sim.RenderSMS(tipline.Reply{Text: "¿Dónde estás? 🙂"}); v.Encoding != "UCS-2" || v.Units != 16 {
		t.Errorf("UCS-2 reply: %+v", v)
	}
	if v := sim.RenderSMS(tipline.Reply{Text: strings.Repeat("a", 3*153+1)}); v.Segments != 4 || !v.TooLong {
		t.Errorf("long reply: %+v", v)
	}
}

func TestInbound(t *testing.T) {
	now := time.Now()
	a := sim.Inbound("s", sim.Input{Text: "/start case_ab-1"}, now)
	b := sim.Inbound("s", sim.Input{Text: "hi"}, now)
	if a.Text != "/start" || a.Payload != "case_ab-1" || !a.Simulated || a.Channel != tipline.ChannelSim || a.SenderID != "s" {
		t.Errorf("deep link: %+v", a)
	}
	if a.ProviderID == b.ProviderID || !strings.HasPrefix(a.ProviderID, "sim-") {
		t.Errorf("provider ids %q and %q are not unique", a.ProviderID, b.ProviderID)
	}
	if !sim.ValidSessionID(sim.NewSessionID()) || sim.ValidSessionID("x") || sim.ValidSessionID(strings.Repeat("G", 32)) {
		t.Error("session id validation")
	}
}
