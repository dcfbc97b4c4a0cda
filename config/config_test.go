package config

import (
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

func TestServeListsEveryProblemAtOnce(t *testing.T) {
	_, err := Load(envOf(map[string]string{
		"TWILIO_ACCOUNT_SID": "AC123", "TELEGRAM_BOT_TOKEN": "1:x", "FLOW_TIMEOUT": "soon",
		"TELEGRAM_WEBHOOK_SECRET": "has space", "TRUSTED_PROXIES": "nonsense", "TIPLINE_TIMEZONE": "Mars/Olympus",
	}), ModeServe)
	if err == nil {
		t.Fatal("accepted an invalid environment")
	}
	for _, want := range []string{"DATABASE_URL", "PUBLIC_URL", "TIPLINE_SECRET_KEY", "TWILIO_AUTH_TOKEN", "TWILIO_FROM",
		"FLOW_TIMEOUT", "TELEGRAM_WEBHOOK_SECRET", "TRUSTED_PROXIES", "TIPLINE_TIMEZONE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
}

func TestDefaultsAndDevMode(t *testing.T) {
	c, err := Load(envOf(nil), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != "127.0.0.1:8080" || c.TelegramMode != "polling" || !c.SimEnabled || c.TwilioMPS != 1 ||
		c.RetentionYouthDays != 30 || c.RetentionClosedCaseDays != 365 || c.RetentionIncompleteTipDays != 90 ||
		c.RetentionReplyDays != 90 || c.FlowTimeout.Minutes() != 30 || c.TimezoneName != "America/New_York" {
		t.Fatalf("unexpected dev defaults: %+v", c)
	}
	c, err = Load(envOf(map[string]string{"DATABASE_URL": "postgres://x", "PUBLIC_URL": "https://t.example.org", "TIPLINE_SECRET_KEY": key}), ModeServe)
	if err != nil {
		t.Fatal(err)
	}
	if c.ListenAddr != ":8080" || c.TelegramMode != "webhook" || c.SimEnabled {
		t.Fatalf("unexpected serve defaults: %+v", c)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	secrets := map[string]string{
		"DATABASE_URL": "postgres://u:dbpass123@h/db", "PUBLIC_URL": "https://t.example.org", "TIPLINE_SECRET_KEY": key,
		"TELEGRAM_BOT_TOKEN": "123:tokentoken", "TELEGRAM_WEBHOOK_SECRET": "hooksecret", "TWILIO_ACCOUNT_SID": "AC1",
		"TWILIO_AUTH_TOKEN": "authtokenvalue", "TWILIO_FROM": "+15005550006", "METRICS_TOKEN": "metricsvalue",
		"STAFF_ALERT_SMS": "+12125550100",
	}
	c, err := Load(envOf(secrets), ModeServe)
	if err != nil {
		t.Fatal(err)
	}
	out := c.String()
	for _, s := range []string{"dbpass123", key, "tokentoken", "hooksecret", "authtokenvalue", "metricsvalue", "2125550100"} {
		if strings.Contains(out, s) {
			t.Errorf("config dump shows a secret %q:\n%s", s, out)
		}
	}
	if !strings.Contains(out, "***") {
		t.Error("config dump does not mask")
	}
}
