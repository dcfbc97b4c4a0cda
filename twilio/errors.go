package twilio

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	twclient "github.com/twilio/twilio-go/client"
)

// Twilio error codes Tipline acts on.
const (
	CodeInvalidTo      = 21211 // the To number is not a valid phone number
	CodeNotMobile      = 21614 // the To number cannot receive SMS
	CodeOptedOut       = 21610 // the recipient has replied STOP
	CodeTooManyRequest = 20429 // too many concurrent requests
)

// SendError is the error of every Client call that reached, or tried to
// reach, the Twilio API. Its text never holds phone numbers or message
// text: Twilio's own error message (which can quote the number) is left out.
type SendError struct {
	Op         string        // "send", "list", "fetch media", "delete media", "redact"
	Permanent  bool          // retrying the same request will not help
	RetryAfter time.Duration // from the Retry-After header; 0 when absent
	Code       int           // Twilio error code; 0 when none
	Status     int           // HTTP status; 0 when no response arrived
	Err        error         // the cause when there was no API error (network, timeout)
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	switch {
	case e.Status == 0 && e.Err != nil:
		return fmt.Sprintf("twilio: %s: %v (%s)", e.Op, e.Err, kind)
	case e.Code != 0:
		return fmt.Sprintf("twilio: %s: HTTP %d, error %d (%s)", e.Op, e.Status, e.Code, kind)
	case e.Err != nil:
		return fmt.Sprintf("twilio: %s: HTTP %d: %v (%s)", e.Op, e.Status, e.Err, kind)
	}
	return fmt.Sprintf("twilio: %s: HTTP %d (%s)", e.Op, e.Status, kind)
}

// Unwrap returns the cause, for errors.Is(err, context.DeadlineExceeded).
func (e *SendError) Unwrap() error { return e.Err }

// OptedOut reports whether the recipient has opted out (error 21610).
func (e *SendError) OptedOut() bool { return e.Code == CodeOptedOut }

// IsPermanent reports whether err is a permanent *SendError.
func IsPermanent(err error) bool {
	se, ok := errors.AsType[*SendError](err)
	return ok && se.Permanent
}

// permanent decides whether a failed call may succeed if repeated:
// 429, 5xx and no response are temporary; the opted-out, invalid and
// not-mobile codes and every other 4xx are permanent.
func permanent(status, code int) bool {
	switch code {
	case CodeOptedOut, CodeInvalidTo, CodeNotMobile:
		return true
	case CodeTooManyRequest:
		return false
	}
	return status >= 400 && status < 500 && status != 429
}

// classify turns an error from twilio-go into a *SendError.
func classify(op string, err error, ct *callTransport) *SendError {
	status, retry := ct.last()
	se := &SendError{Op: op, Status: status, RetryAfter: retry}
	if re, ok := errors.AsType[*twclient.TwilioRestError](err); ok {
		se.Code = re.Code
		if re.Status != 0 {
			se.Status = re.Status
		}
	} else if re, ok := errors.AsType[*twclient.RestErrorV1](err); ok {
		se.Code = re.Code
		if re.HttpStatusCode != 0 {
			se.Status = re.HttpStatusCode
		}
	} else {
		se.Err = scrub(err)
	}
	se.Permanent = permanent(se.Status, se.Code)
	return se
}

// scrub drops the request URL from a transport error: a list URL carries
// the recipient's phone number in its query.
func scrub(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}
