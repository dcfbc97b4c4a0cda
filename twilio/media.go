package twilio

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// ErrMediaTooLarge is the cause of a FetchMedia error for a file over maxBytes.
var ErrMediaTooLarge = errors.New("media too large")

// FetchMedia downloads an MMS attachment (a MediaUrl{N} of an inbound
// message) with the account's credentials, following Twilio's redirect
// to its media store. The URL must be a media resource of this account on
// api.twilio.com (moved to APIURL) or on APIURL itself: credentials are
// never sent elsewhere. A file over maxBytes fails with ErrMediaTooLarge.
// contentType is the response's media type, without parameters.
func (c *Client) FetchMedia(ctx context.Context, mediaURL string, maxBytes int64) (data []byte, contentType string, err error) {
	u, _, _, err := c.mediaTarget(mediaURL)
	if err != nil {
		return nil, "", &SendError{Op: "fetch media", Permanent: true, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", &SendError{Op: "fetch media", Permanent: true, Err: err}
	}
	req.SetBasicAuth(c.cfg.AccountSID, c.cfg.AuthToken)
	resp, err := c.media.Do(req)
	if err != nil {
		return nil, "", &SendError{Op: "fetch media", Err: scrub(err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", &SendError{Op: "fetch media", Status: resp.StatusCode,
			Permanent:  permanent(resp.StatusCode, 0),
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.Now())}
	}
	if maxBytes >= 0 && resp.ContentLength > maxBytes {
		return nil, "", &SendError{Op: "fetch media", Status: resp.StatusCode, Permanent: true, Err: ErrMediaTooLarge}
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, "", &SendError{Op: "fetch media", Status: resp.StatusCode, Err: scrub(err)}
	}
	if int64(len(data)) > maxBytes {
		return nil, "", &SendError{Op: "fetch media", Status: resp.StatusCode, Permanent: true, Err: ErrMediaTooLarge}
	}
	contentType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return data, contentType, nil
}

// DeleteMedia deletes an MMS attachment from Twilio once Tipline holds its
// own copy (docs/design.md section 4). Media already gone (404) counts as deleted.
func (c *Client) DeleteMedia(ctx context.Context, mediaURL string) error {
	_, msgSid, mediaSid, err := c.mediaTarget(mediaURL)
	if err != nil {
		return &SendError{Op: "delete media", Permanent: true, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HTTPTimeout)
	defer cancel()
	svc, ct := c.service(ctx)
	if err := svc.DeleteMedia(msgSid, mediaSid, nil); err != nil {
		se := classify("delete media", err, ct)
		if se.Status == http.StatusNotFound {
			return nil
		}
		return se
	}
	return nil
}

// mediaTarget checks that mediaURL names a media resource of this account,
// /2010-04-01/Accounts/{AccountSID}/Messages/{sid}/Media/{sid}, on a
// Twilio host or on APIURL, and returns it moved to APIURL.
func (c *Client) mediaTarget(mediaURL string) (u *url.URL, msgSid, mediaSid string, err error) {
	u, err = url.Parse(mediaURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, "", "", errors.New("malformed media URL")
	}
	host := strings.ToLower(u.Hostname())
	prefix := strings.TrimRight(c.api.Path, "/")
	switch {
	case host == "twilio.com" || strings.HasSuffix(host, ".twilio.com"):
		rewriteURL(u, c.api)
	case u.Host == c.api.Host && u.Scheme == c.api.Scheme && strings.HasPrefix(u.Path, prefix+"/"):
	default:
		return nil, "", "", errors.New("media URL host is not Twilio's")
	}
	rest, ok := strings.CutPrefix(u.Path, prefix+"/2010-04-01/Accounts/"+c.cfg.AccountSID+"/Messages/")
	if !ok {
		return nil, "", "", errors.New("media URL is not this account's")
	}
	parts := strings.Split(strings.TrimSuffix(rest, ".json"), "/")
	if len(parts) != 3 || parts[1] != "Media" || !validSid(parts[0]) || !validSid(parts[2]) {
		return nil, "", "", errors.New("malformed media URL path")
	}
	u.Path = strings.TrimSuffix(u.Path, ".json")
	u.RawPath = ""
	return u, parts[0], parts[2], nil
}
