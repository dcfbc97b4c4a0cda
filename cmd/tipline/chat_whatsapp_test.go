package main

import (
	"strings"
	"testing"

	"tipline/testdb"
	"tipline/twilio"
)

// TestChatAsWhatsApp: `tipline chat --as whatsapp` shows the bot's answers
// as WhatsApp does (numbered options, a character count), answers a typed
// number, and lets the user share a location.
func TestChatAsWhatsApp(t *testing.T) {
	want := chatFirstAnswer(t, "hello")
	dbURL := testdb.URL(t)
	out := runChatWith(t, dbURL, "hello\n1\n/location 40.7,-74\n", "--as", "whatsapp")
	if !strings.Contains(out, "bot: "+strings.ReplaceAll(twilio.RenderWhatsApp(want), "\n", "\n     ")) {
		t.Errorf("the first answer is not shown as WhatsApp (%q):\n%s", twilio.RenderWhatsApp(want), out)
	}
	if !strings.Contains(out, "1) "+want.Options[0].Label) || !strings.Contains(out, " characters]") {
		t.Errorf("no numbered options or character count:\n%s", out)
	}
	if strings.Count(out, "bot: ") < 3 {
		t.Errorf("typing 1 or sharing a location got no answer:\n%s", out)
	}
	if strings.Contains(out, "cannot share a location") {
		t.Errorf("a WhatsApp user could not share a location:\n%s", out)
	}
	checkChatConversation(t, dbURL, "1")
}
