// Package faulttest holds Tipline's fault tests: real `tipline serve`
// processes on loopback, with fake providers and a database of their own,
// broken on purpose under load (killed with SIGKILL, PostgreSQL restarted,
// a provider failing, two instances sharing rate limits) and then checked:
// every accepted message stored once, every reply sent once or as
// docs/design.md rule 8 allows.
//
// They take minutes, so `go test ./...` skips them: run them with
// -faulttest or TIPLINE_FAULTTEST=1 (.ci/run does). The tests then build
// the tipline binary once. The long variant of the provider outage (30 s)
// runs only with -faulttest.long.
package faulttest
