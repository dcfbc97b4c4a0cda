package flows

import (
	"strings"
	"testing"
)

func TestCheckNeutral(t *testing.T) {
	bad := []string{
		"National Human Trafficking Hotline: call",
		"Línea nacional contra la trata",
		"Ligne canadienne: appelle",
		"Runaway? Call us",
		"Missing child report received",
		"About your message earlier: here are places",
		"Como dijiste, aquí tienes",
		"Si tu es en fugue, appelle",
		"Abuso: llama",
	}
	for _, m := range bad {
		if CheckNeutral(m) == nil {
			t.Errorf("CheckNeutral(%q) passed", m)
		}
	}
	good := []string{
		"Free and confidential support, day or night.\nNational Human Trafficking Hotline",
		"Hi. This service is free and confidential. What would you like to do?",
		"¿En peligro ahora? Llama al 911.",
		"If you are in danger, call 911 now.",
	}
	for _, m := range good {
		if err := CheckNeutral(m); err != nil {
			t.Errorf("CheckNeutral(%q): %v", m, err)
		}
	}
}

// Every catalogue text that can open a message is neutral by itself.
func TestCatalogOpeningsAreNeutral(t *testing.T) {
	openers := []string{"neutral.header", "menu.ask", "help.need.ask", "help.where.ask", "help.where.unknown",
		"emergency.call", "danger.first", "kw.stop", "kw.start", "kw.help.head", "kw.delete.sms",
		"kw.delete.telegram", "hook.report_unavailable", "lang.ask"}
	for _, l := range Langs {
		for _, k := range openers {
			if err := CheckNeutral(messages.Text(l, k, "emergency", "911")); err != nil {
				t.Errorf("%s %s: %v", l, k, err)
			}
		}
	}
}

func TestEnsureNeutral(t *testing.T) {
	got := ensureNeutral("National Human Trafficking Hotline: call", "es")
	if CheckNeutral(got) != nil || got[:len(messages.Text("es", "neutral.header"))] != messages.Text("es", "neutral.header") {
		t.Errorf("ensureNeutral = %q", got)
	}
}

// The bot promises confidentiality, never anonymity (DESIGN.md rule 5).
func TestNoAnonymityPromise(t *testing.T) {
	for lang, m := range Messages() {
		for key, text := range m {
			n := Normalize(text)
			for _, not := range []string{"not anonym", "no anonim", "pas anonym"} {
				n = strings.ReplaceAll(n, not, "") // saying it is not anonymous is right
			}
			if strings.Contains(n, "anonim") || strings.Contains(n, "anonym") {
				t.Errorf("%s %s: %q mentions anonymity; promise confidentiality only", lang, key, text)
			}
		}
	}
	for _, l := range Langs {
		if !strings.Contains(Normalize(messages.Text(l, "help.need.ask")), "confiden") {
			t.Errorf("%s: the need question must promise confidentiality", l)
		}
	}
}
