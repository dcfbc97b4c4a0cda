package twilio_test

import (
	"net/url"
	"testing"

	"tipline/twilio"
)

// Inputs of protocol-vectors.md section 1.4.
const (
	vecToken = "12345"
	vecURL   = "https://mycompany.com/myapp.php?foo=1&bar=2"
	vecBody  = `{"property": "value", "boolean": true}`
	vecHash  = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
)

func commonParams() url.Values {
	return url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675309"},
		"Digits":  {"1234"},
		"From":    {"+14158675309"},
		"To":      {"+18005551212"},
	}
}

// TestVerifyVectors runs T1-T10 of protocol-vectors.md section 1.4.
func TestVerifyVectors(t *testing.T) {
	repeated := url.Values{"Sid": {"CA123"}, "SidAccount": {"AC123"}, "Digits": {"5678", "1234"}}
	prefix := url.Values{"Sid": {"CA123"}, "SidAccount": {"AC123"}}
	tests := []struct {
		name   string
		url    string
		params url.Values
		sig    string
		want   bool
	}{
		{"T1", vecURL, commonParams(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"T2 non-default port stripped", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", commonParams(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"T3 signed with :443", vecURL, commonParams(), "kvajT1Ptam85bY51eRf/AJRuM3w=", true},
		{"T4 signed with :80", "http://mycompany.com/myapp.php?foo=1&bar=2", commonParams(), "0ZXoZLH/DfblKGATFgpif+LLRf4=", true},
		{"T5 port kept", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", commonParams(), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true},
		{"T6 wrong signature", vecURL, commonParams(), "WRONG SIGNATURE", false},
		{"T7 repeated key", vecURL, repeated, "IK+Dwps556ElfBT0I3Rgjkr1wJU=", true},
		{"T8 http without port", "http://mycompany.com/myapp.php?foo=1&bar=2", commonParams(), "OyGYPqTF6ztdbRNCvuQO/oPvqQ4=", true},
		{"T9 key-sorted", vecURL, prefix, "KbzCusS/GpHkn5AoozYUlIMTvvw=", true},
		{"T9 concat-sorted is wrong", vecURL, prefix, "XCsNlJ3kmmT1stDFj3VzapP2c4Q=", false},
		{"T10 no params", vecURL, nil, "zYQTYrRWXE7LtzbG4PfP7/bkkGo=", true},
		{"T1 with :443 given", "https://mycompany.com:443/myapp.php?foo=1&bar=2", commonParams(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"empty signature", vecURL, commonParams(), "", false},
		{"old docs walkthrough", vecURL, url.Values{
			"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
			"From": {"+12349013030"}, "To": {"+18005551212"},
		}, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := twilio.Verify(vecToken, tt.url, tt.params, tt.sig); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestVerifyBodyVectors runs J1-J3 and the section 2 JSON example.
func TestVerifyBodyVectors(t *testing.T) {
	j1 := vecURL + "&bodySHA256=" + vecHash
	tests := []struct {
		name, token, url, body, sig string
		want                        bool
	}{
		{"J1", vecToken, j1, vecBody, "a9nBmqA0ju/hNViExpshrM61xv4=", true},
		{"J2", vecToken, "https://mycompany.com/myapp.php?bodySHA256=" + vecHash, vecBody, "y77kIzt2vzLz71DgmJGsen2scGs=", true},
		{"J3 T1 signature on J1 URL", vecToken, j1, vecBody, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"J1 body changed", vecToken, j1, vecBody + " ", "a9nBmqA0ju/hNViExpshrM61xv4=", false},
		{"section 2 JSON", exToken,
			"https://tipline.example.org/twilio/events?bodySHA256=811578052e6085ac5230d5de45c52c4e96bdcda760f52f8013f56077d9ede308",
			`{"MessageSid":"SM0123456789abcdef0123456789abcdef","Body":"hi"}`, "LtzM6LxPMCAQaLYln8ZM9ZWzbm4=", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := twilio.VerifyBody(tt.token, tt.url, []byte(tt.body), tt.sig); got != tt.want {
				t.Errorf("VerifyBody = %v, want %v", got, tt.want)
			}
		})
	}
}

// Section 2 example request.
const (
	exToken = "test_auth_token_not_real_0000000"
	exURL   = "https://tipline.example.org/twilio/sms"
	exForm  = "ToCountry=US&ToState=NY&SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&ToCity=NEW+YORK&FromZip=10027&SmsSid=SM0123456789abcdef0123456789abcdef&FromState=NY&SmsStatus=received&FromCity=NEW+YORK&Body=I+need+help&FromCountry=US&To=%2B12125550100&MessagingServiceSid=MG0123456789abcdef0123456789abcdef&ToZip=10001&NumSegments=1&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B12125550199&ApiVersion=2010-04-01"
	exSig   = "/OSSE7yTat0IuGKEsXR/b9M4DYU="
)

func exParams(t testing.TB) url.Values {
	v, err := url.ParseQuery(exForm)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVerifyExampleRequest checks the section 2 request and that a change
// of one byte in the URL, a parameter or the token fails.
func TestVerifyExampleRequest(t *testing.T) {
	p := exParams(t)
	if !twilio.Verify(exToken, exURL, p, exSig) {
		t.Fatal("section 2 example does not verify")
	}
	if got := twilio.Sign(exToken, exURL, p); got != exSig {
		t.Errorf("Sign = %s, want %s", got, exSig)
	}
	es := exParams(t)
	es.Set("Body", "Necesito ayuda 🙏")
	if !twilio.Verify(exToken, exURL, es, "kdS9nuqlAXTIL9sMPVpVbuutU58=") {
		t.Error("Spanish variant does not verify")
	}
	if twilio.Verify(exToken, "https://tipline.example.org/twilio/smS", p, exSig) {
		t.Error("one-byte URL change verified")
	}
	if twilio.Verify(exToken+"x", exURL, p, exSig) || twilio.Verify("test_auth_token_not_real_0000001", exURL, p, exSig) {
		t.Error("changed token verified")
	}
	changed := exParams(t)
	changed.Set("Body", "I need helq")
	if twilio.Verify(exToken, exURL, changed, exSig) {
		t.Error("one-byte parameter change verified")
	}
	extra := exParams(t)
	extra.Add("Body", "x")
	if twilio.Verify(exToken, exURL, extra, exSig) {
		t.Error("added value verified")
	}
	if twilio.Verify("", exURL, p, twilio.Sign("", exURL, p)) {
		t.Error("empty token verified")
	}
}

func TestSignDoesNotMutateParams(t *testing.T) {
	p := url.Values{"Digits": {"5678", "1234"}}
	twilio.Sign(vecToken, vecURL, p)
	if p["Digits"][0] != "5678" {
		t.Error("Sign sorted the caller's values")
	}
}

func TestVerifyURLShapes(t *testing.T) {
	p := url.Values{"A": {"1"}}
	for _, signed := range []string{
		"https://user:pass@example.org:8443/x?y=1",
		"https://[::1]:8443/x",
		"https://[::1]/x",
		"http://example.org",
		"example.org/no-scheme",
	} {
		if !twilio.Verify(vecToken, signed, p, twilio.Sign(vecToken, signed, p)) {
			t.Errorf("%s: own signature rejected", signed)
		}
	}
	if !twilio.Verify(vecToken, "https://[::1]:8443/x", p, twilio.Sign(vecToken, "https://[::1]/x", p)) {
		t.Error("IPv6 port not stripped")
	}
	if !twilio.Verify(vecToken, "https://u:p@example.org:8443/x", p, twilio.Sign(vecToken, "https://u:p@example.org/x", p)) {
		t.Error("port after userinfo not stripped")
	}
}
