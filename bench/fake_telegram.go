package bench

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// telegram serves /bot{token}/{method} like the Bot API, for the methods a
// serving instance calls: sendMessage, answerCallbackQuery, deleteMessage,
// setWebhook, getWebhookInfo, deleteWebhook and getMe.
func (f *Fakes) telegram(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	if !ok || !found {
		tgError(w, http.StatusNotFound, "Not Found")
		return
	}
	if token != f.TelegramToken {
		tgError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if err := r.ParseForm(); err != nil {
		tgError(w, http.StatusBadRequest, "Bad Request: cannot parse parameters")
		return
	}
	switch method {
	case "sendMessage":
		f.tgSend(w, r)
	case "answerCallbackQuery", "deleteMessage", "setWebhook", "deleteWebhook":
		f.countOther()
		tgOK(w, "true")
	case "getWebhookInfo":
		f.countOther()
		tgOK(w, `{"url":"","has_custom_certificate":false,"pending_update_count":0}`)
	case "getMe":
		f.countOther()
		tgOK(w, `{"id":4242,"is_bot":true,"first_name":"Bench","username":"bench_bot"}`)
	default:
		tgError(w, http.StatusNotFound, "Not Found")
	}
}

func (f *Fakes) tgSend(w http.ResponseWriter, r *http.Request) {
	if fw := f.failing("telegram"); fw.status == http.StatusTooManyRequests {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fw.status)
		_, _ = w.Write([]byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after ` +
			strconv.Itoa(fw.retryAfter) + `","parameters":{"retry_after":` + strconv.Itoa(fw.retryAfter) + `}}`))
		return
	} else if fw.status != 0 {
		tgError(w, fw.status, http.StatusText(fw.status))
		return
	}
	chat := r.PostForm.Get("chat_id")
	text := r.PostForm.Get("text")
	if _, err := strconv.ParseInt(chat, 10, 64); err != nil || text == "" {
		tgError(w, http.StatusBadRequest, "Bad Request: chat not found")
		return
	}
	id := f.record("telegram", chat, text, "", 1)
	tgOK(w, `{"message_id":`+strconv.Itoa(id)+`,"date":`+strconv.FormatInt(time.Now().Unix(), 10)+
		`,"chat":{"id":`+chat+`,"type":"private"},"text":"ok"}`)
}

func tgOK(w http.ResponseWriter, result string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true,"result":` + result + `}`))
}

func tgError(w http.ResponseWriter, status int, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"ok":false,"error_code":` + strconv.Itoa(status) + `,"description":` + strconv.Quote(desc) + `}`))
}
