package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// dispatch answers one authenticated, not-failed method call.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, method string, p url.Values) {
	switch method {
	case "getMe":
		writeOK(w, map[string]any{"id": BotID, "is_bot": true, "first_name": "Tipline Test", "username": BotUsername})
	case "sendMessage":
		s.sendMessage(w, p)
	case "answerCallbackQuery":
		if p.Get("callback_query_id") == "" {
			writeError(w, http.StatusBadRequest, "Bad Request: query is too old and response timeout expired or query ID is invalid", 0)
			return
		}
		writeOK(w, true)
	case "deleteMessage":
		if p.Get("chat_id") == "" || p.Get("message_id") == "" {
			writeError(w, http.StatusBadRequest, "Bad Request: message to delete not found", 0)
			return
		}
		writeOK(w, true)
	case "getFile":
		s.getFile(w, p)
	case "setWebhook":
		s.setWebhook(w, p)
	case "deleteWebhook":
		s.SetWebhookURL("")
		writeOK(w, true)
	case "getWebhookInfo":
		s.getWebhookInfo(w)
	case "getUpdates":
		s.getUpdates(w, r, p)
	default:
		writeError(w, http.StatusNotFound, "Not Found", 0)
	}
}

func (s *Server) sendMessage(w http.ResponseWriter, p url.Values) {
	chatID, err := strconv.ParseInt(p.Get("chat_id"), 10, 64)
	if err != nil || chatID == 0 {
		writeError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	}
	text := p.Get("text")
	if text == "" {
		writeError(w, http.StatusBadRequest, "Bad Request: message text is empty", 0)
		return
	}
	if utf8.RuneCountInString(text) > 4096 {
		writeError(w, http.StatusBadRequest, "Bad Request: message is too long", 0)
		return
	}
	if desc := checkMarkup(p.Get("reply_markup")); desc != "" {
		writeError(w, http.StatusBadRequest, desc, 0)
		return
	}
	s.mu.Lock()
	blocked := s.blocked[chatID]
	s.nextMsg++
	id := s.nextMsg
	s.mu.Unlock()
	if blocked {
		writeError(w, http.StatusForbidden, "Forbidden: bot was blocked by the user", 0)
		return
	}
	writeOK(w, map[string]any{
		"message_id": id, "date": time.Now().Unix(), "text": text,
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Tipline Test", "username": BotUsername},
		"chat": map[string]any{"id": chatID, "type": "private"},
	})
}

// checkMarkup returns Telegram's error text for a bad reply_markup, or "".
func checkMarkup(raw string) string {
	if raw == "" {
		return ""
	}
	var m Markup
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return "Bad Request: can't parse reply keyboard markup JSON object"
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return "Bad Request: text buttons are unallowed in the inline keyboard"
			}
			if n := len(b.CallbackData); n < 1 || n > 64 {
				return "Bad Request: BUTTON_DATA_INVALID"
			}
		}
	}
	for _, row := range m.Keyboard {
		for _, b := range row {
			if b.Text == "" {
				return "Bad Request: keyboard button text is empty"
			}
		}
	}
	return ""
}

func (s *Server) getFile(w http.ResponseWriter, p url.Values) {
	id := p.Get("file_id")
	s.mu.Lock()
	f, ok := s.files[id]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, "Bad Request: invalid file_id", 0)
		return
	}
	writeOK(w, map[string]any{"file_id": id, "file_unique_id": "U" + id, "file_size": len(f.data), "file_path": f.path})
}

// serveFile answers /file/bot{token}/{path}.
func (s *Server) serveFile(w http.ResponseWriter, token, fpath string) {
	s.record(Call{Method: MethodFile, Params: url.Values{"file_path": {fpath}}})
	if token != s.Token {
		writeError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if f, ok := s.takeFailure(MethodFile); ok {
		writeError(w, f.Code, f.Description, f.RetryAfter)
		return
	}
	s.mu.Lock()
	var data []byte
	found := false
	for _, f := range s.files {
		if f.path == fpath {
			data, found = f.data, true
			break
		}
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

func (s *Server) setWebhook(w http.ResponseWriter, p url.Values) {
	var allowed []string
	if raw := p.Get("allowed_updates"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &allowed); err != nil {
			writeError(w, http.StatusBadRequest, "Bad Request: can't parse allowed updates", 0)
			return
		}
	}
	s.mu.Lock()
	s.webhook = WebhookState{URL: p.Get("url"), SecretToken: p.Get("secret_token"), AllowedUpdates: allowed}
	close(s.updateCh)
	s.updateCh = make(chan struct{})
	s.mu.Unlock()
	writeOK(w, true)
}

func (s *Server) getWebhookInfo(w http.ResponseWriter) {
	s.mu.Lock()
	info := map[string]any{"url": s.webhook.URL, "has_custom_certificate": false, "pending_update_count": len(s.updates)}
	if s.webhook.AllowedUpdates != nil {
		info["allowed_updates"] = s.webhook.AllowedUpdates
	}
	s.mu.Unlock()
	writeOK(w, info)
}
