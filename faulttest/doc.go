// Package faulttest holds Tipline's fault tests: real `tipline serve`
// processes on loopback, with fake providers and a database of their own,
// broken on purpose under load (killed with SIGKILL, PostgreSQL restarted,
// a provider failing, two instances sharing rate limits) and then checked:
// every accepted message stored once, every reply sent once or as DESIGN.md
// rule 8 allows.
//
// The tests build the tipline binary once. Long variants run only with
// -faulttest.long (the 30-second provider outage); the others are short
// enough for CI.
package faulttest
