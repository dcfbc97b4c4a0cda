package flows

import "tipline"

// scripts are the transcript tests of issue 4, each played on SMS and
// Telegram (unless the channel cannot do it) and compared with
// testdata/<name>.<channel>.txt.
var scripts = []script{
	{name: "new-york-safe-place", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{say: "10001"},
	}},
	{name: "spanish-texas", country: "US", hint: "es", channels: both, acts: []act{
		{say: "hola, necesito ayuda por favor"},
		{choose: "start:help"},
		{choose: "need:food"},
		{say: "Houston, TX"},
		{choose: "more", only: tipline.ChannelSMS},
	}},
	{name: "french-quebec", country: "CA", hint: "fr-CA", channels: both, acts: []act{
		{say: "Bonjour, j'ai besoin d'aide"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{say: "H2X 1Y4"},
		{choose: "more", only: tipline.ChannelSMS},
	}},
	{name: "danger-mid-flow", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{say: "he took my phone and wont let me leave"},
		{say: "10001"},
	}},
	{name: "danger-unknown-country", channels: both, acts: []act{
		{say: "i want to kill myself"},
	}},
	{name: "stop-stray-start", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{say: "STOP"},
		{say: "hello?"},
		{say: "START"},
	}},
	{name: "danger-after-stop", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{say: "stop"},
		{say: "he is going to kill me"},
	}},
	{name: "delete", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{choose: "start:help"},
		{say: "DELETE"},
	}},
	{name: "help", country: "US", hint: "en", channels: both, acts: []act{
		{say: "HELP"},
	}},
	{name: "help-mexico-spanish", country: "MX", hint: "es-MX", channels: both, acts: []act{
		{say: "AYUDA"},
	}},
	{name: "unknown-zip", country: "US", hint: "en", channels: both, acts: []act{
		{say: "hi"},
		{choose: "start:help"},
		{choose: "need:food"},
		{say: "00000"},
		{choose: "where:skip"},
	}},
	{name: "telegram-location", hint: "en", channels: []tipline.Channel{tipline.ChannelTelegram}, acts: []act{
		{say: "/start"},
		{choose: "start:help"},
		{choose: "need:shelter"},
		{loc: &tipline.Location{Lat: 40.7521, Lon: -73.9934}},
	}},
}
