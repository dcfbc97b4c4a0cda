package config

import (
	"strings"
	"testing"
)

// TestStaffRequire2FA: off by default, on when set, refused when not a
// boolean.
func TestStaffRequire2FA(t *testing.T) {
	c, err := Load(envOf(nil), ModeDev)
	if err != nil || c.StaffRequire2FA {
		t.Fatalf("default: %v, %v", c.StaffRequire2FA, err)
	}
	if c, err = Load(envOf(map[string]string{"STAFF_REQUIRE_2FA": "true"}), ModeDev); err != nil || !c.StaffRequire2FA {
		t.Fatalf("set: %v, %v", c.StaffRequire2FA, err)
	}
	if !strings.Contains(c.String(), "STAFF_REQUIRE_2FA=true") {
		t.Error("String does not show STAFF_REQUIRE_2FA")
	}
	if _, err = Load(envOf(map[string]string{"STAFF_REQUIRE_2FA": "sometimes"}), ModeDev); err == nil || !strings.Contains(err.Error(), "STAFF_REQUIRE_2FA") {
		t.Fatalf("a bad value: %v", err)
	}
}
