package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/seal"
	"tipline/testdb"
)

// BenchmarkStreamPoll is what one open stream costs the database at each
// poll (every 3 s): reading a 20-message conversation above the cursor,
// with nothing new (an idle chat, the common case) and from the start (a
// page opened again).
func BenchmarkStreamPoll(b *testing.B) {
	pool := testdb.New(b)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		b.Fatal(err)
	}
	dir, err := directory.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	bt := bot.New(pool, keys, &flows.Engine{Dir: directory.New(dir), TZ: time.UTC, Timeout: 30 * time.Minute}, nil, nil)
	token := NewToken(keys)
	ctx := context.Background()
	for _, text := range []string{"hi", "I need a place to sleep", "77002", "thanks", "menu", "hi", "food", "77002", "ok", "bye"} {
		id := make([]byte, 16)
		_, _ = rand.Read(id)
		in := Inbound(token, Input{ID: hex.EncodeToString(id), Text: text, Lang: "en-US"}, time.Now())
		if err := bt.Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	hashes := keys.HashAll(string(tipline.ChannelWebChat), token)
	all, _, err := readMessages(ctx, pool, hashes, 0, maxRows)
	if err != nil || len(all) < 15 {
		b.Fatalf("%d messages, %v", len(all), err)
	}
	for _, bc := range []struct {
		name  string
		after int64
	}{{"idle", all[len(all)-1].ID}, {"from-start", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := readMessages(ctx, pool, hashes, bc.after, maxRows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
