package tipline_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"tipline"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"hello", "hello"},
		{"café 😀", "café 😀"},
		{"tab\tand\nnewline\x01", "tab\tand\nnewline\x01"},
		{"ki\x00ll", "kill"},
		{"h\x00e\x00l\x00p\x00", "help"},
		{"\x00", ""},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"two \xff\xfe", "two \uFFFD\uFFFD"},
		{"lone surrogate \xed\xa0\x80", "lone surrogate \uFFFD\uFFFD\uFFFD"},
		{"truncated \xc3", "truncated \uFFFD"},
		{"\xff\x00\xff", "\uFFFD\uFFFD"},
		{"\uFFFD stays", "\uFFFD stays"},
	} {
		if got := tipline.CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestInboundClean(t *testing.T) {
	media := []tipline.MediaRef{{Ref: "r\x00", ContentType: "image/\xff", FileName: "a\x00.jpg"}}
	in := tipline.Inbound{Channel: tipline.ChannelSMS, ProviderID: "SM\x00", SenderID: "+1\x00", Text: "hi\xff",
		Payload: "p\x00", Callback: "c\x00", CallbackID: "i\x00", Country: "U\x00S", LangHint: "e\x00n",
		MessageRef: "1\x00", Media: media}
	got := in.Clean()
	want := tipline.Inbound{Channel: tipline.ChannelSMS, ProviderID: "SM", SenderID: "+1", Text: "hi\uFFFD",
		Payload: "p", Callback: "c", CallbackID: "i", Country: "US", LangHint: "en", MessageRef: "1",
		Media: []tipline.MediaRef{{Ref: "r", ContentType: "image/\uFFFD", FileName: "a.jpg"}}}
	if got.Text != want.Text || got.ProviderID != want.ProviderID || got.SenderID != want.SenderID ||
		got.Payload != want.Payload || got.Callback != want.Callback || got.CallbackID != want.CallbackID ||
		got.Country != want.Country || got.LangHint != want.LangHint || got.MessageRef != want.MessageRef ||
		len(got.Media) != 1 || got.Media[0] != want.Media[0] {
		t.Errorf("Clean() = %+v, want %+v", got, want)
	}
	if media[0].Ref != "r\x00" {
		t.Error("Clean changed the caller's media slice")
	}
}

// FuzzCleanText: the result is always valid UTF-8 without NUL, cleaning
// twice changes nothing, and clean text is kept as it is.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "hello", "\x00", "\xff", "\xed\xa0\x80", "é\xc3", "😀\xf0\x9f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := tipline.CleanText(s)
		if !utf8.ValidString(got) || strings.IndexByte(got, 0) >= 0 {
			t.Fatalf("CleanText(%q) = %q", s, got)
		}
		if again := tipline.CleanText(got); again != got {
			t.Fatalf("not idempotent: %q then %q", got, again)
		}
		if utf8.ValidString(s) && got != strings.ReplaceAll(s, "\x00", "") {
			t.Fatalf("valid text changed: %q to %q", s, got)
		}
	})
}

func BenchmarkCleanText(b *testing.B) {
	clean := strings.Repeat("i need help tonight, café 😀 ", 20)
	dirty := clean + "\x00\xff"
	b.Run("clean", func(b *testing.B) {
		for b.Loop() {
			tipline.CleanText(clean)
		}
	})
	b.Run("dirty", func(b *testing.B) {
		for b.Loop() {
			tipline.CleanText(dirty)
		}
	})
}
