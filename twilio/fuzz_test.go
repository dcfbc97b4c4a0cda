package twilio_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/twilio"
)

// FuzzParseForm feeds raw webhook bodies to the form parsers. Seeds live
// in testdata/fuzz/FuzzParseForm.
func FuzzParseForm(f *testing.F) {
	f.Add(exForm)
	f.Add(mmsForm)
	f.Add("MessageSid=SMd&MessageStatus=delivered&ErrorCode=30003")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := twilio.ParseInbound(form, time.Unix(0, 0))
		if err == nil {
			if in.Channel != tipline.ChannelSMS || in.ProviderID != form.Get("MessageSid") ||
				in.SenderID != tipline.CleanText(form.Get("From")) || in.Text != form.Get("Body") || len(in.Media) > twilio.MaxMedia {
				t.Fatalf("inbound %+v from %v", in, form)
			}
			if in.Country != "" && in.Country != strings.ToUpper(strings.TrimSpace(form.Get("FromCountry"))) {
				t.Fatalf("country %q", in.Country)
			}
		} else if tipline.Code(err) != tipline.EInvalid {
			t.Fatalf("error code %v", tipline.Code(err))
		}
		st, err := twilio.ParseStatus(form, time.Unix(0, 0))
		if err == nil && (st.MessageSid == "" || st.Status == "") {
			t.Fatalf("status %+v", st)
		}
	})
}

// FuzzVerify checks that Verify never panics, accepts what Sign makes for
// any URL and parameters, and refuses it under a token changed in one byte.
// Seeds live in testdata/fuzz/FuzzVerify.
func FuzzVerify(f *testing.F) {
	f.Add(vecToken, vecURL, "CallSid=CA1234567890ABCDE&Digits=1234", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
	f.Add(exToken, exURL, exForm, exSig)
	f.Add("t", "https://[::1]:8443/x?y", "a=1&a=1&b=", "")
	f.Fuzz(func(t *testing.T, token, fullURL, body, sig string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			form = url.Values{}
		}
		twilio.Verify(token, fullURL, form, sig)
		twilio.VerifyBody(token, fullURL, []byte(body), sig)
		if token == "" {
			return
		}
		good := twilio.Sign(token, fullURL, form)
		if !twilio.Verify(token, fullURL, form, good) {
			t.Fatalf("own signature rejected: %q %q", fullURL, body)
		}
		flipped := []byte(token)
		flipped[len(flipped)/2] ^= 1
		if twilio.Verify(string(flipped), fullURL, form, good) {
			t.Fatalf("signature accepted under another token")
		}
	})
}
