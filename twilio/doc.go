// Package twilio is Tipline's SMS channel on Twilio: it verifies and parses
// the inbound-message and status-callback webhooks, renders replies as SMS
// bodies, and sends through the Messages API with twilio-go, every call
// routed to a configurable API URL (twilio-go's host is fixed, so a
// transport rewrites it and reads Retry-After; docs/design.md, rule 10).
// Provider is the channel's side of the core's contract (tipline.Provider):
// sends within the account's segments per second, classifies a failed send
// (21610: opted out; 429: retry after), finds a lost send in the message
// list, fetches and deletes MMS media, and redacts bodies Twilio keeps.
//
// Why our own signature check (Verify) rather than twilio-go's
// RequestValidator: the validator reads the form into a map of one value
// per name, so a request with a repeated parameter is checked over other
// values than Twilio signed; Verify signs over every value, accepts the URL
// with and without its default port as Twilio's own libraries do, and
// compares in constant time before the handler reads anything else.
//
// Nothing here logs message text, phone numbers or tokens.
package twilio
