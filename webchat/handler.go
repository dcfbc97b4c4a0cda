package webchat

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"time"

	"tipline"
	"tipline/seal"
	"tipline/store"
)

// TokenHeader carries the session token on every API request. It is never
// put in a URL (where proxies and logs would keep it) or a cookie.
const TokenHeader = "X-Chat-Token"

// Config is what the web chat needs.
type Config struct {
	Bot  Turner
	DB   store.DBTX
	Keys *seal.Keys
	// Hub is shared with the Provider the outbox sends through.
	Hub *Hub
	// ExitURL is where quick exit goes (WEBCHAT_EXIT_URL).
	ExitURL string
	// Origins may embed the page in a frame (WEBCHAT_ORIGINS).
	Origins []string
	// TrustedProxies (TRUSTED_PROXIES) may give the client address in
	// X-Forwarded-For.
	TrustedProxies []netip.Prefix
	// Limits; the zero value means DefaultLimits.
	Limits Limits
	// Poll is how often a stream reads the database when nothing woke it
	// (a reply sent by another instance); 0 means 3s.
	Poll time.Duration
	// StreamFor is how long one stream response lasts before the page
	// reconnects (under the server's write timeout); 0 means 25s.
	StreamFor time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Handler serves the web chat under /chat: the page, the widget, the
// static files and the API. Every unsafe request must pass Go's
// cross-origin protection (CSRF), and the API needs the session token in
// TokenHeader, which no other site's form can send.
type Handler struct {
	cfg Config
	lim *limiter
	h   http.Handler
}

// NewHandler builds the /chat handler. Mount it at "/chat" and "/chat/".
func NewHandler(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Poll == 0 {
		cfg.Poll = 3 * time.Second
	}
	if cfg.StreamFor == 0 {
		cfg.StreamFor = 25 * time.Second
	}
	if cfg.Hub == nil {
		cfg.Hub = NewHub()
	}
	s := &Handler{cfg: cfg, lim: newLimiter(cfg.Limits)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /chat", s.page)
	mux.HandleFunc("GET /chat/{$}", s.page)
	mux.HandleFunc("GET /chat/widget.js", s.widget)
	mux.Handle("GET /chat/static/", staticHandler())
	mux.HandleFunc("POST /chat/api/session", s.newSession)
	mux.HandleFunc("POST /chat/api/send", s.send)
	mux.HandleFunc("GET /chat/api/stream", s.stream)
	s.h = http.NewCrossOriginProtection().Handler(mux)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

// newSession issues a session token. Sessions are limited per address,
// generously (a shared Wi-Fi has many people).
func (s *Handler) newSession(w http.ResponseWriter, r *http.Request) {
	if !s.lim.newSession.take(clientAddr(r, s.cfg.TrustedProxies), s.cfg.Now()) {
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "slow"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": NewToken(s.cfg.Keys)})
}

// send runs one message of the session through the bot.
func (s *Handler) send(w http.ResponseWriter, r *http.Request) {
	token, ok := s.token(w, r)
	if !ok {
		return
	}
	var in Input
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeError(w, tipline.Errorf(tipline.EInvalid, "the request body must be a JSON message"))
		return
	}
	if err := in.Validate(); err != nil {
		writeError(w, err)
		return
	}
	now := s.cfg.Now()
	if !s.lim.send(sessionKey(token), clientAddr(r, s.cfg.TrustedProxies), now) {
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "slow"})
		return
	}
	if err := s.cfg.Bot.Handle(r.Context(), Inbound(token, in, now)); err != nil {
		// Bot.Handle has logged the cause (without text or identifiers).
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// token reads and checks the request's session token; without a valid
// one it answers 401 and returns false.
func (s *Handler) token(w http.ResponseWriter, r *http.Request) (string, bool) {
	t := r.Header.Get(TokenHeader)
	if !ValidToken(s.cfg.Keys, t) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "session"})
		return "", false
	}
	return t, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with a JSON error: the message of an EInvalid error
// (safe to show), else a generic one.
func writeError(w http.ResponseWriter, err error) {
	if tipline.Code(err) == tipline.EInvalid {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": tipline.Message(err)})
		return
	}
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "unavailable"})
}
