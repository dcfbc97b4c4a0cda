package sms

import (
	"strings"
	"testing"
)

// squash removes all whitespace, to compare texts across breaks.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// checkParts asserts the invariants every Split result must keep.
func checkParts(t *testing.T, text string, max int, more string, parts []string) {
	t.Helper()
	if max < 1 {
		max = 1
	}
	var joined strings.Builder
	for i, p := range parts {
		if !Fits(p, max) {
			_, n := Segments(p)
			t.Errorf("part %d costs %d segments, max %d: %q", i, n, max, p)
		}
		if i < len(parts)-1 && more != "" && Fits(string([]rune(text)[:1])+more, max) {
			if !strings.HasSuffix(p, more) {
				t.Errorf("part %d lacks the MORE suffix: %q", i, p)
			}
			p = strings.TrimSuffix(p, more)
		}
		// Squashed part by part: joined, the pieces of invalid UTF-8 on
		// either side of a dropped space could form a new (space) rune.
		joined.WriteString(squash(p))
	}
	if joined.String() != squash(text) {
		t.Errorf("parts lose or add text:\n got %q\nwant %q", joined.String(), squash(text))
	}
}

func TestSplitShortTextIsOnePart(t *testing.T) {
	parts := Split("  Hello there \n", 3)
	if len(parts) != 1 || parts[0] != "Hello there" {
		t.Errorf("got %q", parts)
	}
	if parts := Split(" \n\t ", 3); len(parts) != 0 {
		t.Errorf("whitespace gave %q", parts)
	}
}

func TestSplitAtWords(t *testing.T) {
	text := strings.Repeat("shelter food phone ", 60) // 1140 septets
	parts := Split(text, 1)
	checkParts(t, text, 1, "", parts)
	for i, p := range parts {
		if strings.HasSuffix(p, " ") || strings.HasPrefix(p, " ") {
			t.Errorf("part %d keeps space at a break: %q", i, p)
		}
		for _, w := range strings.Fields(p) {
			if w != "shelter" && w != "food" && w != "phone" {
				t.Errorf("part %d split a word: %q", i, w)
			}
		}
	}
	if len(parts) != 8 { // 1140 / ~155 per single-segment part
		t.Errorf("got %d parts, want 8", len(parts))
	}
}

func TestSplitPrefersLineEnds(t *testing.T) {
	var lines []string
	for i := 0; i < 12; i++ {
		lines = append(lines, "1) Safe place tonight, open 24 hours, 555-0100")
	}
	text := strings.Join(lines, "\n")
	parts := Split(text, 1)
	checkParts(t, text, 1, "", parts)
	for i, p := range parts {
		for _, l := range strings.Split(p, "\n") {
			if l != lines[0] {
				t.Errorf("part %d broke a line: %q", i, l)
			}
		}
	}
}

func TestSplitMore(t *testing.T) {
	text := strings.Repeat("Línea de ayuda abierta todo el día. ", 30) // UCS-2
	more := "\n(MORE)"
	parts := SplitMore(text, MaxSegments, more)
	if len(parts) < 2 {
		t.Fatalf("got %d parts", len(parts))
	}
	checkParts(t, text, MaxSegments, more, parts)
	if strings.HasSuffix(parts[len(parts)-1], more) {
		t.Error("last part carries MORE")
	}
}

func TestSplitLongWordAndEmoji(t *testing.T) {
	word := strings.Repeat("x", 400)
	parts := Split(word, 1)
	checkParts(t, word, 1, "", parts)
	if len(parts) != 3 || len(parts[0]) != 160 {
		t.Errorf("got %d parts, first %d chars", len(parts), len(parts[0]))
	}
	family := "👨\u200d👩\u200d👧"
	text := strings.Repeat("a", 68) + family + family
	for _, p := range Split(text, 1) {
		if strings.HasPrefix(p, "\u200d") || strings.HasSuffix(p, "\u200d") {
			t.Errorf("split inside an emoji sequence: %q", p)
		}
	}
}

func TestSplitDegenerate(t *testing.T) {
	text := strings.Repeat("word ", 100)
	checkParts(t, text, 0, "", Split(text, 0)) // max < 1 means 1
	huge := strings.Repeat("m", 500)
	parts := SplitMore(text, 1, huge) // MORE cannot fit: left out
	checkParts(t, text, 1, huge, parts)
}
