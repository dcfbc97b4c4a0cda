package telegram

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input panics Parse and that what it accepts is
// consistent. Seeds: the committed corpus under testdata/fuzz/FuzzParse
// plus every body of the update table.
func FuzzParse(f *testing.F) {
	for _, c := range updateCases {
		f.Add(caseBody(f, c))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		u, err := ParseUpdate(body)
		in, ok, perr := Parse(body)
		if (err == nil) != (perr == nil) || ok != (err == nil && u.Kind == KindMessage) {
			t.Fatalf("Parse and ParseUpdate disagree: %v/%v ok=%v kind=%v", err, perr, ok, u.Kind)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		if u.Kind == KindIgnored {
			if u.Inbound.SenderID != "" {
				t.Fatalf("ignored update carries a sender: %+v", u)
			}
			return
		}
		checkInbound(t, u)
		if ok && in.ProviderID != u.Inbound.ProviderID {
			t.Fatalf("Parse and ParseUpdate differ: %+v %+v", in, u.Inbound)
		}
	})
}

func checkInbound(t *testing.T, u Update) {
	in := u.Inbound
	if in.Channel != "telegram" || in.ProviderID != strconv.FormatInt(u.ID, 10) || in.Seq != u.ID {
		t.Fatalf("identity fields: %+v", in)
	}
	if id, err := strconv.ParseInt(in.SenderID, 10, 64); err != nil || id == 0 {
		t.Fatalf("sender %q", in.SenderID)
	}
	if in.Payload != "" && (in.Text != "/start" || !payloadOK(in.Payload)) {
		t.Fatalf("payload %q with text %q", in.Payload, in.Text)
	}
	if l := in.Location; l != nil && !validPoint(l.Lat, l.Lon) {
		t.Fatalf("location %+v", l)
	}
	if len(in.Media) > 1 || (len(in.Media) == 1 && (in.Media[0].Ref == "" || in.Media[0].ContentType == "")) {
		t.Fatalf("media %+v", in.Media)
	}
	if u.Kind == KindMessage && in.Text == "" && in.Callback == "" && in.Location == nil && len(in.Media) == 0 {
		t.Fatalf("empty message accepted: %+v", in)
	}
	if in.Callback != "" && in.CallbackID == "" {
		t.Fatalf("callback without id: %+v", in)
	}
	if !utf8.ValidString(in.LangHint) || len(in.LangHint) > 35 {
		t.Fatalf("lang hint %q", in.LangHint)
	}
}

func payloadOK(p string) bool {
	if len(p) < 1 || len(p) > 64 {
		return false
	}
	for _, r := range p {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"f1_text.json", "f4_photo_caption.json", "f5_callback.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "updates", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, ok, err := Parse(body); !ok || err != nil {
					b.Fatal("not parsed")
				}
			}
		})
	}
}
