package config

import (
	"strings"
	"testing"
	"time"
)

func TestStaffingSettings(t *testing.T) {
	c, err := Load(envOf(nil), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if c.ClaimIdle != 15*time.Minute || c.HighRiskRepage != 5*time.Minute || c.StaffHours.Set() {
		t.Fatalf("defaults: idle %v repage %v hours %v", c.ClaimIdle, c.HighRiskRepage, c.StaffHours.Set())
	}
	c, err = Load(envOf(map[string]string{
		"STAFF_HOURS": "en=Mon-Fri 09:00-21:00;es=Fri-Sun 22:00-06:00", "CLAIM_IDLE": "20m", "HIGH_RISK_REPAGE": "2m",
		"STAFF_ALERT_SECONDARY_TELEGRAM_CHAT_ID": "-100123", "STAFF_ALERT_SECONDARY_SMS": "+15551230000",
		"TIPLINE_TIMEZONE": "America/Chicago",
	}), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if c.ClaimIdle != 20*time.Minute || c.HighRiskRepage != 2*time.Minute || len(c.StaffAlertSecondarySMS) != 1 {
		t.Fatalf("settings not read: %+v", c)
	}
	// Friday 23:00 in Chicago is Saturday 05:00 UTC.
	if !c.StaffHours.Open("es", time.Date(2026, 12, 5, 5, 0, 0, 0, time.UTC)) || c.StaffHours.Open("en", time.Date(2026, 12, 5, 5, 0, 0, 0, time.UTC)) {
		t.Error("hours not read in TIPLINE_TIMEZONE")
	}
	if s := c.String(); strings.Contains(s, "-100123") || strings.Contains(s, "+15551230000") || !strings.Contains(s, "STAFF_HOURS=en=") {
		t.Errorf("dump:\n%s", s)
	}
	_, err = Load(envOf(map[string]string{
		"STAFF_HOURS": "en=Mon-Fri 9-21", "CLAIM_IDLE": "-1m", "HIGH_RISK_REPAGE": "soon",
		"STAFF_ALERT_SECONDARY_TELEGRAM_CHAT_ID": "group", "STAFF_ALERT_SECONDARY_SMS": "5551230000",
	}), ModeDev)
	for _, want := range []string{"STAFF_HOURS: en:", "HH:MM", "CLAIM_IDLE", "HIGH_RISK_REPAGE",
		"STAFF_ALERT_SECONDARY_TELEGRAM_CHAT_ID", "STAFF_ALERT_SECONDARY_SMS"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
}
