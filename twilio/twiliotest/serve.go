package twiliotest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Failure describes how the fake fails a request.
type Failure struct {
	Status     int           // HTTP status, e.g. 429, 500, 400
	Code       int           // Twilio error code in the JSON body, e.g. 20429, 21610
	Message    string        // error message in the JSON body
	RetryAfter time.Duration // sent as Retry-After in whole seconds when > 0
	// LostResponse makes the request take effect normally and then closes
	// the connection without an answer; the other fields are ignored.
	LostResponse bool
}

// TooManyRequests is a 429 (code 20429) with a Retry-After header.
func TooManyRequests(retryAfter time.Duration) Failure {
	return Failure{Status: 429, Code: 20429, Message: "Too Many Requests", RetryAfter: retryAfter}
}

// ServerError is a 500 (code 20500).
func ServerError() Failure {
	return Failure{Status: 500, Code: 20500, Message: "Internal Server Error"}
}

// OptedOut is Twilio's answer to a send to a number that replied STOP:
// 400 with code 21610.
func OptedOut() Failure {
	return Failure{Status: 400, Code: 21610, Message: "Attempt to send to unsubscribed recipient"}
}

// InvalidTo is a 400 with code 21211 (invalid 'To' number).
func InvalidTo() Failure {
	return Failure{Status: 400, Code: 21211, Message: "Invalid 'To' Phone Number"}
}

// LostResponse is a Failure whose request succeeds but whose answer is lost.
func LostResponse() Failure { return Failure{LostResponse: true} }

// FailNext makes the next n API requests fail with f. Calls queue up:
// FailNext(1, ServerError()); FailNext(1, OptedOut()) fails the next
// request with 500 and the one after with 21610.
func (s *Server) FailNext(n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, f)
	}
}

// ServeHTTP records the request, applies a queued failure, checks basic
// auth and serves the API. Server is an http.Handler so that a test can
// also mount it under a path prefix.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_media/") {
		s.mux.ServeHTTP(w, r)
		return
	}
	s.record(r)
	f, failing := s.nextFailure()
	switch {
	case failing && f.LostResponse:
		s.serveAuthorized(discard{header: http.Header{}}, r)
		loseResponse(w)
	case failing:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		}
		writeError(w, f.Status, f.Code, f.Message)
	default:
		s.serveAuthorized(w, r)
	}
}

func (s *Server) serveAuthorized(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.AccountSID || pass != s.AuthToken {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	base := "/2010-04-01/Accounts/{account}/Messages"
	m.HandleFunc("POST "+base+".json", s.account(s.createMessage))
	m.HandleFunc("GET "+base+".json", s.account(s.listMessages))
	m.HandleFunc("GET "+base+"/{sid}", s.account(s.fetchMessage))
	m.HandleFunc("POST "+base+"/{sid}", s.account(s.updateMessage))
	m.HandleFunc("GET "+base+"/{sid}/Media/{media}", s.account(s.getMedia))
	m.HandleFunc("DELETE "+base+"/{sid}/Media/{media}", s.account(s.deleteMedia))
	m.HandleFunc("GET /_media/{media}", s.mediaContent)
	m.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource was not found")
	})
	return m
}

// account answers 404 for a path naming another account.
func (s *Server) account(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("account") != s.AccountSID {
			writeError(w, http.StatusNotFound, 20404, "The requested resource was not found")
			return
		}
		h(w, r)
	}
}

// record parses the form and appends the request to the log.
func (s *Server) record(r *http.Request) {
	_ = r.ParseForm()
	user, _, _ := r.BasicAuth()
	validity, _ := strconv.Atoi(r.PostForm.Get("ValidityPeriod"))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Form: r.PostForm,
		To: r.PostForm.Get("To"), From: r.PostForm.Get("From"),
		MessagingServiceSid: r.PostForm.Get("MessagingServiceSid"),
		Body:                r.PostForm.Get("Body"), StatusCallback: r.PostForm.Get("StatusCallback"),
		ValidityPeriod: validity, User: user, Time: s.now(),
	})
}

func (s *Server) nextFailure() (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) == 0 {
		return Failure{}, false
	}
	f := s.failures[0]
	s.failures = s.failures[1:]
	return f, true
}

// writeError answers with Twilio's JSON error shape.
func writeError(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, map[string]any{
		"code": code, "message": message, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// loseResponse closes the connection without writing a response.
func loseResponse(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// discard is a ResponseWriter that throws the response away.
type discard struct{ header http.Header }

// Header returns the headers, which are never sent.
func (d discard) Header() http.Header { return d.header }

// Write drops b.
func (d discard) Write(b []byte) (int, error) { return len(b), nil }

// WriteHeader drops the status.
func (d discard) WriteHeader(int) {}
