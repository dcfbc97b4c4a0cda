package telegramtest

import (
	"net/http"
	"strconv"
)

// Failure is an error answer the server gives instead of the real one.
type Failure struct {
	// Method limits the failure to one Bot API method (or MethodFile);
	// "" matches every call.
	Method string
	// Code is the HTTP status and error_code.
	Code int
	// Description is the error text.
	Description string
	// RetryAfter, when positive, is sent as parameters.retry_after (seconds).
	RetryAfter int
}

type failRule struct {
	f    Failure
	left int
}

// TooManyRequests is flood control: 429 with retry_after seconds.
func TooManyRequests(retryAfter int) Failure {
	return Failure{Code: http.StatusTooManyRequests, RetryAfter: retryAfter,
		Description: "Too Many Requests: retry after " + strconv.Itoa(retryAfter)}
}

// ServerError is a 500 Internal Server Error.
func ServerError() Failure {
	return Failure{Code: http.StatusInternalServerError, Description: "Internal Server Error"}
}

// Forbidden is the 403 Telegram gives when the user blocked the bot.
func Forbidden() Failure {
	return Failure{Code: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
}

// ChatNotFound is the 400 Telegram gives for an unknown chat_id.
func ChatNotFound() Failure {
	return Failure{Code: http.StatusBadRequest, Description: "Bad Request: chat not found"}
}

// On returns f limited to one method, e.g. TooManyRequests(3).On("sendMessage").
func (f Failure) On(method string) Failure {
	f.Method = method
	return f
}

// FailNext makes the next n calls matching f.Method answer f. Rules queue:
// a call takes the first rule that matches it.
func (s *Server) FailNext(n int, f Failure) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, &failRule{f: f, left: n})
}

// takeFailure consumes one matching failure, if any.
func (s *Server) takeFailure(method string) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.fails {
		if r.f.Method != "" && r.f.Method != method {
			continue
		}
		r.left--
		if r.left <= 0 {
			s.fails = append(s.fails[:i], s.fails[i+1:]...)
		}
		return r.f, true
	}
	return Failure{}, false
}
