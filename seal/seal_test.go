package seal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// mustKeys builds Keys or fails the test.
func mustKeys(t testing.TB, current string, previous ...string) *Keys {
	t.Helper()
	ks, err := ParseKeys(current, previous)
	if err != nil {
		t.Fatalf("ParseKeys: %v", err)
	}
	return ks
}

func TestGenerateKeyParses(t *testing.T) {
	a, b := GenerateKey(), GenerateKey()
	if a == b {
		t.Fatal("two generated keys are equal")
	}
	ks := mustKeys(t, a)
	if !regexp.MustCompile(`^[0-9a-f]{8}$`).MatchString(ks.CurrentID()) {
		t.Fatalf("key id %q is not 8 hex digits", ks.CurrentID())
	}
}

func TestParseKeysAcceptsEncodings(t *testing.T) {
	raw := bytes.Repeat([]byte{0xfb, 0xff, 0x01}, 11)[:KeySize] // has + and / in std base64
	std := base64.StdEncoding.EncodeToString(raw)
	want := mustKeys(t, std).CurrentID()
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		s := "  " + enc.EncodeToString(raw) + "\n"
		if got := mustKeys(t, s).CurrentID(); got != want {
			t.Errorf("encoding %q: id %s, want %s", s, got, want)
		}
	}
}

func TestParseKeysErrorsNeverEchoKey(t *testing.T) {
	good := GenerateKey()
	short := base64.StdEncoding.EncodeToString([]byte("sixteen-byte-key"))
	long := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("k"), 48))
	bad := "not*base64!SECRETMARKER"
	cases := []struct {
		name     string
		current  string
		previous []string
		secret   string
	}{
		{"empty current", "", nil, ""},
		{"short current", short, nil, short},
		{"long current", long, nil, long},
		{"not base64", bad, nil, bad},
		{"bad previous", good, []string{"", bad}, bad},
		{"short previous", good, []string{short}, short},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ks, err := ParseKeys(c.current, c.previous)
			if err == nil {
				t.Fatalf("no error; got %v", ks)
			}
			if !errors.Is(err, ErrBadKey) {
				t.Errorf("error %v does not wrap ErrBadKey", err)
			}
			msg := err.Error()
			for _, s := range []string{c.secret, good, "SECRETMARKER"} {
				if s != "" && strings.Contains(msg, s) {
					t.Errorf("error %q contains key material", msg)
				}
			}
		})
	}
}

func TestKeysPrintNoSecret(t *testing.T) {
	k := GenerateKey()
	ks := mustKeys(t, k)
	for _, s := range []string{fmt.Sprint(ks), fmt.Sprintf("%v %+v %#v %s", ks, ks, ks, ks)} {
		if strings.Contains(s, k) || !strings.Contains(s, ks.CurrentID()) {
			t.Errorf("printed keys as %q", s)
		}
	}
}

func TestSealRoundTrip(t *testing.T) {
	ks := mustKeys(t, GenerateKey())
	for _, pt := range [][]byte{nil, []byte("+15551234567"), bytes.Repeat([]byte{7}, 4096)} {
		s, err := ks.Seal(pt, "contacts.reply:sms")
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != len(pt)+Overhead {
			t.Errorf("sealed length %d, want %d", len(s), len(pt)+Overhead)
		}
		if len(pt) > 4 && bytes.Contains(s, pt) {
			t.Error("sealed value contains the plaintext")
		}
		got, err := ks.Open(s, "contacts.reply:sms")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, pt) {
			t.Errorf("round trip: got %q, want %q", got, pt)
		}
		if ks.NeedsRotation(s) {
			t.Error("fresh value needs rotation")
		}
	}
}

func TestSealNonceIsFresh(t *testing.T) {
	ks := mustKeys(t, GenerateKey())
	a, _ := ks.Seal([]byte("same"), "x")
	b, _ := ks.Seal([]byte("same"), "x")
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are identical")
	}
}

func TestOpenDetectsTampering(t *testing.T) {
	ks := mustKeys(t, GenerateKey())
	s, err := ks.Seal([]byte("123456789"), "aad")
	if err != nil {
		t.Fatal(err)
	}
	for i := range s {
		bad := bytes.Clone(s)
		bad[i] ^= 0x01
		if _, err := ks.Open(bad, "aad"); err == nil {
			t.Fatalf("flipping byte %d went unnoticed", i)
		}
	}
	if _, err := ks.Open(s[:len(s)-1], "aad"); !errors.Is(err, ErrAuth) {
		t.Errorf("truncated by one: %v, want ErrAuth", err)
	}
	if _, err := ks.Open(s[:Overhead-1], "aad"); !errors.Is(err, ErrMalformed) {
		t.Errorf("too short: %v, want ErrMalformed", err)
	}
	bad := bytes.Clone(s)
	bad[0] = 9
	if _, err := ks.Open(bad, "aad"); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad version: %v, want ErrMalformed", err)
	}
}

func TestOpenWrongAAD(t *testing.T) {
	ks := mustKeys(t, GenerateKey())
	s, _ := ks.Seal([]byte("chat 42"), "telegram")
	for _, aad := range []string{"", "sms", "telegram ", "Telegram"} {
		if _, err := ks.Open(s, aad); !errors.Is(err, ErrAuth) {
			t.Errorf("aad %q: %v, want ErrAuth", aad, err)
		}
	}
}

func TestOpenUnknownKey(t *testing.T) {
	a := mustKeys(t, GenerateKey())
	b := mustKeys(t, GenerateKey())
	s, _ := a.Seal([]byte("x"), "")
	if _, err := b.Open(s, ""); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("open under another key: %v, want ErrUnknownKey", err)
	}
	if !b.NeedsRotation(s) {
		t.Error("value under an unknown key should need rotation")
	}
	if b.NeedsRotation([]byte("short")) {
		t.Error("malformed value should not report NeedsRotation")
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey := GenerateKey(), GenerateKey()
	before := mustKeys(t, oldKey)
	s, _ := before.Seal([]byte("+15550001111"), "reply")
	h := before.Hash(KindSMS, "+15550001111")

	during := mustKeys(t, newKey, "", oldKey, newKey) // duplicates and blanks are tolerated
	if got := during.PreviousIDs(); len(got) != 1 || got[0] != before.CurrentID() {
		t.Fatalf("previous ids %v, want [%s]", got, before.CurrentID())
	}
	if !during.NeedsRotation(s) {
		t.Fatal("value under the old key does not need rotation")
	}
	pt, err := during.Open(s, "reply")
	if err != nil || string(pt) != "+15550001111" {
		t.Fatalf("open with old key as previous: %q, %v", pt, err)
	}
	resealed, _ := during.Seal(pt, "reply")
	if during.NeedsRotation(resealed) {
		t.Error("resealed value still needs rotation")
	}
	all := during.HashAll(KindSMS, "+15550001111")
	if len(all) != 2 || !bytes.Equal(all[1], h) || !bytes.Equal(all[0], during.Hash(KindSMS, "+15550001111")) {
		t.Error("HashAll does not give current then previous hashes")
	}
	if bytes.Equal(all[0], h) {
		t.Error("hash did not change with the key")
	}
	after := mustKeys(t, newKey)
	if _, err := after.Open(s, "reply"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old value after rotation finished: %v, want ErrUnknownKey", err)
	}
}

func TestHash(t *testing.T) {
	ks := mustKeys(t, GenerateKey())
	a := ks.Hash(KindSMS, "12345")
	if len(a) != 32 || !bytes.Equal(a, ks.Hash(KindSMS, "12345")) {
		t.Fatal("hash is not a stable 32-byte value")
	}
	if bytes.Equal(a, ks.Hash(KindTelegram, "12345")) {
		t.Error("hash does not depend on kind")
	}
	if bytes.Equal(a, ks.Hash(KindSMS, "12346")) {
		t.Error("hash does not depend on value")
	}
	other := mustKeys(t, GenerateKey())
	if bytes.Equal(a, other.Hash(KindSMS, "12345")) {
		t.Error("hash does not depend on key")
	}
}

func TestAlias(t *testing.T) {
	ks := mustKeys(t, GenerateKey())
	h := ks.Hash(KindSMS, "+15551234567")
	a := Alias(h)
	if !regexp.MustCompile(`^R-[0-9A-HJKMNP-TV-Z]{7}$`).MatchString(a) {
		t.Fatalf("alias %q has the wrong shape", a)
	}
	if a != Alias(bytes.Clone(h)) {
		t.Error("alias is not stable")
	}
	if strings.Contains(a, "1234567") {
		t.Error("alias shows the identifier")
	}
	seen := map[string]bool{}
	for i := range 20000 {
		seen[Alias(ks.Hash(KindSMS, fmt.Sprint(i)))] = true
	}
	if len(seen) < 19990 {
		t.Errorf("%d distinct aliases for 20000 senders", len(seen))
	}
}

func TestConcurrentUse(t *testing.T) {
	ks := mustKeys(t, GenerateKey(), GenerateKey())
	want := ks.Hash(KindTelegram, "42")
	t.Run("group", func(t *testing.T) {
		for range 8 {
			t.Run("worker", func(t *testing.T) {
				t.Parallel()
				for range 200 {
					if !bytes.Equal(ks.Hash(KindTelegram, "42"), want) {
						t.Error("hash changed under concurrency")
					}
					s, err := ks.Seal([]byte("42"), "a")
					if err != nil {
						t.Error(err)
					}
					if _, err := ks.Open(s, "a"); err != nil {
						t.Error(err)
					}
				}
			})
		}
	})
}

func BenchmarkHash(b *testing.B) {
	ks := mustKeys(b, GenerateKey())
	for b.Loop() {
		ks.Hash(KindSMS, "+15551234567")
	}
}

func BenchmarkSeal(b *testing.B) {
	ks := mustKeys(b, GenerateKey())
	pt := []byte("+15551234567")
	for b.Loop() {
		if _, err := ks.Seal(pt, "reply"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	ks := mustKeys(b, GenerateKey())
	s, _ := ks.Seal([]byte("+15551234567"), "reply")
	for b.Loop() {
		if _, err := ks.Open(s, "reply"); err != nil {
			b.Fatal(err)
		}
	}
}
