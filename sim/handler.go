package sim

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"tipline"
	"tipline/seal"
	"tipline/store"
)

// CookieName is the cookie holding the browser's sim session id.
const CookieName = "tipline_sim"

// maxTranscript is how many of a conversation's newest messages the page
// shows.
const maxTranscript = 500

// Config is what the web simulator needs.
type Config struct {
	Bot  Turner
	DB   store.DBTX
	Keys *seal.Keys
	// SecureCookie marks the session cookie Secure (outside dev, where the
	// service is reached over https).
	SecureCookie bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Handler serves the simulator under /sim/: the page, its static files and
// the JSON API. Every unsafe request must pass Go's cross-origin
// protection (CSRF).
type Handler struct {
	cfg Config
	h   http.Handler
}

// NewHandler builds the /sim/ handler. Mount it at "/sim/", behind a staff
// login outside dev.
func NewHandler(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Handler{cfg: cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sim/{$}", s.page)
	mux.Handle("GET /sim/static/", staticHandler())
	mux.HandleFunc("POST /sim/api/send", s.send)
	mux.HandleFunc("GET /sim/api/messages", s.messages)
	mux.HandleFunc("POST /sim/api/new", s.newSession)
	s.h = http.NewCrossOriginProtection().Handler(mux)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

// sendRequest is the body of POST /sim/api/send. Role ("youth" or
// "tipster") is the trainer's label only: the bot decides the flow from
// what is typed.
type sendRequest struct {
	Input
	Role string `json:"role,omitempty"`
}

func (s *Handler) send(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, tipline.Errorf(tipline.EInvalid, "the request body must be a JSON message"))
		return
	}
	if err := req.Validate(); err != nil {
		writeError(w, err)
		return
	}
	if req.Role != "" && req.Role != "youth" && req.Role != "tipster" {
		writeError(w, tipline.Errorf(tipline.EInvalid, "role must be youth or tipster"))
		return
	}
	session := s.session(w, r, true)
	if err := s.cfg.Bot.Handle(r.Context(), Inbound(session, req.Input, s.cfg.Now())); err != nil {
		// Bot.Handle has logged the cause (without text or identifiers).
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the bot could not handle the message; see the server log"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// messagesResponse is the body of GET /sim/api/messages.
type messagesResponse struct {
	Conversation *Conversation `json:"conversation"`
	Messages     []Message     `json:"messages"`
}

func (s *Handler) messages(w http.ResponseWriter, r *http.Request) {
	resp := messagesResponse{Messages: []Message{}}
	if session := s.session(w, r, false); session != "" {
		conv, msgs, err := Transcript(r.Context(), s.cfg.DB, s.cfg.Keys, session, 0, maxTranscript)
		if err != nil {
			slog.Error("sim transcript", "err", err)
			writeError(w, err)
			return
		}
		resp.Conversation = conv
		if msgs != nil {
			resp.Messages = msgs
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// newSession starts a fresh conversation: a new session id, so the next
// message comes from a new simulated sender. The old conversation stays
// (simulated) until retention removes it.
func (s *Handler) newSession(w http.ResponseWriter, r *http.Request) {
	s.setCookie(w, NewSessionID())
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// session returns the request's sim session id; with create, a missing or
// malformed one is replaced by a new one (set in the response).
func (s *Handler) session(w http.ResponseWriter, r *http.Request, create bool) string {
	if c, err := r.Cookie(CookieName); err == nil && ValidSessionID(c.Value) {
		return c.Value
	}
	if !create {
		return ""
	}
	id := NewSessionID()
	s.setCookie(w, id)
	return id
}

func (s *Handler) setCookie(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: id, Path: "/sim/", MaxAge: 12 * 3600,
		HttpOnly: true, Secure: s.cfg.SecureCookie, SameSite: http.SameSiteStrictMode})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
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
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the simulator failed; see the server log"})
}
