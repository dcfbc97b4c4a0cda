package telegram

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"tipline"
)

func markupJSON(t *testing.T, m any) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRender(t *testing.T) {
	cases := []struct {
		name  string
		reply tipline.Reply
		want  string
	}{
		{"plain removes keyboard", tipline.Reply{Text: "ok"}, `{"remove_keyboard":true}`},
		{"options inline, one per row", tipline.Reply{Text: "Are you safe?", Options: []tipline.Option{
			{Label: "Yes", Value: "safe:yes"}, {Label: "No", Value: "safe:no"}}},
			`{"inline_keyboard":[[{"text":"Yes","callback_data":"safe:yes"}],[{"text":"No","callback_data":"safe:no"}]]}`},
		{"empty label shows value", tipline.Reply{Text: "x", Options: []tipline.Option{{Value: "v"}}},
			`{"inline_keyboard":[[{"text":"v","callback_data":"v"}]]}`},
		{"ask location", tipline.Reply{Text: "Where?", AskLocation: true},
			`{"keyboard":[[{"text":"📍","request_location":true}]],"resize_keyboard":true,"one_time_keyboard":true}`},
		{"ask location with skip", tipline.Reply{Text: "Where?", AskLocation: true,
			Options: []tipline.Option{{Label: "Skip", Value: "skip"}}},
			`{"keyboard":[[{"text":"📍","request_location":true}],[{"text":"Skip"}]],"resize_keyboard":true,"one_time_keyboard":true}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, m := Render(c.reply)
			if text != c.reply.Text {
				t.Errorf("text = %q", text)
			}
			if got := markupJSON(t, m); got != c.want {
				t.Errorf("markup =\n %s\nwant\n %s", got, c.want)
			}
		})
	}
}

func TestRenderTruncatesCallbackData(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes
	_, m := Render(tipline.Reply{Text: "x", Options: []tipline.Option{{Label: "L", Value: long}}})
	b := markupJSON(t, m)
	var k struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(b), &k); err != nil {
		t.Fatal(err)
	}
	got := k.InlineKeyboard[0][0].CallbackData
	if len(got) > MaxCallbackData || !utf8.ValidString(got) || len(got) != 64 {
		t.Fatalf("callback_data %q: %d bytes", got, len(got))
	}
}

func TestValidateReply(t *testing.T) {
	bad := []tipline.Reply{
		{},
		{Text: strings.Repeat("a", MaxTextLen+1)},
		{Text: "x", Options: []tipline.Option{{Label: "L", Value: ""}}},
		{Text: "x", Options: []tipline.Option{{Label: "L", Value: strings.Repeat("v", 65)}}},
		{Text: "x", Options: []tipline.Option{{}}},
	}
	for i, r := range bad {
		if err := ValidateReply(r); !errors.Is(err, ErrInvalidReply) {
			t.Errorf("case %d: err = %v", i, err)
		}
	}
	good := []tipline.Reply{
		{Text: strings.Repeat("é", MaxTextLen)},
		{Text: "x", Options: []tipline.Option{{Label: "L", Value: strings.Repeat("v", 64)}}},
		{Text: "x", AskLocation: true, Options: []tipline.Option{{Label: "Skip"}}},
	}
	for i, r := range good {
		if err := ValidateReply(r); err != nil {
			t.Errorf("good case %d: %v", i, err)
		}
	}
}
