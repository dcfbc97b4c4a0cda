package config

import (
	"strings"
	"testing"
)

// TestWhatsAppSettings: the WhatsApp sender may carry "whatsapp:"; it needs
// the Twilio account; template SIDs must look like content SIDs.
func TestWhatsAppSettings(t *testing.T) {
	account := map[string]string{"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "x", "TWILIO_FROM": "+15005550006"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	hx := "HX" + strings.Repeat("0a", 16)
	c, err := Load(envOf(with(account, "WHATSAPP_FROM", "whatsapp:+15005550006", "WHATSAPP_TEMPLATE_SID", hx)), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if w := c.WhatsApp; !w.Enabled() || w.From != "+15005550006" || w.TemplateSID != hx || w.ChoicesSID != "" || w.MPS != 20 {
		t.Fatalf("settings: %+v", w)
	}
	mg := "MG" + strings.Repeat("0a", 16)
	if c, err := Load(envOf(with(account, "WHATSAPP_FROM", mg)), ModeDev); err != nil || c.WhatsApp.From != mg {
		t.Fatalf("a Messaging Service as the sender: %v", err)
	}
	if c, _ := Load(envOf(account), ModeDev); c.WhatsApp.Enabled() {
		t.Fatal("WhatsApp on without WHATSAPP_FROM")
	}
	for _, env := range []map[string]string{
		with(nil, "WHATSAPP_FROM", "+15005550006"),
		with(account, "WHATSAPP_FROM", "15005550006"),
		with(account, "WHATSAPP_FROM", "+15005550006", "WHATSAPP_TEMPLATE_SID", "HX12"),
		with(account, "WHATSAPP_FROM", "+15005550006", "WHATSAPP_CHOICES_SID", "MG"+strings.Repeat("0a", 16)),
	} {
		if _, err := Load(envOf(env), ModeDev); err == nil || !strings.Contains(err.Error(), "WHATSAPP_") {
			t.Errorf("%v accepted: %v", env, err)
		}
	}
}
