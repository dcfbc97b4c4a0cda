package config

import "testing"

// SPOOL_DIR: dev keeps its spool in the dev folder; serve keeps none
// unless it is set (and says so at start).
func TestSpoolDir(t *testing.T) {
	dev, err := Load(envOf(map[string]string{}), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if dev.SpoolDir != ".tipline/spool" {
		t.Errorf("dev SPOOL_DIR %q, want .tipline/spool", dev.SpoolDir)
	}
	tool, _ := Load(envOf(map[string]string{}), ModeTool)
	if tool.SpoolDir != "" {
		t.Errorf("tool SPOOL_DIR %q, want none", tool.SpoolDir)
	}
	set, _ := Load(envOf(map[string]string{"SPOOL_DIR": "/var/lib/tipline/spool"}), ModeTool)
	if set.SpoolDir != "/var/lib/tipline/spool" {
		t.Errorf("SPOOL_DIR read as %q", set.SpoolDir)
	}
}
