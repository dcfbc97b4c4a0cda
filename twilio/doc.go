// Package twilio is Tipline's SMS channel on Twilio: it verifies and parses
// the inbound-message and status-callback webhooks, renders replies as SMS
// bodies, and sends through the Messages API with twilio-go, every call
// routed to a configurable API URL.
//
// Nothing here logs message text, phone numbers or tokens.
package twilio
