package flows

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"tipline"
)

// reportCases are the public active cases the report transcripts know
// (fictitious). Private and closed cases are never given to the flow.
var reportCases = []Case{
	{ID: "k3v9q2m7x4c8d6b1n5ha", Number: "2026-0142", Name: "Maria Lopez", Age: 14},
	{ID: "p8w2e6r4t1y9u3i7o5zb", Number: "2026-0157", Name: "Jayden Brooks", Age: 15},
	{ID: "q2w3e4r5t6y7u8i9o0pa", Number: "2025-0988", Name: "Mariana Lopes", Age: 12},
}

// reportCode is the tip ID the bot hands a script's draft; otherCode is a
// tip of another sender.
const (
	reportCode = "K7M2Q9XH"
	otherCode  = "Z9Y8X7W6"
)

// ract is one thing a tipster does in a report script.
type ract struct {
	act
	payload string   // Telegram /start payload
	media   []string // one MediaResult.Problem per attachment
}

// rscript is a report conversation played on each of its channels.
type rscript struct {
	name     string
	country  string
	hint     string
	channels []tipline.Channel
	tips     []TipRef // the sender's tips before the script
	acts     []ract
}

// playReport runs a report script on one channel as the bot would: report
// input only when NeedsReportData, media results only when WantsMedia.
func playReport(t *testing.T, e *Engine, s rscript, ch tipline.Channel) []turnLog {
	t.Helper()
	var st State
	var c contact
	now := t0
	own := append([]TipRef(nil), s.tips...)
	var logs []turnLog
	for _, a := range s.acts {
		if a.only != "" && a.only != ch {
			continue
		}
		now = now.Add(time.Minute + a.wait)
		in := Input{Channel: ch, Text: a.say, Payload: a.payload, Location: a.loc,
			MediaCount: len(a.media), OptedOut: c.optedOut, Claimed: c.claimed}
		if numbered(ch) {
			in.Country = s.country
		} else {
			in.LangHint = s.hint
		}
		if a.choose != "" {
			in = answerOption(t, st, in, a.choose, logs)
		}
		if NeedsReportData(st, in) || WantsMedia(st, in.Text) {
			in.Report = &ReportInput{Cases: reportCases, Tips: own, NewCode: reportCode}
			if WantsMedia(st, in.Text) {
				for _, p := range a.media {
					in.Report.Media = append(in.Report.Media, MediaResult{Problem: p})
				}
			}
		}
		out := e.Step(st, in, now)
		logs = append(logs, turnLog{prev: st, in: in, out: out})
		st = apply(out, &c)
		own = keepTips(own, out, now)
	}
	return logs
}

// keepTips adds a tip the bot would have created to the sender's tips.
func keepTips(own []TipRef, out Output, now time.Time) []TipRef {
	for _, e := range out.Effects {
		if e.Kind != EffectTip || e.Tip == nil || e.Tip.Code == "" || e.Detail == TipDiscard {
			continue
		}
		found := false
		for _, t := range own {
			found = found || t.Code == e.Tip.Code
		}
		if !found {
			own = append([]TipRef{{Code: e.Tip.Code, Status: TipReceived, CreatedAt: now}}, own...)
		}
	}
	return own
}

// reportTranscript renders played turns in the format of transcript(),
// showing deep-link payloads and attachments, and each tip effect's fields.
func reportTranscript(s rscript, ch tipline.Channel, logs []turnLog) string {
	head := transcript(script{name: s.name, country: s.country, hint: s.hint}, ch, nil)
	var b strings.Builder
	b.WriteString(head)
	for _, l := range logs {
		b.WriteString("\n" + reportUserLine(l.in) + "\n")
		for _, r := range l.out.Replies {
			lines := strings.Split(rendered(ch, r), "\n")
			b.WriteString("< " + lines[0] + "\n")
			for _, x := range lines[1:] {
				b.WriteString("  " + x + "\n")
			}
		}
		for _, e := range l.out.Effects {
			fmt.Fprintf(&b, "! %s %s%s\n", e.Kind, e.Detail, tipFields(e.Tip))
		}
	}
	return b.String()
}

// tipFields shows an effect's tip fields in a stable order, as the state
// keeps them; empty fields are left out.
func tipFields(tip *Tip) string {
	if tip == nil {
		return ""
	}
	flag := func(b bool, v string) string {
		if b {
			return v
		}
		return ""
	}
	stamp := func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	coord := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 6, 64)
	}
	count := ""
	if tip.Count != 0 {
		count = strconv.Itoa(tip.Count)
	}
	fields := [][2]string{{"code", tip.Code}, {"case", tip.Case}, {"case_text", tip.CaseText}, {"urgent", flag(tip.Urgent, "1")},
		{"seen_at", stamp(tip.SeenAt)}, {"seen_text", tip.SeenText}, {"place", tip.Place}, {"lat", coord(tip.Lat)},
		{"lon", coord(tip.Lon)}, {"desc", tip.Desc}, {"follow", flag(tip.NoFollowUp, "no")}, {"contact", tip.Contact},
		{"lang", tip.Lang}, {"text", tip.Text}, {"count", count}, {"at", stamp(&tip.At)}, {"redact", flag(tip.Redact, "1")}}
	var b strings.Builder
	for _, f := range fields {
		if f[1] != "" {
			fmt.Fprintf(&b, " %s=%q", f[0], f[1])
		}
	}
	return b.String()
}

func reportUserLine(in Input) string {
	line := userLine(in)
	switch {
	case in.Payload != "":
		line += " " + in.Payload
	case in.MediaCount > 0 && in.Text == "":
		line = fmt.Sprintf("> [%d attachment(s)]", in.MediaCount)
	case in.MediaCount > 0:
		line += fmt.Sprintf(" [+%d attachment(s)]", in.MediaCount)
	}
	return line
}

// sanitized hides the case numbers, names and tip IDs a reply may show
// (data, not invented contacts), and what the tipster wrote (the summary
// repeats it), from checkReply, keeping lengths.
func sanitized(r tipline.Reply, wrote ...string) tipline.Reply {
	var pairs []string
	for _, w := range wrote {
		for _, v := range []string{clip(strings.Join(strings.Fields(w), " "), summaryClip), w} {
			if len(v) > 2 {
				pairs = append(pairs, v, strings.Repeat("x", len(v)))
			}
		}
	}
	for _, c := range reportCases {
		pairs = append(pairs, c.Number, strings.Repeat("x", len(c.Number)), c.Name, strings.Repeat("x", len(c.Name)))
	}
	pairs = append(pairs, reportCode, "xxxxxxxx", otherCode, "xxxxxxxx")
	rep := strings.NewReplacer(pairs...)
	out := tipline.Reply{Text: rep.Replace(r.Text), AskLocation: r.AskLocation}
	for _, o := range r.Options {
		out.Options = append(out.Options, tipline.Option{Label: rep.Replace(o.Label), Value: o.Value})
	}
	return out
}

// TestReportTranscripts plays the report scripts and compares them with
// the golden transcripts, checking every reply against the house rules.
func TestReportTranscripts(t *testing.T) {
	e := testEngine(t)
	for _, s := range reportScripts {
		for _, ch := range s.channels {
			t.Run(s.name+"/"+string(ch), func(t *testing.T) {
				logs := playReport(t, e, s, ch)
				var wrote []string
				for i, l := range logs {
					wrote = append(wrote, l.in.Text)
					for _, r := range l.out.Replies {
						for _, p := range checkReply(e.Dir, ch, sanitized(r, wrote...)) {
							t.Errorf("turn %d (%s): %s\n%s", i+1, reportUserLine(l.in), p, rendered(ch, r))
						}
					}
					checkDangerTurn(t, e, l)
				}
				golden(t, s.name+"."+string(ch)+".txt", reportTranscript(s, ch, logs))
			})
		}
	}
}
