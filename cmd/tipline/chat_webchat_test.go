package main

import (
	"strings"
	"testing"

	"tipline/testdb"
)

// TestChatAsWebChat: `tipline chat --as webchat` shows the answers as the
// web chat does (the text, its options as buttons pressed by number) and
// refuses to share a location, as the page never asks for one.
func TestChatAsWebChat(t *testing.T) {
	want := chatFirstAnswer(t, "hello")
	dbURL := testdb.URL(t)
	out := runChatWith(t, dbURL, "hello\n1\n/location 40.7,-74\n", "--as", "webchat")
	if !strings.Contains(out, "simulated web chat user") || !strings.Contains(out, "bot: "+want.Text) ||
		!strings.Contains(out, "[1] "+want.Options[0].Label) {
		t.Errorf("the first answer is not shown with web chat buttons:\n%s", out)
	}
	if !strings.Contains(out, "web chat user cannot share a location") {
		t.Errorf("a web chat user could share a location:\n%s", out)
	}
	checkChatConversation(t, dbURL, "["+want.Options[0].Value+"]")
}
