package config

import (
	"strings"
	"testing"
)

// TestSMSPublicNumber: the number a poster shows is SMS_PUBLIC_NUMBER,
// else TWILIO_FROM when that is a phone number; a Messaging Service SID is
// never shown; a malformed SMS_PUBLIC_NUMBER is refused.
func TestSMSPublicNumber(t *testing.T) {
	base := map[string]string{"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "x"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	sid := "MG" + strings.Repeat("0a", 16)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{with("TWILIO_FROM", "+15005550006"), "+15005550006"},
		{with("TWILIO_FROM", sid), ""},
		{with("TWILIO_FROM", sid, "SMS_PUBLIC_NUMBER", "+15005550007"), "+15005550007"},
		{with("TWILIO_FROM", sid, "SMS_PUBLIC_NUMBER", "741741"), "741741"},
		{with("TWILIO_FROM", "+15005550006", "SMS_PUBLIC_NUMBER", "+15005550007"), "+15005550007"},
		{nil, ""},
	} {
		c, err := Load(envOf(tc.env), ModeDev)
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if got := c.PublicSMSNumber(); got != tc.want {
			t.Errorf("%v: poster number %q, want %q", tc.env, got, tc.want)
		}
	}
	for _, bad := range []string{"555-0100", "12", "+1 555 0100", "text us"} {
		_, err := Load(envOf(with("TWILIO_FROM", sid, "SMS_PUBLIC_NUMBER", bad)), ModeDev)
		if err == nil || !strings.Contains(err.Error(), "SMS_PUBLIC_NUMBER") {
			t.Errorf("SMS_PUBLIC_NUMBER=%q accepted: %v", bad, err)
		}
	}
}
