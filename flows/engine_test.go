package flows

import (
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
)

func TestExpiryRestartsSilently(t *testing.T) {
	e := testEngine(t)
	st := State{Lang: "en", Country: "US", Flow: FlowHelp, Step: stepNeed,
		Options: []string{"need:shelter", "need:food"}, Waiting: t0}
	// Within the timeout "2" answers the question.
	out := e.Step(st, Input{Channel: tipline.ChannelSMS, Text: "2"}, t0.Add(29*time.Minute))
	if out.State.Data["need"] != "food" {
		t.Fatalf("within timeout: %+v", out.State)
	}
	// After it, the old question is gone: "2" is no answer, the menu shows.
	out = e.Step(st, Input{Channel: tipline.ChannelSMS, Text: "2"}, t0.Add(31*time.Minute))
	if out.State.Flow != FlowNone || out.State.Step != stepMenu || out.State.Lang != "en" {
		t.Errorf("after timeout: %+v", out.State)
	}
	if len(out.Effects) != 0 {
		t.Errorf("an expired help flow has no effects: %v", out.Effects)
	}
}

// fakeReports records what the engine asks of the report flow.
type fakeReports struct{ calls []string }

func (f *fakeReports) Start(t *turn, cmd ReportCommand) {
	f.calls = append(f.calls, "start "+string(cmd.Kind)+" "+cmd.Arg)
	t.st.Flow, t.st.Step = FlowReport, "case"
	t.say(tipline.Reply{Text: "Which case?", Options: []tipline.Option{{Label: "Skip", Value: "report:skip"}}})
}

func (f *fakeReports) Step(t *turn) {
	f.calls = append(f.calls, "step "+t.in.Text)
}

func (f *fakeReports) Abandon(st State, _ time.Time) []Effect {
	f.calls = append(f.calls, "abandon")
	return []Effect{{Kind: EffectTip, Detail: "incomplete"}}
}

func withReports(t *testing.T, f ReportFlow) {
	old := reportFlow
	reportFlow = f
	t.Cleanup(func() { reportFlow = old })
}

func TestReportHookRouting(t *testing.T) {
	f := &fakeReports{}
	withReports(t, f)
	e := testEngine(t)
	sms := func(st State, text string, at time.Duration) Output {
		return e.Step(st, Input{Channel: tipline.ChannelSMS, Text: text, Country: "US"}, t0.Add(at))
	}
	out := sms(State{}, "SEEN 4821", 0)
	out = sms(out.State, "near the depot", time.Minute)
	sms(out.State, "he is hurting her and she won't let me leave", 2*time.Minute)
	expired := sms(out.State, "hello", time.Hour)
	stopped := sms(out.State, "CANCEL", 2*time.Minute)
	deleted := sms(out.State, "DELETE", 2*time.Minute)
	want := []string{"start seen 4821", "step near the depot", "step he is hurting her and she won't let me leave",
		"abandon", "abandon"}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Errorf("calls %q\nwant  %q", f.calls, want)
	}
	for name, o := range map[string]Output{"expired": expired, "CANCEL": stopped} {
		if !hasEffect(o, EffectTip) {
			t.Errorf("%s: the draft must become an incomplete tip: %v", name, o.Effects)
		}
	}
	if hasEffect(deleted, EffectTip) {
		t.Error("DELETE drops the draft: no incomplete tip (DESIGN.md rule 7)")
	}
	if !hasEffect(stopped, EffectOptOut) {
		t.Error("CANCEL on SMS is STOP")
	}
}

func TestReportHookEntries(t *testing.T) {
	f := &fakeReports{}
	withReports(t, f)
	e := testEngine(t)
	menu := e.Step(State{}, Input{Channel: tipline.ChannelTelegram, Text: "hi"}, t0)
	e.Step(menu.State, Input{Channel: tipline.ChannelTelegram, Callback: "start:report"}, t0)
	e.Step(State{}, Input{Channel: tipline.ChannelTelegram, Text: "/start case_Zk3xQ", Payload: "case_Zk3xQ"}, t0)
	e.Step(State{}, Input{Channel: tipline.ChannelSMS, Text: "status k7m2p9"}, t0)
	want := "start report |start deep_link Zk3xQ|start status K7M2P9"
	if got := strings.Join(f.calls, "|"); got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
}

func TestReportUnavailableByDefault(t *testing.T) {
	withReports(t, nil)
	out := testEngine(t).Step(State{}, Input{Channel: tipline.ChannelSMS, Text: "REPORTAR", Country: "MX"}, t0)
	if len(out.Replies) != 1 || out.Replies[0].Text != messages.Text("es", "hook.report_unavailable", "emergency", "911") {
		t.Errorf("%+v", out.Replies)
	}
	tip := noReports{}.Abandon(State{Flow: FlowReport, Data: map[string]string{"case": "4821"}}, t0)
	if len(tip) != 1 || tip[0].Kind != EffectTip || tip[0].Tip.Case != "4821" || tip[0].Detail != "incomplete" {
		t.Errorf("default Abandon: %+v", tip)
	}
}

func TestFirstMessageLanguage(t *testing.T) {
	e := testEngine(t)
	cases := []struct {
		in   Input
		lang string
		step string
	}{
		{Input{Channel: tipline.ChannelSMS, Text: "hola"}, "es", stepMenu},
		{Input{Channel: tipline.ChannelSMS, Text: "???"}, "", stepLang},
		{Input{Channel: tipline.ChannelTelegram, Text: "/start", LangHint: "fr"}, "fr", stepMenu},
		{Input{Channel: tipline.ChannelTelegram, Text: "/start", LangHint: "de"}, "", stepLang},
		{Input{Channel: tipline.ChannelSMS, Text: "no tengo donde dormir esta noche"}, "es", stepWhere},
	}
	for _, c := range cases {
		out := e.Step(State{}, c.in, t0)
		if out.State.Lang != c.lang || out.State.Step != c.step {
			t.Errorf("%q/%q: lang %q step %q, want %q %q", c.in.Text, c.in.LangHint, out.State.Lang, out.State.Step, c.lang, c.step)
		}
	}
}

func TestLocationIsRounded(t *testing.T) {
	e := testEngine(t)
	st := State{Lang: "en", Flow: FlowHelp, Step: stepNeed, Waiting: t0}
	out := e.Step(st, Input{Channel: tipline.ChannelTelegram, Location: &tipline.Location{Lat: 40.752137, Lon: -73.993412}}, t0)
	if out.State.Data["lat"] != "40.75" || out.State.Data["lon"] != "-73.99" || out.State.Step != stepNeed {
		t.Fatalf("location before need: %+v", out.State)
	}
	out = e.Step(out.State, Input{Channel: tipline.ChannelTelegram, Callback: "need:shelter"}, t0)
	if out.State.Step != stepDone || !strings.Contains(out.Replies[0].Text, "Midtown") {
		t.Errorf("need after location: %+v %v", out.State, out.Replies)
	}
	if _, kept := out.State.Data["lat"]; kept {
		t.Error("coordinates kept after the answer")
	}
}

func TestStepDoesNotMutateInput(t *testing.T) {
	st := State{Lang: "en", Flow: FlowHelp, Step: stepNeed, Options: []string{"need:food"}, Data: map[string]string{"x": "y"}, Waiting: t0}
	testEngine(t).Step(st, Input{Channel: tipline.ChannelSMS, Text: "1"}, t0)
	if st.Options[0] != "need:food" || len(st.Data) != 1 {
		t.Errorf("Step changed its input state: %+v", st)
	}
}

func BenchmarkStep(b *testing.B) {
	e := testEngine(b)
	msgs := []Input{
		{Channel: tipline.ChannelSMS, Text: "hi", Country: "US"},
		{Channel: tipline.ChannelSMS, Text: "1", Country: "US"},
		{Channel: tipline.ChannelSMS, Text: "1", Country: "US"},
		{Channel: tipline.ChannelSMS, Text: "10001", Country: "US"},
	}
	directory.Geocode("10001") // load the centroid tables outside the timing
	b.ReportAllocs()
	var st State
	for i := 0; b.Loop(); i++ {
		if i%len(msgs) == 0 {
			st = State{}
		}
		st = e.Step(st, msgs[i%len(msgs)], t0).State
	}
}
