package flows

import (
	"strings"
	"testing"

	"tipline"
)

// webChat is how the web chat replays the SMS scripts: options as buttons
// like Telegram (a pressed one sends its value), one message per reply,
// never a request to share a location (a place is typed, as on SMS). The
// country comes from the browser's language (the script's language hint),
// never from the address; a transcript's first line names it.
var webChat = oneMessageChannel{ch: tipline.ChannelWebChat, check: checkWebChatReply, header: webChatHeader}

// TestWebChatTranscripts plays every conversation and report script that
// runs on SMS on the web chat too (issue 17), against
// testdata/<name>.webchat.txt.
func TestWebChatTranscripts(t *testing.T) { webChat.playSMSScripts(t) }

// TestWebChatCrisisAndRiskTranscripts plays the crisis conversation and
// the risk cases of each language (English, Spanish, French) on the web
// chat, against testdata/crisis-<lang>.webchat.txt and
// risk-<lang>.webchat.txt.
func TestWebChatCrisisAndRiskTranscripts(t *testing.T) { webChat.playCrisisAndRisk(t) }

// checkWebChatReply applies the rules every message keeps, and the web
// chat's own: no request for a location (the page never asks the browser
// where it is).
func checkWebChatReply(e *Engine, r tipline.Reply) []string {
	probs := checkReply(e.Dir, tipline.ChannelWebChat, r)
	if r.AskLocation {
		probs = append(probs, "asks to share a location")
	}
	return probs
}

// webChatHeader names the browser language on a transcript's first line.
func webChatHeader(s script, tr string) string {
	if s.hint == "" {
		return tr
	}
	first, rest, _ := strings.Cut(tr, "\n")
	return first + " (browser language " + s.hint + ")\n" + rest
}
