package bench

import "net/url"

// senderChannel is the channel of the n'th new sender for --channel:
// "both" alternates Telegram and SMS, "all" takes Telegram, SMS and
// WhatsApp in turn.
func senderChannel(opt string, n int) string {
	switch {
	case opt == "twilio" || opt == "both" && n%2 == 1 || opt == "all" && n%3 == 1:
		return chSMS
	case opt == "whatsapp" || opt == "all" && n%3 == 2:
		return chWhatsApp
	}
	return chTelegram
}

// whatsappForm is what Twilio posts for an inbound WhatsApp message from
// the number from, with the profile fields Tipline must drop.
func whatsappForm(sid, account, from, body string) url.Values {
	return url.Values{
		"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid}, "AccountSid": {account},
		"From": {"whatsapp:" + from}, "To": {"whatsapp:+15005550006"}, "Body": {body}, "NumMedia": {"0"},
		"NumSegments": {"1"}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"}, "MessageType": {"text"},
		"ProfileName": {"Bench"}, "WaId": {from[1:]},
	}
}
