package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
)

// Sign returns the X-Twilio-Signature Twilio would send for a request to
// fullURL with the POST parameters params: base64(HMAC-SHA1(authToken,
// fullURL + each name and value, sorted by name then value)). Repeated
// identical values count once, as in Twilio's own libraries.
func Sign(authToken, fullURL string, params url.Values) string {
	return base64.StdEncoding.EncodeToString(mac(authToken, fullURL, paramString(params)))
}

// Verify reports whether signature is a valid X-Twilio-Signature for a
// form-encoded request to fullURL carrying params. Like Twilio's SDKs it
// accepts the URL as given, with its port removed, and with the scheme's
// default port (:443, :80) added, because Twilio signs either way. The
// comparison is constant-time.
func Verify(authToken, fullURL string, params url.Values, signature string) bool {
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha1.Size || authToken == "" {
		return false
	}
	suffix := paramString(params)
	ok := false
	for _, u := range urlVariants(fullURL) {
		if hmac.Equal(mac(authToken, u, suffix), got) {
			ok = true
		}
	}
	return ok
}

// mac is HMAC-SHA1(authToken, fullURL + suffix).
func mac(authToken, fullURL string, suffix []byte) []byte {
	h := hmac.New(sha1.New, []byte(authToken))
	h.Write([]byte(fullURL))
	h.Write(suffix)
	return h.Sum(nil)
}

// VerifyBody verifies a JSON-body webhook: Twilio signs the URL alone
// (which carries a bodySHA256 query parameter) and that parameter must be
// the hex SHA-256 of the raw body.
func VerifyBody(authToken, fullURL string, body []byte, signature string) bool {
	if !Verify(authToken, fullURL, nil, signature) {
		return false
	}
	u, err := url.Parse(fullURL)
	if err != nil {
		return false
	}
	want, err := hex.DecodeString(u.Query().Get("bodySHA256"))
	if err != nil || len(want) != sha256.Size {
		return false
	}
	sum := sha256.Sum256(body)
	return hmac.Equal(sum[:], want)
}

// paramString is what Twilio appends to the URL before signing: every
// parameter name and value with no separators, names in byte order and
// the values of a repeated name sorted and de-duplicated.
func paramString(params url.Values) []byte {
	names := make([]string, 0, len(params))
	size := 0
	for name, values := range params {
		names = append(names, name)
		for _, v := range values {
			size += len(name) + len(v)
		}
	}
	slices.Sort(names)
	b := make([]byte, 0, size)
	for _, name := range names {
		values := params[name]
		if len(values) > 1 {
			values = slices.Compact(slices.Sorted(slices.Values(values)))
		}
		for _, v := range values {
			b = append(b, name...)
			b = append(b, v...)
		}
	}
	return b
}

// urlVariants returns fullURL as given, without its port, and with the
// default port of its scheme, without duplicates.
func urlVariants(fullURL string) []string {
	out := []string{fullURL}
	scheme, rest, found := strings.Cut(fullURL, "://")
	if !found {
		return out
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo, hostport := "", authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, hostport = authority[:at+1], authority[at+1:]
	}
	host, port := splitPort(hostport)
	prefix := scheme + "://" + userinfo + host
	if port != "" {
		return append(out, prefix+tail)
	}
	switch strings.ToLower(scheme) {
	case "https":
		out = append(out, prefix+":443"+tail)
	case "http":
		out = append(out, prefix+":80"+tail)
	}
	return out
}

// splitPort splits "host:port" (or "[v6]:port"); port is "" when absent.
func splitPort(hostport string) (host, port string) {
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end >= 0 && strings.HasPrefix(hostport[end+1:], ":") {
			return hostport[:end+1], hostport[end+2:]
		}
		return hostport, ""
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.Contains(hostport[:i], ":") {
		return hostport[:i], hostport[i+1:]
	}
	return hostport, ""
}
