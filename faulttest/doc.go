// Package faulttest holds Tipline's fault tests: real `tipline serve`
// processes on loopback, with fake providers and a database of their own,
// broken on purpose under load (killed with SIGKILL, PostgreSQL restarted,
// a provider failing, two instances sharing rate limits) and then checked:
// every accepted message stored once, every reply sent once or as
// docs/design.md rule 8 allows.
//
// They take minutes, so `go test ./...` skips them: run them with
// -faulttest or TIPLINE_FAULTTEST=1 (.ci/run does). The tests then build
// the tipline binary once. The long and timing-sensitive variants (the
// 30-second provider outage, rates per second) run only with
// -faulttest.long or TIPLINE_FAULTTEST_TIMING=1, on a quiet machine.
package faulttest
