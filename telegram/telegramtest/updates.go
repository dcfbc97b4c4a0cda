package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AddUpdate queues raw update JSON for getUpdates and returns its
// update_id (0 when it has none; such an update is served until an offset
// above 0 confirms it). Updates are kept in update_id order.
func (s *Server) AddUpdate(raw string) int64 {
	var head struct {
		UpdateID int64 `json:"update_id"`
	}
	_ = json.Unmarshal([]byte(raw), &head)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, queued{id: head.UpdateID, raw: json.RawMessage(raw)})
	sort.SliceStable(s.updates, func(i, j int) bool { return s.updates[i].id < s.updates[j].id })
	close(s.updateCh)
	s.updateCh = make(chan struct{})
	return head.UpdateID
}

// Pending returns the ids of queued updates not yet confirmed by a
// getUpdates offset above them.
func (s *Server) Pending() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, len(s.updates))
	for i, u := range s.updates {
		ids[i] = u.id
	}
	return ids
}

// Offsets returns the offset parameter of every getUpdates call, in order
// (0 when absent).
func (s *Server) Offsets() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.offsets...)
}

// getUpdates serves queued updates from offset, long-polling up to timeout.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p url.Values) {
	offset, _ := strconv.Atoi(p.Get("offset"))
	limit, err := strconv.Atoi(p.Get("limit"))
	if err != nil || limit <= 0 || limit > 100 {
		limit = 100
	}
	secs, _ := strconv.Atoi(p.Get("timeout"))
	s.mu.Lock()
	s.offsets = append(s.offsets, offset)
	s.mu.Unlock()
	deadline := time.NewTimer(time.Duration(max(secs, 0)) * time.Second)
	defer deadline.Stop()
	for {
		batch, wait, conflict := s.batch(offset, limit)
		if conflict {
			writeError(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; "+
				"use deleteWebhook to delete the webhook first", 0)
			return
		}
		if len(batch) > 0 || secs <= 0 {
			writeOK(w, batch)
			return
		}
		select {
		case <-wait:
		case <-deadline.C:
			secs = 0
		case <-r.Context().Done():
			return
		}
	}
}

// batch confirms updates below offset and returns up to limit of the rest,
// and a channel closed when more arrive. conflict means a webhook is set.
func (s *Server) batch(offset, limit int) (out []json.RawMessage, wait <-chan struct{}, conflict bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.URL != "" {
		return nil, nil, true
	}
	if offset > 0 {
		kept := s.updates[:0]
		for _, u := range s.updates {
			if u.id >= int64(offset) {
				kept = append(kept, u)
			}
		}
		s.updates = kept
	}
	out = []json.RawMessage{}
	for _, u := range s.updates {
		if len(out) == limit {
			break
		}
		out = append(out, u.raw)
	}
	return out, s.updateCh, false
}

// TextUpdate builds a private-chat text message update.
func TextUpdate(updateID, chatID int64, text string) string {
	return messageUpdate(updateID, chatID, map[string]any{"text": text})
}

// LocationUpdate builds a private-chat shared-location update.
func LocationUpdate(updateID, chatID int64, lat, lon float64) string {
	return messageUpdate(updateID, chatID, map[string]any{"location": map[string]any{"latitude": lat, "longitude": lon}})
}

// PhotoUpdate builds a private-chat photo update; fileIDs are the sizes,
// smallest first (the last is the largest).
func PhotoUpdate(updateID, chatID int64, caption string, fileIDs ...string) string {
	sizes := make([]map[string]any, len(fileIDs))
	for i, id := range fileIDs {
		side := 90 * (i + 1)
		sizes[i] = map[string]any{"file_id": id, "file_unique_id": "U" + id, "width": side, "height": side}
	}
	fields := map[string]any{"photo": sizes}
	if caption != "" {
		fields["caption"] = caption
	}
	return messageUpdate(updateID, chatID, fields)
}

// CallbackUpdate builds a callback_query update: the press of an inline
// button with data under the bot's message messageID in chatID.
func CallbackUpdate(updateID, chatID int64, callbackID, data string, messageID int) string {
	return marshal(map[string]any{"update_id": updateID, "callback_query": map[string]any{
		"id": callbackID, "from": user(chatID), "chat_instance": "1", "data": data,
		"message": map[string]any{"message_id": messageID, "date": 1700000000,
			"chat": map[string]any{"id": chatID, "type": "private"}, "text": "…"},
	}})
}

// BlockedUpdate builds the my_chat_member update Telegram sends when the
// user of chatID blocks the bot.
func BlockedUpdate(updateID, chatID int64) string {
	return marshal(map[string]any{"update_id": updateID, "my_chat_member": map[string]any{
		"chat": map[string]any{"id": chatID, "type": "private"}, "from": user(chatID), "date": 1700000000,
		"old_chat_member": map[string]any{"status": "member", "user": map[string]any{"id": BotID, "is_bot": true, "first_name": "Tipline Test"}},
		"new_chat_member": map[string]any{"status": "kicked", "until_date": 0, "user": map[string]any{"id": BotID, "is_bot": true, "first_name": "Tipline Test"}},
	}})
}

// WebhookRequest builds the POST Telegram would make to a webhook at
// target with body as the update; secret goes in
// X-Telegram-Bot-Api-Secret-Token unless it is "". Use it with
// httptest.NewRecorder or an http.Client.
func WebhookRequest(target, secret, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		panic("telegramtest: bad webhook target: " + err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	return req
}

func messageUpdate(updateID, chatID int64, fields map[string]any) string {
	msg := map[string]any{
		"message_id": updateID, "date": 1700000000, "from": user(chatID),
		"chat": map[string]any{"id": chatID, "type": "private", "first_name": "Test"},
	}
	for k, v := range fields {
		msg[k] = v
	}
	return marshal(map[string]any{"update_id": updateID, "message": msg})
}

func user(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "Test", "language_code": "en"}
}

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
