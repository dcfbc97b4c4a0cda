package staff

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	db := &Dashboard{d: Deps{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	cases := []struct {
		remote, xff, want string
	}{
		{"192.0.2.7:5000", "", "192.0.2.7"},
		{"192.0.2.7:5000", "203.0.113.9", "192.0.2.7"},                         // untrusted peer: header ignored
		{"10.1.1.1:443", "203.0.113.9", "203.0.113.9"},                         // trusted proxy
		{"10.1.1.1:443", "198.51.100.1, 203.0.113.9, 10.2.2.2", "203.0.113.9"}, // rightmost untrusted
		{"10.1.1.1:443", "garbage", "10.1.1.1"},
		{"[::ffff:192.0.2.8]:80", "", "192.0.2.8"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := db.clientAddr(r); got != c.want {
			t.Errorf("%s + %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	none := &Dashboard{}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.1.1:1"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := none.clientAddr(r); got != "10.1.1.1" {
		t.Errorf("without TRUSTED_PROXIES the header was believed: %s", got)
	}
}
