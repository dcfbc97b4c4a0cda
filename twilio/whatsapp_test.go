package twilio_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tipline"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

const (
	waYouth    = "+5215512345678"
	waFrom     = "whatsapp:+15005550006"
	templateID = "HX0123456789abcdef0123456789abcdef"
	choicesID  = "HXfedcba9876543210fedcba9876543210"
)

func TestParseWhatsAppTextMediaLocationButton(t *testing.T) {
	fake := startFake(t)
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	in, err := twilio.ParseInbound(fake.WhatsAppInboundForm(waYouth, "hola"), now)
	if err != nil {
		t.Fatal(err)
	}
	if in.Channel != tipline.ChannelWhatsApp || in.SenderID != waYouth || in.Text != "hola" || in.Country != "MX" {
		t.Fatalf("text: %+v", in)
	}
	url := fake.AddMedia("MM00000000000000000000000000000001", "image/jpeg", []byte("jpeg"))
	in, _ = twilio.ParseInbound(fake.WhatsAppInboundForm(waYouth, "", url), now)
	if len(in.Media) != 1 || in.Media[0].Ref != url || in.Media[0].ContentType != "image/jpeg" {
		t.Fatalf("media: %+v", in.Media)
	}
	in, _ = twilio.ParseInbound(fake.WhatsAppLocationForm(waYouth, 19.4326, -99.1332), now)
	if in.Location == nil || in.Location.Lat != 19.4326 || in.Location.Lon != -99.1332 || in.Text != "" {
		t.Fatalf("location: %+v", in)
	}
	f := fake.WhatsAppInboundForm(waYouth, "")
	f.Set("ButtonText", "Ayuda para mí")
	f.Set("ButtonPayload", "2")
	if in, _ = twilio.ParseInbound(f, now); in.Text != "2" {
		t.Fatalf("button: %q", in.Text)
	}
	f = fake.WhatsAppInboundForm(waYouth, "x")
	f.Set("From", "whatsapp:12345")
	if _, err := twilio.ParseInbound(f, now); tipline.Code(err) != tipline.EInvalid {
		t.Fatalf("malformed From: %v", err)
	}
	f.Set("Latitude", "91")
	f.Set("Longitude", "0")
	f.Set("From", "whatsapp:+14165550100")
	if in, _ = twilio.ParseInbound(f, now); in.Location != nil || in.Country != "CA" {
		t.Fatalf("out of range location or Canadian number: %+v", in)
	}
}

func TestWhatsAppCountry(t *testing.T) {
	for n, want := range map[string]string{"+5215512345678": "MX", "+12125550199": "US", "+15145550100": "CA",
		"+18765550100": "", "+17875550100": "US", "+33612345678": ""} {
		f := twiliotest.New()
		in, err := twilio.ParseInbound(f.WhatsAppInboundForm(n, "hi"), time.Now())
		f.Close()
		if err != nil || in.Country != want {
			t.Errorf("%s: country %q, want %q (%v)", n, in.Country, want, err)
		}
	}
}

func TestRenderWhatsApp(t *testing.T) {
	r := tipline.Reply{Text: "¿Es para ti?  ", Options: []tipline.Option{{Label: "Para mí", Value: "me"}, {Label: "Vi a alguien", Value: "saw"}}}
	if got, want := twilio.RenderWhatsApp(r), "¿Es para ti?\n1) Para mí\n2) Vi a alguien"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	vars, ok := twilio.ChoicesVariables(r)
	if !ok || vars != `{"1":"¿Es para ti?","2":"Para mí","3":"Vi a alguien"}` {
		t.Fatalf("choices variables %s %v", vars, ok)
	}
	if _, ok := twilio.ChoicesVariables(tipline.Reply{Text: "x"}); ok {
		t.Fatal("choices without options")
	}
	if err := twilio.CheckWhatsApp(string(make([]rune, 1601))); err == nil {
		t.Fatal("1601 characters accepted")
	}
}

// waProvider is a WhatsApp provider on the fake whose person last wrote at
// *last (never when nil).
func waProvider(t *testing.T, fake *twiliotest.Server, now time.Time, last *time.Time) *twilio.WhatsAppProvider {
	return &twilio.WhatsAppProvider{Client: newClient(t, fake, ourNumber), From: waFrom, StatusCallback: statusURL,
		Now: func() time.Time { return now },
		LastInbound: func(_ context.Context, id int64) (time.Time, bool, error) {
			if id != 42 {
				t.Errorf("message id %d", id)
			}
			if last == nil {
				return time.Time{}, false, nil
			}
			return *last, true, nil
		}}
}

func TestWhatsAppSendInsideWindow(t *testing.T) {
	fake := startFake(t)
	now := time.Now()
	last := now.Add(-23 * time.Hour)
	fake.OpenSession(waYouth)
	p := waProvider(t, fake, now, &last)
	r := tipline.Reply{Text: "Hola", Options: []tipline.Option{{Label: "Sí", Value: "yes"}}}
	sid, err := p.Send(context.Background(), waYouth, r, tipline.SendOptions{MessageID: 42, Validity: tipline.YouthValidity})
	if err != nil || !smSid.MatchString(sid) {
		t.Fatalf("send: %q %v", sid, err)
	}
	c := fake.Creates()[0]
	if c.To != "whatsapp:"+waYouth || c.From != waFrom || c.Body != "Hola\n1) Sí" || c.ValidityPeriod != 0 || c.StatusCallback != statusURL {
		t.Fatalf("create: %+v", c)
	}
	if m, _ := fake.Message(sid); m.Status != "queued" {
		t.Fatalf("fake says %s %d", m.Status, m.ErrorCode)
	}
	p.ChoicesSID = choicesID
	if _, err := p.Send(context.Background(), waYouth, r, tipline.SendOptions{MessageID: 42}); err != nil {
		t.Fatal(err)
	}
	c = fake.Creates()[1]
	if c.Form.Get("ContentSid") != choicesID || c.Form.Get("ContentVariables") != `{"1":"Hola","2":"Sí"}` || c.Body != "" {
		t.Fatalf("choices create: %+v", c.Form)
	}
	if found, ok, err := p.Reconcile(context.Background(), waYouth, tipline.Reply{Text: "Hola", Options: r.Options}, now.Add(-time.Minute)); err != nil || !ok || found == "" {
		t.Fatalf("reconcile: %q %v %v", found, ok, err)
	}
}

func TestWhatsAppOutsideWindowTemplateOrRefused(t *testing.T) {
	fake := startFake(t)
	now := time.Now()
	last := now.Add(-25 * time.Hour)
	p := waProvider(t, fake, now, &last)
	r := tipline.Reply{Text: "Hi, this is Dana from the line. Are you safe tonight?"}
	_, err := p.Send(context.Background(), waYouth, r, tipline.SendOptions{MessageID: 42})
	se, ok := errors.AsType[*tipline.SendError](err)
	if !ok || !se.Permanent() || se.Code != twilio.CodeWhatsAppWindow || !errors.Is(err, twilio.ErrWhatsAppWindow) {
		t.Fatalf("without a template: %v", err)
	}
	if len(fake.Creates()) != 0 {
		t.Fatal("a refused message reached Twilio")
	}
	p.TemplateSID = templateID
	sid, err := p.Send(context.Background(), waYouth, r, tipline.SendOptions{MessageID: 42})
	if err != nil {
		t.Fatal(err)
	}
	c := fake.Creates()[0]
	if c.Form.Get("ContentSid") != templateID || c.Body != "" ||
		c.Form.Get("ContentVariables") != `{"1":"Hi, this is Dana from the line. Are you safe tonight?"}` {
		t.Fatalf("template create: %+v", c.Form)
	}
	if m, _ := fake.Message(sid); m.Status != "queued" {
		t.Fatalf("template refused by the fake: %s %d", m.Status, m.ErrorCode)
	}
	// Never wrote at all: outside too.
	p = waProvider(t, fake, now, nil)
	if _, err := p.Send(context.Background(), waYouth, r, tipline.SendOptions{MessageID: 42}); !errors.Is(err, twilio.ErrWhatsAppWindow) {
		t.Fatalf("to someone who never wrote: %v", err)
	}
}

func TestWhatsAppFromMessagingService(t *testing.T) {
	fake := startFake(t)
	fake.OpenSession(waYouth)
	p := &twilio.WhatsAppProvider{Client: newClient(t, fake, ourNumber), From: serviceSid}
	if _, err := p.Send(context.Background(), waYouth, tipline.Reply{Text: "hi"}, tipline.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	if c := fake.Creates()[0]; c.MessagingServiceSid != serviceSid || c.From != "" || c.To != "whatsapp:"+waYouth {
		t.Fatalf("create: %+v", c)
	}
}

func TestFakeFailsFreeFormOutsideSession(t *testing.T) {
	fake := startFake(t)
	p := &twilio.WhatsAppProvider{Client: newClient(t, fake, ourNumber), From: waFrom}
	sid, err := p.Send(context.Background(), waYouth, tipline.Reply{Text: "hi"}, tipline.SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := fake.Message(sid); m.Status != "failed" || m.ErrorCode != twiliotest.ErrOutsideSession {
		t.Fatalf("fake accepted a free-form message outside the session: %+v", m)
	}
}
