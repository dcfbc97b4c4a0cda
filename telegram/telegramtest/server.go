// Package telegramtest is a fake Telegram Bot API for tests, served by
// net/http/httptest on loopback.
//
// It answers /bot{token}/{method} like the real API (JSON envelopes
// {"ok":true,"result":...} or {"ok":false,"error_code":...,"description":...})
// and /file/bot{token}/{path} with bytes a test registered. Every call is
// recorded with its method and decoded parameters, so a test can assert the
// exact requests its code made.
//
// Typical use:
//
//	api := telegramtest.New(t)
//	c, _ := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL})
//	... exercise the code ...
//	sent := api.Sent()                 // every sendMessage call, in order
//	sent[0].ChatID(), sent[0].Text()   // chat_id and text
//	m, _ := sent[0].Markup()           // reply_markup, decoded
//
// Methods served: getMe, sendMessage, answerCallbackQuery, deleteMessage,
// getFile (+ file download), setWebhook, deleteWebhook, getWebhookInfo,
// getUpdates. Anything else answers 404 "Not Found"; a wrong token, 401.
//
// Behaviour a test can arrange:
//   - AddUpdate queues raw update JSON for getUpdates, which honours offset
//     (updates below it are confirmed and dropped, see Pending and Offsets),
//     limit, and long-polls up to its timeout when nothing is queued.
//   - AddFile registers a file for getFile and its download.
//   - SetWebhookURL pretends a webhook is set: getUpdates then answers 409
//     like Telegram; setWebhook records url, secret_token, allowed_updates.
//   - FailNext makes the next n matching calls fail (429 with retry_after,
//     500, 403, or any code); Block makes sendMessage to a chat answer 403
//     "Forbidden: bot was blocked by the user".
//
// All methods are safe for concurrent use.
package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the bot token New uses.
const DefaultToken = "123456789:TEST-fake-token_abcdefghijklmnopqrstu"

// MethodFile is the Call.Method recorded for a file download; its
// Params["file_path"] is the path asked for.
const MethodFile = "file"

// What getMe answers.
const (
	// BotID is the fake bot's user id.
	BotID = 7000000000
	// BotUsername is the fake bot's username.
	BotUsername = "tipline_test_bot"
)

// Server is a fake Bot API.
type Server struct {
	// URL is the base URL to use as TELEGRAM_API_URL / Config.APIURL.
	URL string
	// Token is the bot token the server accepts.
	Token string

	srv *httptest.Server

	mu       sync.Mutex
	calls    []Call
	callCh   chan struct{} // closed and replaced on every call
	updates  []queued
	updateCh chan struct{} // closed and replaced when updates are added
	offsets  []int
	files    map[string]file
	webhook  WebhookState
	fails    []*failRule
	blocked  map[int64]bool
	nextMsg  int
}

type queued struct {
	id  int64
	raw json.RawMessage
}

type file struct {
	path string
	data []byte
}

// WebhookState is what setWebhook last recorded.
type WebhookState struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
}

// New starts a fake Bot API with DefaultToken; it stops when the test ends.
func New(t testing.TB) *Server { return NewWithToken(t, DefaultToken) }

// NewWithToken starts a fake Bot API accepting token.
func NewWithToken(t testing.TB, token string) *Server {
	s := &Server{
		Token: token, callCh: make(chan struct{}), updateCh: make(chan struct{}),
		files: map[string]file{}, blocked: map[int64]bool{}, nextMsg: 1000,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the server. It is called at test cleanup.
func (s *Server) Close() { s.srv.Close() }

// serve routes /bot{token}/{method} and /file/bot{token}/{path}.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		token, fpath, _ := strings.Cut(rest, "/")
		s.serveFile(w, token, fpath)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	if !ok || !found {
		writeError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	params := decodeParams(r)
	s.record(Call{Method: method, Params: params})
	if token != s.Token {
		writeError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if f, ok := s.takeFailure(method); ok {
		writeError(w, f.Code, f.Description, f.RetryAfter)
		return
	}
	s.dispatch(w, r, method, params)
}

// record appends a call and wakes WaitCalls.
func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	close(s.callCh)
	s.callCh = make(chan struct{})
}

// Calls returns every call so far, in order (getUpdates polls included).
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the calls of one method, in order.
func (s *Server) CallsTo(method string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns the sendMessage calls, in order, including failed ones.
func (s *Server) Sent() []Call { return s.CallsTo("sendMessage") }

// ClearCalls forgets the recorded calls.
func (s *Server) ClearCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// WaitCalls waits until at least n calls of method were recorded and
// returns them; it fails the test after 10 seconds.
func (s *Server) WaitCalls(t testing.TB, method string, n int) []Call {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ch := s.callCh
		s.mu.Unlock()
		if got := s.CallsTo(method); len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("telegramtest: waited 10s for %d %s calls, have %d", n, method, len(s.CallsTo(method)))
		}
	}
}

// Block makes sendMessage to chatID answer 403 "Forbidden: bot was blocked
// by the user", as after the user blocked the bot.
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// SetWebhookURL sets (or, with "", clears) the webhook URL getWebhookInfo
// reports. While one is set, getUpdates answers 409 Conflict.
func (s *Server) SetWebhookURL(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook.URL = url
	close(s.updateCh) // end waiting long polls: they now answer 409
	s.updateCh = make(chan struct{})
}

// Webhook returns what setWebhook last recorded.
func (s *Server) Webhook() WebhookState {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}

// AddFile registers a file: getFile(fileID) answers filePath and the size
// of data, and /file/bot{token}/{filePath} serves data.
func (s *Server) AddFile(fileID, filePath string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[fileID] = file{path: filePath, data: append([]byte(nil), data...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeOK(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func writeError(w http.ResponseWriter, code int, desc string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": code, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	writeJSON(w, code, body)
}
