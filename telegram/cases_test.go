package telegram

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"tipline"
)

// updateCase is one raw update and what the webhook must make of it.
type updateCase struct {
	name   string
	body   string // raw JSON, or "@file" under testdata/updates
	status int    // webhook answer
	kind   Kind   // for 200 answers
	want   tipline.Inbound
}

// tg fills the fields every Telegram Inbound from chat 1111111 has.
func tg(id int64, ref string, in tipline.Inbound) tipline.Inbound {
	in.Channel = tipline.ChannelTelegram
	in.ProviderID = itoa64(id)
	in.Seq = id
	in.SenderID = "1111111"
	in.MessageRef = ref
	return in
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// msg wraps message fields into a private-chat message update.
func msg(id int64, fields string) string {
	return `{"update_id":` + itoa64(id) + `,"message":{"message_id":20,"date":1700000000,` +
		`"from":{"id":1111111,"is_bot":false,"first_name":"Ana","last_name":"X","username":"ana_x","language_code":"fr"},` +
		`"chat":{"id":1111111,"first_name":"Ana","username":"ana_x","type":"private"},` + fields + `}}`
}

var updateCases = []updateCase{
	{name: "F1 text", body: "@f1_text.json", status: 200, kind: KindMessage,
		want: tg(100000001, "10", tipline.Inbound{Text: "I need help", LangHint: "en"})},
	{name: "F2 start payload", body: "@f2_start_payload.json", status: 200, kind: KindMessage,
		want: tg(100000002, "11", tipline.Inbound{Text: "/start", Payload: "src_flyer-NYC_01", LangHint: "es"})},
	{name: "F3 location", body: "@f3_location.json", status: 200, kind: KindMessage,
		want: tg(100000003, "12", tipline.Inbound{Location: &tipline.Location{Lat: 40.712776, Lon: -74.005974}})},
	{name: "F4 photo caption", body: "@f4_photo_caption.json", status: 200, kind: KindMessage,
		want: tg(100000004, "13", tipline.Inbound{Text: "this is the car",
			Media: []tipline.MediaRef{{Ref: "AgACAgEAAxkBAAFAKE_large", ContentType: "image/jpeg", Size: 201433}}})},
	{name: "F5 callback", body: "@f5_callback.json", status: 200, kind: KindMessage,
		want: tg(100000005, "14", tipline.Inbound{Callback: "safe:no", CallbackID: "4382bfdwdsb323b2d9"})},
	{name: "bare start", body: msg(7, `"text":"/start"`), status: 200, kind: KindMessage,
		want: tg(7, "20", tipline.Inbound{Text: "/start", LangHint: "fr"})},
	{name: "start with bot name and payload", body: msg(8, `"text":"/start@tipline_bot cmVmOjQy"`), status: 200,
		kind: KindMessage, want: tg(8, "20", tipline.Inbound{Text: "/start", Payload: "cmVmOjQy", LangHint: "fr"})},
	{name: "start with invalid payload keeps text", body: msg(9, `"text":"/start help me now"`), status: 200,
		kind: KindMessage, want: tg(9, "20", tipline.Inbound{Text: "/start help me now", LangHint: "fr"})},
	{name: "start payload too long", body: msg(10, `"text":"/start `+string(make65())+`"`), status: 200,
		kind: KindMessage, want: tg(10, "20", tipline.Inbound{Text: "/start " + string(make65()), LangHint: "fr"})},
	{name: "image document", body: msg(11, `"document":{"file_id":"BQACdoc","file_unique_id":"u","file_name":"car.png","mime_type":"image/png","file_size":5000},"caption":"plate"`),
		status: 200, kind: KindMessage, want: tg(11, "20", tipline.Inbound{Text: "plate", LangHint: "fr",
			Media: []tipline.MediaRef{{Ref: "BQACdoc", ContentType: "image/png", FileName: "car.png", Size: 5000}}})},
	{name: "pdf document (flow refuses)", body: msg(12, `"document":{"file_id":"BQACpdf","file_unique_id":"u","file_name":"a.pdf","mime_type":"application/pdf"}`),
		status: 200, kind: KindMessage, want: tg(12, "20", tipline.Inbound{LangHint: "fr",
			Media: []tipline.MediaRef{{Ref: "BQACpdf", ContentType: "application/pdf", FileName: "a.pdf"}}})},
	{name: "document without mime", body: msg(13, `"document":{"file_id":"BQACx","file_unique_id":"u"}`),
		status: 200, kind: KindMessage, want: tg(13, "20", tipline.Inbound{LangHint: "fr",
			Media: []tipline.MediaRef{{Ref: "BQACx", ContentType: "application/octet-stream"}}})},
	{name: "voice (flow refuses)", body: msg(14, `"voice":{"file_id":"AwACvoice","file_unique_id":"u","duration":3,"mime_type":"audio/ogg","file_size":900}`),
		status: 200, kind: KindMessage, want: tg(14, "20", tipline.Inbound{LangHint: "fr",
			Media: []tipline.MediaRef{{Ref: "AwACvoice", ContentType: "audio/ogg", Size: 900}}})},
	{name: "callback without message uses from id", body: `{"update_id":15,"callback_query":{"id":"cb15","from":{"id":1111111,"is_bot":false,"first_name":"T","language_code":"en-US"},"chat_instance":"1","data":"lang:en"}}`,
		status: 200, kind: KindMessage, want: tg(15, "", tipline.Inbound{Callback: "lang:en", CallbackID: "cb15", LangHint: "en-us"})},
	{name: "blocked", body: `{"update_id":16,"my_chat_member":{"chat":{"id":1111111,"type":"private","first_name":"T"},"from":{"id":1111111,"is_bot":false,"first_name":"T"},"date":1,"old_chat_member":{"status":"member","user":{"id":7,"is_bot":true,"first_name":"B"}},"new_chat_member":{"status":"kicked","until_date":0,"user":{"id":7,"is_bot":true,"first_name":"B"}}}}`,
		status: 200, kind: KindBlocked, want: tipline.Inbound{Channel: tipline.ChannelTelegram, ProviderID: "16", Seq: 16, SenderID: "1111111"}},
	{name: "unblocked", body: `{"update_id":17,"my_chat_member":{"chat":{"id":1111111,"type":"private"},"new_chat_member":{"status":"member"}}}`,
		status: 200, kind: KindUnblocked, want: tipline.Inbound{Channel: tipline.ChannelTelegram, ProviderID: "17", Seq: 17, SenderID: "1111111"}},
	{name: "edited message ignored", body: `{"update_id":18,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":1111111,"type":"private"},"text":"edit"}}`, status: 200},
	{name: "channel post ignored", body: `{"update_id":19,"channel_post":{"message_id":1,"date":1,"chat":{"id":-100123,"type":"channel","title":"c"},"text":"hi"}}`, status: 200},
	{name: "sticker ignored", body: msg(20, `"sticker":{"file_id":"CAAC","file_unique_id":"u","type":"regular","width":512,"height":512,"is_animated":false,"is_video":false}`), status: 200},
	{name: "group chat ignored", body: `{"update_id":21,"message":{"message_id":1,"date":1,"from":{"id":1111111,"is_bot":false,"first_name":"T"},"chat":{"id":-4001,"type":"group","title":"g"},"text":"help"}}`, status: 200},
	{name: "callback in group ignored", body: `{"update_id":22,"callback_query":{"id":"c","from":{"id":1,"is_bot":false,"first_name":"T"},"chat_instance":"1","data":"x","message":{"message_id":1,"date":1,"chat":{"id":-5,"type":"supergroup"}}}}`, status: 200},
	{name: "game callback ignored", body: `{"update_id":23,"callback_query":{"id":"c","from":{"id":1,"is_bot":false,"first_name":"T"},"chat_instance":"1","game_short_name":"g"}}`, status: 200},
	{name: "contact ignored", body: msg(24, `"contact":{"phone_number":"+15550100","first_name":"X"}`), status: 200},
	{name: "unknown top-level key ignored", body: `{"update_id":25,"message_reaction_v9":{"whatever":[1,2,3]}}`, status: 200},
	{name: "inline query ignored", body: `{"update_id":26,"inline_query":{"id":"q","from":{"id":1,"is_bot":false,"first_name":"T"},"query":"x","offset":""}}`, status: 200},
	{name: "member status left ignored", body: `{"update_id":27,"my_chat_member":{"chat":{"id":1111111,"type":"private"},"new_chat_member":{"status":"left"}}}`, status: 200},
	{name: "out of range location ignored", body: msg(28, `"location":{"latitude":91,"longitude":0}`), status: 200},
	{name: "big chat id", body: `{"update_id":29,"message":{"message_id":1,"date":1,"chat":{"id":4503599627370495,"type":"private"},"text":"hi"}}`,
		status: 200, kind: KindMessage, want: tipline.Inbound{Channel: tipline.ChannelTelegram, ProviderID: "29", Seq: 29,
			SenderID: "4503599627370495", Text: "hi", MessageRef: "1"}},
	{name: "malformed json", body: `{"update_id":30,"message":`, status: 400},
	{name: "not an object", body: `[1,2]`, status: 400},
	{name: "null", body: `null`, status: 400},
	{name: "empty body", body: ``, status: 400},
	{name: "missing update_id", body: `{"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}`, status: 400},
	{name: "update_id is a string", body: `{"update_id":"31"}`, status: 400},
	{name: "chat id wrong type", body: `{"update_id":32,"message":{"message_id":1,"date":1,"chat":{"id":"x","type":"private"},"text":"x"}}`, status: 400},
	{name: "trailing garbage", body: `{"update_id":33} {}`, status: 400},
}

func make65() []byte {
	b := make([]byte, 65)
	for i := range b {
		b[i] = 'a'
	}
	return b
}

// caseBody resolves "@file" bodies.
func caseBody(t testing.TB, c updateCase) []byte {
	t.Helper()
	if len(c.body) > 0 && c.body[0] == '@' {
		b, err := os.ReadFile(filepath.Join("testdata", "updates", c.body[1:]))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []byte(c.body)
}
