package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tipline"
	"tipline/store"
)

var errForbidden = tipline.Errorf(tipline.EForbidden, "your role does not allow this")

// cookieConfig names the session cookie and its flags. Outside dev the
// cookie is Secure and carries the __Host- prefix (no Domain, Path=/).
type cookieConfig struct {
	name   string
	secure bool
}

func newCookieConfig(dev bool) cookieConfig {
	if dev {
		return cookieConfig{name: "tipline_session"}
	}
	return cookieConfig{name: "__Host-tipline_session", secure: true}
}

// cookie builds the session cookie: HttpOnly, SameSite=Lax (top-level
// links from a staff page still sign in; state changes are also guarded
// by cross-origin protection).
func (cc cookieConfig) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: cc.name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: cc.secure, SameSite: http.SameSiteLaxMode}
}

// newToken returns a random 256-bit token and its SHA-256 hash (what is
// stored).
func newToken(prefix string) (string, []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("staff: crypto/rand failed: " + err.Error())
	}
	tok := prefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, hashToken(tok)
}

func hashToken(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}

// session returns the live session of r. A session still owing its
// second factor counts only when allowPending.
func (db *Dashboard) session(r *http.Request, allowPending bool) (store.Session, bool) {
	ck, err := r.Cookie(db.cookies.name)
	if err != nil || ck.Value == "" || len(ck.Value) > 100 {
		return store.Session{}, false
	}
	now := db.now()
	s, err := db.store.Session(r.Context(), hashToken(ck.Value), now, IdleTimeout)
	if err != nil {
		return store.Session{}, false
	}
	if s.HasTOTP && !s.MFAOK && !allowPending {
		return store.Session{}, false
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		_ = db.store.TouchSession(r.Context(), s.TokenHash, now)
	}
	return s, true
}

// apiCaller authenticates a bearer API token.
func (db *Dashboard) apiCaller(r *http.Request, now time.Time) (store.Staff, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" || len(tok) > 200 {
		return store.Staff{}, false
	}
	st, err := db.store.StaffByAPIToken(r.Context(), hashToken(strings.TrimSpace(tok)), now)
	return st, err == nil
}

// purgeSessions removes dead sessions (a schedule job, see Jobs).
func (db *Dashboard) purgeSessions(ctx context.Context) {
	_, _ = db.store.PurgeSessions(ctx, db.now(), IdleTimeout)
}

// originOf returns scheme://host of a URL, or "".
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// urlQueryEscape escapes a query value.
func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns next if it is a local dashboard path, else the queue.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/staff/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") &&
		!strings.HasPrefix(next, "/staff/login") {
		return next
	}
	return "/staff/tips"
}
