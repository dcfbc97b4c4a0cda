package tipline

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an Error; one place turns it into an HTTP status.
type ErrorCode string

// The error codes Tipline uses.
const (
	ENotFound     ErrorCode = "not_found"
	EInvalid      ErrorCode = "invalid"
	EConflict     ErrorCode = "conflict"
	EUnauthorized ErrorCode = "unauthorized"
	EForbidden    ErrorCode = "forbidden"
	EInternal     ErrorCode = "internal"
)

// Error is an application error with a code and a message safe to show.
type Error struct {
	Code    ErrorCode
	Message string
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Code returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func Code(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Message returns the user-safe message of err: an *Error's message, or a
// generic text for anything else, so internals never leak to clients.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
