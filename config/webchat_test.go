package config

import (
	"strings"
	"testing"
)

// TestWebChatSettings: web chat is on in dev and off in serve unless
// asked for; quick exit goes to a neutral page unless set; the embedding
// sites must be bare origins.
func TestWebChatSettings(t *testing.T) {
	c, err := Load(envOf(map[string]string{}), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if !c.WebChat.Enabled || c.WebChat.ExitURL != DefaultWebChatExitURL || len(c.WebChat.Origins) != 0 {
		t.Errorf("dev: %+v", c.WebChat)
	}
	c, _ = Load(envOf(map[string]string{}), ModeServe)
	if c.WebChat.Enabled {
		t.Error("serve enables web chat without WEBCHAT_ENABLED")
	}
	c, err = Load(envOf(map[string]string{"WEBCHAT_ENABLED": "false", "WEBCHAT_EXIT_URL": "https://example.com/news",
		"WEBCHAT_ORIGINS": "https://www.example.org, http://localhost:3000/"}), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if c.WebChat.Enabled || c.WebChat.ExitURL != "https://example.com/news" ||
		strings.Join(c.WebChat.Origins, " ") != "https://www.example.org http://localhost:3000" {
		t.Errorf("set: %+v", c.WebChat)
	}
	if !strings.Contains(c.String(), "WEBCHAT_ORIGINS=https://www.example.org,http://localhost:3000\n") {
		t.Errorf("String lacks the origins:\n%s", c.String())
	}
	for _, bad := range []map[string]string{
		{"WEBCHAT_ORIGINS": "https://www.example.org/page"},
		{"WEBCHAT_ORIGINS": "www.example.org"},
		{"WEBCHAT_ORIGINS": "https://*.example.org"},
		{"WEBCHAT_ORIGINS": "https://a.example 'unsafe-inline'"},
		{"WEBCHAT_EXIT_URL": "javascript:alert(1)"},
	} {
		if _, err := Load(envOf(bad), ModeDev); err == nil || !strings.Contains(err.Error(), "WEBCHAT_") {
			t.Errorf("%v accepted: %v", bad, err)
		}
	}
}
