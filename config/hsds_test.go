package config

import (
	"strings"
	"testing"
	"time"
)

func TestHSDSSettings(t *testing.T) {
	c, err := Load(envOf(nil), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if c.HSDS.Enabled() || c.HSDS.Every != 24*time.Hour {
		t.Fatalf("defaults: %+v", c.HSDS)
	}
	c, err = Load(envOf(map[string]string{"HSDS_API_URL": "https://api.example.org/hsds/", "HSDS_API_TOKEN": "t0ken",
		"HSDS_SYNC_EVERY": "6h"}), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if !c.HSDS.Enabled() || c.HSDS.URL != "https://api.example.org/hsds" || c.HSDS.Every != 6*time.Hour {
		t.Fatalf("settings not read: %+v", c.HSDS)
	}
	if s := c.String(); strings.Contains(s, "t0ken") || !strings.Contains(s, "HSDS_API_TOKEN=***") {
		t.Errorf("the token is not masked:\n%s", s)
	}
	_, err = Load(envOf(map[string]string{"HSDS_API_URL": "ftp://x", "HSDS_SYNC_EVERY": "1m"}), ModeDev)
	for _, want := range []string{"HSDS_API_URL", "HSDS_SYNC_EVERY"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("no problem reported for %s: %v", want, err)
		}
	}
	if _, err := Load(envOf(map[string]string{"HSDS_API_TOKEN": "t"}), ModeDev); err == nil {
		t.Error("a token without a URL was accepted")
	}
}
