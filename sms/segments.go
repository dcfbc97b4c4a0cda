package sms

// Encoding is the character encoding a carrier uses for a message.
type Encoding int

// The two SMS encodings.
const (
	GSM7 Encoding = iota // GSM 03.38 7-bit default alphabet, with extension table
	UCS2                 // UCS-2 (UTF-16 code units), used when any character is outside GSM-7
)

// String returns "GSM-7" or "UCS-2".
func (e Encoding) String() string {
	if e == UCS2 {
		return "UCS-2"
	}
	return "GSM-7"
}

// Carrier limits, in septets (GSM-7) or UTF-16 code units (UCS-2). A
// concatenated message loses 6 octets per segment to the User Data Header.
const (
	GSM7Single  = 160 // one GSM-7 message alone
	GSM7Segment = 153 // each GSM-7 segment of a concatenated message
	UCS2Single  = 70  // one UCS-2 message alone
	UCS2Segment = 67  // each UCS-2 segment of a concatenated message
)

// MaxSegments is the most segments one Tipline reply may use on SMS; longer
// texts are split and paginated with MORE.
const MaxSegments = 3

// MaxBody is the longest body, in characters, Twilio accepts.
const MaxBody = 1600

// Length returns the encoding body needs and its length in that encoding's
// units: septets for GSM-7 (extension characters count 2), UTF-16 code
// units for UCS-2 (characters outside the BMP count 2).
func Length(body string) (encoding Encoding, units int) {
	gsm, septs := true, 0
	for _, r := range body {
		if gsm {
			c := septets(r)
			septs += c
			gsm = c > 0
		}
		units += utf16Len(r)
	}
	if gsm {
		return GSM7, septs
	}
	return UCS2, units
}

// Segments returns the encoding a carrier would use for body and the number
// of segments it costs. It packs characters into segments the way a
// carrier does: an ESC pair (GSM-7 extension character) or a UTF-16
// surrogate pair is never split, so it moves whole to the next segment. An
// empty body costs 0 segments.
func Segments(body string) (encoding Encoding, segments int) {
	encoding, units := Length(body)
	single, per, cost := GSM7Single, GSM7Segment, septets
	if encoding == UCS2 {
		single, per, cost = UCS2Single, UCS2Segment, utf16Len
	}
	switch {
	case units == 0:
		return encoding, 0
	case units <= single:
		return encoding, 1
	}
	segments, used := 1, 0
	for _, r := range body {
		c := cost(r)
		if used+c > per {
			segments++
			used = 0
		}
		used += c
	}
	return encoding, segments
}

// Fits reports whether body is non-empty and costs at most maxSegments
// segments.
func Fits(body string, maxSegments int) bool {
	_, n := Segments(body)
	return n > 0 && n <= maxSegments
}

// utf16Len returns the number of UTF-16 code units r takes.
func utf16Len(r rune) int {
	if r >= 0x10000 && r <= 0x10FFFF {
		return 2
	}
	return 1
}
