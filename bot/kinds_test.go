package bot_test

import (
	"context"
	"fmt"
	"testing"

	"tipline"
	"tipline/telegram/telegramtest"
)

// TestTelegramUpdateKindsAgainstDatabase posts raw updates of every kind
// to the real webhook handler on a real database.
func TestTelegramUpdateKindsAgainstDatabase(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.NewFakeClock(t0))
	const chat = 3300
	raw := func(id int, body string) string { return fmt.Sprintf(`{"update_id":%d,%s}`, id, body) }
	msg := `"message_id":%d,"date":1764000000,"chat":{"id":3300,"type":"private"},"from":{"id":3300,"is_bot":false,"first_name":"Zed","username":"zed_secret"}`
	cases := []struct {
		name   string
		update string
		stored int // inbound rows it adds
	}{
		{"text", telegramtest.TextUpdate(10, chat, "hello"), 1},
		{"deep link", telegramtest.TextUpdate(11, chat, "/start case_abc123"), 1},
		{"button", telegramtest.CallbackUpdate(12, chat, "cb-1", "menu", 5), 1},
		{"location", telegramtest.LocationUpdate(13, chat, 40.7521, -73.9934), 1},
		{"photo", telegramtest.PhotoUpdate(14, chat, "at the depot", "file-small", "file-large"), 1},
		{"image document", raw(15, `"message":{`+fmt.Sprintf(msg, 15)+`,"document":{"file_id":"doc-1","file_unique_id":"u1","mime_type":"image/png","file_name":"x.png"}}`), 1},
		{"edited message", raw(16, `"edited_message":{`+fmt.Sprintf(msg, 16)+`,"edit_date":1764000001,"text":"edited"}`), 0},
		{"sticker", raw(17, `"message":{`+fmt.Sprintf(msg, 17)+`,"sticker":{"file_id":"s","file_unique_id":"s","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}`), 0},
		{"group chat", raw(18, `"message":{"message_id":18,"date":1764000000,"chat":{"id":-100,"type":"group"},"text":"hi"}`), 0},
		{"blocked", telegramtest.BlockedUpdate(19, chat), 0},
	}
	for _, c := range cases {
		before := r.count(`SELECT count(*) FROM messages WHERE direction = 'in'`)
		if code := r.postTelegram(c.update); code != 200 {
			t.Errorf("%s: status %d", c.name, code)
			continue
		}
		if got := r.count(`SELECT count(*) FROM messages WHERE direction = 'in'`) - before; got != c.stored {
			t.Errorf("%s: stored %d inbound rows, want %d", c.name, got, c.stored)
		}
	}
	if n := r.count(`SELECT count(*) FROM conversations WHERE source = 'case_abc123'`); n != 1 {
		t.Errorf("deep-link payload not kept as the conversation's source")
	}
	var leaked int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE body LIKE '%zed_secret%' OR body LIKE '%Zed%'`).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("username or name stored (%d rows, %v)", leaked, err)
	}
}
