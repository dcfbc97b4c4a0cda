package twilio_test

import (
	"strings"
	"testing"

	"tipline"
	"tipline/sms"
	"tipline/twilio"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name  string
		reply tipline.Reply
		want  string
	}{
		{"text only", tipline.Reply{Text: " Hi there \n"}, "Hi there"},
		{"options numbered", tipline.Reply{Text: "What do you need?", Options: []tipline.Option{
			{Label: "Safe place tonight", Value: "shelter"}, {Label: " Food ", Value: "food"},
		}}, "What do you need?\n1) Safe place tonight\n2) Food"},
		{"options without text", tipline.Reply{Options: []tipline.Option{{Label: "Yes"}, {Label: "No"}}}, "1) Yes\n2) No"},
		{"location button dropped", tipline.Reply{Text: "What is your ZIP code?", AskLocation: true}, "What is your ZIP code?"},
		{"typographic quotes normalized", tipline.Reply{Text: "You’re not alone — text “MENU”."}, "You're not alone - text \"MENU\"."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := twilio.Render(tt.reply); got != tt.want {
				t.Errorf("Render = %q, want %q", got, tt.want)
			}
		})
	}
	if enc, _ := sms.Segments(twilio.Render(tests[4].reply)); enc != sms.GSM7 {
		t.Error("normalized reply is not GSM-7")
	}
}

func TestCheck(t *testing.T) {
	if err := twilio.Check("hello"); err != nil {
		t.Error(err)
	}
	if err := twilio.Check(strings.Repeat("a", 459)); err != nil {
		t.Error(err)
	}
	for _, body := range []string{"", strings.Repeat("a", 460), strings.Repeat("á", 202)} {
		if err := twilio.Check(body); tipline.Code(err) != tipline.EInvalid {
			t.Errorf("Check(%d chars) = %v, want EInvalid", len(body), err)
		}
	}
}
