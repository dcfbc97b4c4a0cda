package sms

import (
	"strings"
	"testing"
)

// digits repeats "1234567890" as the Twilio calculator tests do.
func digits(n int) string {
	return strings.Repeat("1234567890", n/10+1)[:n]
}

// TestSegmentVectors checks every vector of protocol-vectors.md section 4.
func TestSegmentVectors(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		enc      Encoding
		units    int
		segments int
	}{
		// Official: Twilio's message-segment-calculator tests.
		{"brace+158 digits (159 chars)", "{" + digits(159)[1:], GSM7, 160, 1},
		{"brace+159 digits (160 chars)", "{" + digits(160)[1:], GSM7, 161, 2},
		{"emoji+68 digits", "😜" + digits(68), UCS2, 70, 1},
		{"emoji+69 digits", "😜" + digits(69), UCS2, 71, 2},
		{"307 digits", digits(307), GSM7, 307, 3},
		{"emoji+133 digits", "😜" + digits(133), UCS2, 135, 3},
		// Computed from the rules (protocol-vectors.md, not official).
		{"160 a", strings.Repeat("a", 160), GSM7, 160, 1},
		{"161 a", strings.Repeat("a", 161), GSM7, 161, 2},
		{"160 e-acute", strings.Repeat("é", 160), GSM7, 160, 1},
		{"70 a-acute", strings.Repeat("á", 70), UCS2, 70, 1},
		{"71 a-acute", strings.Repeat("á", 71), UCS2, 71, 2},
		{"80 euro", strings.Repeat("€", 80), GSM7, 160, 1},
		{"81 euro", strings.Repeat("€", 81), GSM7, 162, 2},
		// Ours: pairs are never split across segments.
		{"ESC pair moves whole", strings.Repeat("a", 152) + strings.Repeat("€", 77), GSM7, 306, 3},
		{"surrogate pair moves whole", strings.Repeat("á", 66) + strings.Repeat("😜", 34), UCS2, 134, 3},
		{"empty", "", GSM7, 0, 0},
		{"one extension char", "{", GSM7, 2, 1},
		{"backtick is not GSM-7", "`", UCS2, 1, 1},
		{"lower c-cedilla is not GSM-7", "ç", UCS2, 1, 1},
		{"capital C-cedilla is GSM-7", "Ç", GSM7, 1, 1},
		{"form feed is an extension", "\f", GSM7, 2, 1},
		{"invalid UTF-8", "\xff", UCS2, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, units := Length(tt.body)
			if enc != tt.enc || units != tt.units {
				t.Errorf("Length = %v, %d; want %v, %d", enc, units, tt.enc, tt.units)
			}
			enc, n := Segments(tt.body)
			if enc != tt.enc || n != tt.segments {
				t.Errorf("Segments = %v, %d; want %v, %d", enc, n, tt.enc, tt.segments)
			}
			if got := IsGSM7(tt.body); got != (tt.enc == GSM7) {
				t.Errorf("IsGSM7 = %v", got)
			}
		})
	}
}

// TestGSMTables checks the sizes of both tables and a few members.
func TestGSMTables(t *testing.T) {
	if n := len([]rune(gsmBasic)); n != 127 {
		t.Errorf("basic table has %d characters, want 127", n)
	}
	basic := 0
	for r := rune(0); r < 0x10000; r++ {
		switch septets(r) {
		case 1:
			basic++
		case 2:
			if !strings.ContainsRune(gsmExtension, r) {
				t.Errorf("%q costs 2 but is not in the extension table", r)
			}
		}
	}
	if basic != 127 {
		t.Errorf("%d runes cost 1 septet, want 127", basic)
	}
	for _, s := range []string{"^", "{", "}", "\\", "[", "~", "]", "|", "€", "\f"} {
		if _, n := Length(s); n != 2 {
			t.Errorf("%q costs %d septets, want 2", s, n)
		}
	}
	for _, s := range []string{"á", "í", "ó", "ú", "`", "’", "\t"} {
		if IsGSM7(s) {
			t.Errorf("%q reported as GSM-7", s)
		}
	}
}

func TestEncodingString(t *testing.T) {
	if GSM7.String() != "GSM-7" || UCS2.String() != "UCS-2" {
		t.Errorf("got %s, %s", GSM7, UCS2)
	}
}

func TestFits(t *testing.T) {
	if Fits("", 3) {
		t.Error("empty body fits")
	}
	if !Fits(digits(459), 3) || Fits(digits(460), 3) {
		t.Error("3 GSM-7 segments hold exactly 459 septets")
	}
	if !Fits("😜"+digits(199), 3) || Fits("😜"+digits(200), 3) {
		t.Error("3 UCS-2 segments hold exactly 201 units")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"l’aide “maintenant” – vite…", "l'aide \"maintenant\" - vite..."},
		{"plain", "plain"},
		{"¿Dónde estás?", "¿Dónde estás?"}, // letters are kept
		{"« oui »", "\" oui \""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !IsGSM7(Normalize("It’s ok — “really”")) {
		t.Error("normalized English text is not GSM-7")
	}
}
