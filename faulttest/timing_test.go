package faulttest

import (
	"os"
	"testing"
)

// timingSensitive skips a test that judges wall-clock timing (sends per
// second, an outage window) unless asked for with -faulttest.long or
// TIPLINE_FAULTTEST_TIMING=1: on a machine shared with other heavy jobs
// the scheduler's delays, not Tipline, decide them. CI runs the
// kill-and-restart and PostgreSQL-restart tests; run these on a quiet
// machine (docs/benchmarks.md).
func timingSensitive(t *testing.T) {
	t.Helper()
	if !*long && os.Getenv("TIPLINE_FAULTTEST_TIMING") != "1" {
		t.Skip("timing-sensitive: run with -faulttest.long or TIPLINE_FAULTTEST_TIMING=1 on a quiet machine")
	}
}
