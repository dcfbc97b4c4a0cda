package seedgen_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tipline/directory"
	"tipline/directory/internal/seedgen"
)

// sharedPath is the committed copy of the verified list (genseed -in
// replaces it).
var sharedPath = filepath.Join("testdata", "verified.json")

func readShared(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(sharedPath)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSeedIsGenerated fails when the committed seed differs from what
// genseed makes of the verified list: run `go run ./directory/cmd/genseed`.
func TestSeedIsGenerated(t *testing.T) {
	rs, err := seedgen.Convert(readShared(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := directory.EncodeJSON(rs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "data", "resources.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("directory/data/resources.json is stale: run go run ./directory/cmd/genseed")
	}
}

type rawRecord map[string]any

func (r rawRecord) str(key string) string {
	s, _ := r[key].(string)
	return s
}

func (r rawRecord) sms(key string) string {
	m, _ := r["sms"].(map[string]any)
	s, _ := m[key].(string)
	return s
}

func (r rawRecord) hidden() map[string]bool {
	out := map[string]bool{}
	list, _ := r["hidden_fields"].([]any)
	for _, h := range list {
		out[h.(string)] = true
	}
	return out
}

// TestShownContactsMatchShared reads the shared file independently of
// seedgen and checks every contact users can see against it.
func TestShownContactsMatchShared(t *testing.T) {
	var shared []rawRecord
	if err := json.Unmarshal(readShared(t), &shared); err != nil {
		t.Fatal(err)
	}
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	d := directory.New(rs)
	if len(shared) != len(rs) {
		t.Fatalf("seed has %d records, shared %d", len(rs), len(shared))
	}
	for _, s := range shared {
		id := s.str("id")
		p, ok := d.Get(id)
		if verified, _ := s["verified"].(bool); !verified {
			if ok {
				t.Errorf("%s: unverified record is returned", id)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: verified record missing", id)
			continue
		}
		checkRecord(t, s, p)
	}
}

func checkRecord(t *testing.T, s rawRecord, p directory.Resource) {
	id, hidden := p.ID, s.hidden()
	fields := []struct {
		name, got, want string
		hiddenAs        string
	}{
		{"phone_e164", p.PhoneE164, s.str("phone_e164"), "phone"},
		{"sms.number", p.SMSNumber, s.sms("number"), "sms"},
		{"sms.keyword", p.SMSKeyword, s.sms("keyword"), "sms"},
		{"tty", p.TTY, s.str("tty"), "tty"},
		{"whatsapp", p.WhatsApp, s.str("whatsapp"), "whatsapp"},
		{"chat_url", p.ChatURL, s.str("chat_url"), "chat_url"},
		{"url", p.URL, s.str("url"), "url"},
	}
	for _, f := range fields {
		if hidden[f.hiddenAs] && f.got != "" {
			t.Errorf("%s: %s is hidden in the shared list but shown: %q", id, f.name, f.got)
		}
		if f.got != "" && f.got != f.want {
			t.Errorf("%s: shown %s %q, shared list has %q", id, f.name, f.got, f.want)
		}
	}
	// The display phone is the shared value, plus its keypad digits for a
	// vanity number; the digits must equal the verified E.164 number.
	if want := s.str("phone"); p.Phone != "" {
		if hidden["phone"] || !strings.HasPrefix(p.Phone, want) {
			t.Errorf("%s: shown phone %q, shared list has %q", id, p.Phone, want)
		}
		if v, digits := directory.SplitVanity(p.Phone); v != "" && "+"+directory.Digits(digits) != s.str("phone_e164") {
			t.Errorf("%s: vanity digits %q do not equal phone_e164 %q", id, digits, s.str("phone_e164"))
		}
	}
}

// TestGEMSHidden: GEMS stays hidden until a verified contact exists.
func TestGEMSHidden(t *testing.T) {
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rs {
		if r.ID == "us-ny-gems" {
			found = true
			if r.Verified || r.Phone != "" || !r.HasCategory("girls", "trafficking") || !r.Serves("US-NY") {
				t.Errorf("GEMS record: %+v", r)
			}
		}
	}
	if !found {
		t.Fatal("GEMS missing from the seed")
	}
	d := directory.New(rs)
	if _, ok := d.Get("us-ny-gems"); ok {
		t.Error("GEMS is returned")
	}
	for _, r := range d.Regional("US-NY") {
		if r.ID == "us-ny-gems" {
			t.Error("GEMS returned by Regional")
		}
	}
}

// TestUnknownUnverifiedEntryStops: an unverified_fields entry nobody has
// mapped stops the generator instead of being ignored.
func TestUnknownUnverifiedEntryStops(t *testing.T) {
	in := `[{"id":"x-1","name":"X","source":"https://example.org","verified":true,"unverified_fields":["fax number"],"hidden_fields":[],"checked_on":"2026-01-01"}]`
	if _, err := seedgen.Convert([]byte(in)); err == nil || !strings.Contains(err.Error(), "fax number") {
		t.Fatalf("err = %v", err)
	}
}

// TestUnverifiedFieldsHide: an unverified field hides even when
// hidden_fields forgot it (ca-211: url and text numbers).
func TestUnverifiedFieldsHide(t *testing.T) {
	in := `[{"id":"x-1","name":"X","url":"https://example.org","phone":"211","source":"https://example.org","verified":true,
	"unverified_fields":["url","sms (some regions)"],"hidden_fields":[],"checked_on":"2026-01-01"}]`
	rs, err := seedgen.Convert([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := rs[0].Public(); got.URL != "" || got.Phone != "211" || rs[0].Shown("sms") {
		t.Fatalf("public = %+v", got)
	}
}
