package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/directory"
	"tipline/flows"
	"tipline/seal"
	"tipline/testdb"
	"tipline/twilio"
)

// chatFirstAnswer is the flows' first reply to text in a new conversation.
func chatFirstAnswer(t *testing.T, text string) tipline.Reply {
	t.Helper()
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	e := &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
	return e.Step(flows.State{}, flows.Input{Channel: tipline.ChannelSim, Text: text}, time.Now()).Replies[0]
}

// runChatWith runs `tipline chat args…` on a fresh database with stdin.
func runChatWith(t *testing.T, dbURL, stdin string, args ...string) string {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": dbURL, "TIPLINE_SECRET_KEY": seal.GenerateKey(), "LOG_LEVEL": "error"}
	var out, errb bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	if code := run(context.Background(), append([]string{"chat"}, args...), e); code != 0 {
		t.Fatalf("tipline chat exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	return out.String()
}

func TestChatAsSMS(t *testing.T) {
	want := chatFirstAnswer(t, "hello")
	dbURL := testdb.URL(t)
	out := runChatWith(t, dbURL, "hello\n1\n/location 40.7,-74\n", "--as", "sms")
	if !strings.Contains(out, "bot: "+strings.ReplaceAll(twilio.Render(want), "\n", "\n     ")) {
		t.Errorf("the first answer is not shown as SMS (%q):\n%s", twilio.Render(want), out)
	}
	if !strings.Contains(out, "1) "+want.Options[0].Label) || !strings.Contains(out, "[GSM-7, 1 segment]") {
		t.Errorf("no numbered options or segment count:\n%s", out)
	}
	if strings.Count(out, "bot: ") < 2 {
		t.Errorf("typing 1 got no answer:\n%s", out)
	}
	if !strings.Contains(out, "cannot share a location") {
		t.Errorf("an SMS user could share a location:\n%s", out)
	}
	checkChatConversation(t, dbURL, "1")
}

func TestChatAsTelegram(t *testing.T) {
	want := chatFirstAnswer(t, "hello")
	dbURL := testdb.URL(t)
	out := runChatWith(t, dbURL, "hello\n1\n/quit\nnever sent\n", "--as", "telegram")
	if !strings.Contains(out, "bot: "+want.Text) || !strings.Contains(out, "[1] "+want.Options[0].Label) {
		t.Errorf("the first answer is not shown with Telegram buttons:\n%s", out)
	}
	if strings.Contains(out, "1) ") {
		t.Errorf("Telegram rendering shows SMS numbering:\n%s", out)
	}
	checkChatConversation(t, dbURL, "["+want.Options[0].Value+"]")
}

// checkChatConversation asserts one simulated conversation whose second
// inbound message is secondIn and whose replies are all delivered.
func checkChatConversation(t *testing.T, dbURL, secondIn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var convs, simulated, queued, sent int
	var second string
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM conversations WHERE simulated AND channel = 'sim'),
		(SELECT count(*) FROM messages WHERE direction = 'out' AND status <> 'sent'),
		(SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'sent'),
		(SELECT body FROM messages WHERE direction = 'in' ORDER BY id OFFSET 1 LIMIT 1)`).Scan(&convs, &simulated, &queued, &sent, &second)
	if err != nil {
		t.Fatal(err)
	}
	if convs != 1 || simulated != 1 || queued != 0 || sent < 2 || second != secondIn {
		t.Errorf("conversations %d (simulated %d), replies sent %d, not sent %d, second message %q (want %q)",
			convs, simulated, sent, queued, second, secondIn)
	}
}

func TestChatUsage(t *testing.T) {
	var out bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: noEnv}
	if code := run(context.Background(), []string{"chat", "--as", "fax"}, e); code != 2 {
		t.Errorf("chat --as fax: exit %d, want 2", code)
	}
}
