package telegramtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func call(t *testing.T, s *Server, token, method string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.URL+"/bot"+token+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func TestTokenAndUnknownMethod(t *testing.T) {
	s := New(t)
	if code, _ := call(t, s, "wrong", "getMe", nil); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	if code, _ := call(t, s, s.Token, "sendDice", nil); code != http.StatusNotFound {
		t.Errorf("unknown method: %d", code)
	}
	if code, body := call(t, s, s.Token, "getMe", nil); code != 200 || body["ok"] != true {
		t.Errorf("getMe: %d %v", code, body)
	}
	if got := s.Calls(); len(got) != 3 || got[2].Method != "getMe" {
		t.Errorf("calls = %+v", got)
	}
}

func TestLongPollWakesOnUpdate(t *testing.T) {
	s := New(t)
	go func() {
		time.Sleep(50 * time.Millisecond)
		s.AddUpdate(TextUpdate(3, 1, "hi"))
	}()
	start := time.Now()
	code, body := call(t, s, s.Token, "getUpdates", url.Values{"timeout": {"5"}})
	if code != 200 || len(body["result"].([]any)) != 1 || time.Since(start) > 4*time.Second {
		t.Fatalf("getUpdates: %d %v after %v", code, body, time.Since(start))
	}
	if _, body := call(t, s, s.Token, "getUpdates", url.Values{"offset": {"4"}}); len(body["result"].([]any)) != 0 {
		t.Fatalf("offset 4 still served: %v", body)
	}
	if len(s.Pending()) != 0 || s.Offsets()[1] != 4 {
		t.Fatalf("pending %v offsets %v", s.Pending(), s.Offsets())
	}
}

func TestFailNextAndFiles(t *testing.T) {
	s := New(t)
	s.FailNext(2, TooManyRequests(4).On("sendMessage"))
	form := url.Values{"chat_id": {"5"}, "text": {"x"}}
	for i := 0; i < 2; i++ {
		code, body := call(t, s, s.Token, "sendMessage", form)
		params, _ := body["parameters"].(map[string]any)
		if code != 429 || params["retry_after"] != float64(4) {
			t.Fatalf("attempt %d: %d %v", i, code, body)
		}
	}
	if code, _ := call(t, s, s.Token, "sendMessage", form); code != 200 {
		t.Fatalf("after failures: %d", code)
	}
	s.AddFile("F", "photos/a.jpg", []byte("data"))
	resp, err := http.Get(s.URL + "/file/bot" + s.Token + "/photos/a.jpg")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "data" || s.CallsTo(MethodFile)[0].Get("file_path") != "photos/a.jpg" {
		t.Fatalf("file: %q %+v", b, s.CallsTo(MethodFile))
	}
}

func TestJSONBodyParams(t *testing.T) {
	s := New(t)
	body := `{"chat_id":5,"text":"hé","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}`
	resp, err := http.Post(s.URL+"/bot"+s.Token+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c := s.Sent()[0]
	m, err := c.Markup()
	if resp.StatusCode != 200 || c.ChatID() != 5 || c.Text() != "hé" || err != nil || m.InlineKeyboard[0][0].CallbackData != "a" {
		t.Fatalf("%d %+v %v", resp.StatusCode, c, err)
	}
}
