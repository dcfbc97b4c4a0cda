package flows

import (
	"testing"

	"tipline"
)

// whatsApp is how WhatsApp replays the SMS scripts: it numbers its options
// as SMS does and takes the country from the number, but is one message
// per reply like Telegram (up to 1600 characters, no pages).
var whatsApp = oneMessageChannel{ch: tipline.ChannelWhatsApp, country: true,
	check: func(e *Engine, r tipline.Reply) []string { return checkReply(e.Dir, tipline.ChannelWhatsApp, r) }}

// TestWhatsAppTranscripts plays every conversation script that runs on SMS
// on WhatsApp too (issue 17): the conversations and the report scripts,
// against testdata/<name>.whatsapp.txt.
func TestWhatsAppTranscripts(t *testing.T) { whatsApp.playSMSScripts(t) }

// TestWhatsAppCrisisAndRiskTranscripts plays the crisis conversation and
// the risk cases of each language on WhatsApp, against
// testdata/crisis-<lang>.whatsapp.txt and risk-<lang>.whatsapp.txt.
func TestWhatsAppCrisisAndRiskTranscripts(t *testing.T) { whatsApp.playCrisisAndRisk(t) }
