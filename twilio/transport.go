package twilio

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rewriteTransport sends every request to the scheme, host and path
// prefix of target, whatever host twilio-go put in the URL (its base URL
// is fixed to https://api.twilio.com; docs/design.md rule 10).
type rewriteTransport struct {
	target *url.URL
	base   http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	rewriteURL(r.URL, t.target)
	r.Host = ""
	return t.base.RoundTrip(r)
}

// rewriteURL points u at target's scheme and host, prefixing target's path.
func rewriteURL(u, target *url.URL) {
	u.Scheme, u.Host, u.User = target.Scheme, target.Host, nil
	if prefix := strings.TrimRight(target.Path, "/"); prefix != "" {
		u.Path = prefix + u.Path
		if u.RawPath != "" {
			u.RawPath = strings.TrimRight(target.EscapedPath(), "/") + u.RawPath
		}
	}
}

// callTransport binds one API call to its context (twilio-go builds its
// requests without one) and remembers the last response's status and
// Retry-After, which twilio-go's error type drops.
type callTransport struct {
	ctx  context.Context
	next http.RoundTripper
	now  func() time.Time

	mu         sync.Mutex
	status     int
	retryAfter time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.status, t.retryAfter = 0, 0
	t.mu.Unlock()
	resp, err := t.next.RoundTrip(req.WithContext(t.ctx))
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.status = resp.StatusCode
	t.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), t.now())
	t.mu.Unlock()
	return resp, nil
}

// last returns the status and Retry-After of the last response, 0 when
// the last attempt got no response.
func (t *callTransport) last() (status int, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status, t.retryAfter
}

// maxRetryAfter caps a Retry-After so a bad header cannot park a sender.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After header: delay-seconds or an
// HTTP-date. It returns 0 when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		d = time.Duration(secs * float64(time.Second))
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
