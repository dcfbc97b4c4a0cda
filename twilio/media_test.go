package twilio_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 1000)...)

func TestFetchAndDeleteMedia(t *testing.T) {
	fake := startFake(t)
	c := newClient(t, fake, ourNumber)
	mediaURL := fake.AddMedia("", "image/jpeg", jpeg)
	if !strings.HasPrefix(mediaURL, "https://api.twilio.com/2010-04-01/Accounts/"+fake.AccountSID+"/Messages/MM") {
		t.Fatalf("media URL %s", mediaURL)
	}
	data, ct, err := c.FetchMedia(context.Background(), mediaURL, 2000)
	if err != nil || ct != "image/jpeg" || !bytes.Equal(data, jpeg) {
		t.Fatalf("FetchMedia = %d bytes, %q, %v", len(data), ct, err)
	}
	r := fake.Requests()[0]
	if r.Method != "GET" || r.User != fake.AccountSID || !strings.HasSuffix(mediaURL, r.Path) {
		t.Errorf("fetch request %s %s user %q", r.Method, r.Path, r.User)
	}
	_, _, err = c.FetchMedia(context.Background(), mediaURL, 999)
	if !errors.Is(err, twilio.ErrMediaTooLarge) || !twilio.IsPermanent(err) {
		t.Errorf("too large: %v", err)
	}
	if err := c.DeleteMedia(context.Background(), mediaURL); err != nil {
		t.Fatal(err)
	}
	last := fake.Requests()[len(fake.Requests())-1]
	if last.Method != "DELETE" || last.Path != strings.TrimPrefix(mediaURL, twiliotest.PublicAPIURL)+".json" {
		t.Errorf("delete request %s %s", last.Method, last.Path)
	}
	if fake.HasMedia(mediaURL) {
		t.Error("media still held")
	}
	if err := c.DeleteMedia(context.Background(), mediaURL); err != nil {
		t.Errorf("second delete: %v", err)
	}
	_, _, err = c.FetchMedia(context.Background(), mediaURL, 2000)
	if se, ok := errors.AsType[*twilio.SendError](err); !ok || se.Status != 404 || !se.Permanent {
		t.Errorf("fetch after delete: %v", err)
	}
}

func TestFetchMediaTemporaryFailure(t *testing.T) {
	fake := startFake(t)
	c := newClient(t, fake, ourNumber)
	mediaURL := fake.AddMedia("", "image/png", jpeg)
	fake.FailNext(1, twiliotest.ServerError())
	if _, _, err := c.FetchMedia(context.Background(), mediaURL, 2000); err == nil || twilio.IsPermanent(err) {
		t.Errorf("500: %v", err)
	}
	if _, _, err := c.FetchMedia(context.Background(), fake.URL+strings.TrimPrefix(mediaURL, twiliotest.PublicAPIURL), 2000); err != nil {
		t.Errorf("URL on APIURL itself: %v", err)
	}
	if fake.MediaFetches(mediaURL) != 1 {
		t.Errorf("fetched %d times", fake.MediaFetches(mediaURL))
	}
}

// TestMediaURLRefused: credentials go only to this account's media.
func TestMediaURLRefused(t *testing.T) {
	fake := startFake(t)
	c := newClient(t, fake, ourNumber)
	good := fake.AddMedia("", "image/jpeg", jpeg)
	for _, u := range []string{
		strings.Replace(good, "api.twilio.com", "evil.example.com", 1),
		strings.Replace(good, "api.twilio.com", "api.twilio.com.evil.example", 1),
		strings.Replace(good, fake.AccountSID, "AC99999999999999999999999999999999", 1),
		strings.Replace(good, "/Media/", "/Other/", 1),
		good + "/../../x",
		"ftp://api.twilio.com/x",
		"://bad",
	} {
		if _, _, err := c.FetchMedia(context.Background(), u, 2000); !twilio.IsPermanent(err) {
			t.Errorf("%s: %v", u, err)
		}
		if err := c.DeleteMedia(context.Background(), u); !twilio.IsPermanent(err) {
			t.Errorf("delete %s: %v", u, err)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests reached the API", n)
	}
}
