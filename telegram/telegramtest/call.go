package telegramtest

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// Call is one recorded request.
type Call struct {
	// Method is the Bot API method ("sendMessage"), or MethodFile for a
	// file download.
	Method string
	// Params are the request's parameters, as the API would read them:
	// form fields, or the top-level keys of a JSON body (strings as they
	// are, other values as JSON text). JSON-valued parameters such as
	// reply_markup and allowed_updates are JSON text.
	Params url.Values
}

// Get returns one parameter ("" when absent).
func (c Call) Get(key string) string { return c.Params.Get(key) }

// ChatID returns chat_id as a number (0 when absent or not a number).
func (c Call) ChatID() int64 {
	n, _ := strconv.ParseInt(c.Params.Get("chat_id"), 10, 64)
	return n
}

// Text returns the text parameter.
func (c Call) Text() string { return c.Params.Get("text") }

// ReplyMarkup returns reply_markup as sent: JSON text, "" when absent.
func (c Call) ReplyMarkup() string { return c.Params.Get("reply_markup") }

// Button is one keyboard button, inline or reply.
type Button struct {
	Text            string `json:"text"`
	CallbackData    string `json:"callback_data,omitempty"`
	RequestLocation bool   `json:"request_location,omitempty"`
}

// Markup is a decoded reply_markup: whichever of the three kinds was sent.
type Markup struct {
	InlineKeyboard  [][]Button `json:"inline_keyboard,omitempty"`
	Keyboard        [][]Button `json:"keyboard,omitempty"`
	OneTimeKeyboard bool       `json:"one_time_keyboard,omitempty"`
	ResizeKeyboard  bool       `json:"resize_keyboard,omitempty"`
	RemoveKeyboard  bool       `json:"remove_keyboard,omitempty"`
}

// Markup decodes reply_markup; the zero Markup when there is none.
func (c Call) Markup() (Markup, error) {
	var m Markup
	raw := c.ReplyMarkup()
	if raw == "" {
		return m, nil
	}
	err := json.Unmarshal([]byte(raw), &m)
	return m, err
}

// decodeParams reads a request's parameters the way the Bot API accepts
// them: query string, urlencoded or multipart form, or a JSON object.
func decodeParams(r *http.Request) url.Values {
	out := url.Values{}
	for k, v := range r.URL.Query() {
		out[k] = v
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if json.NewDecoder(r.Body).Decode(&m) == nil {
			for k, v := range m {
				var s string
				if json.Unmarshal(v, &s) == nil {
					out.Set(k, s)
				} else {
					out.Set(k, string(v))
				}
			}
		}
	case "multipart/form-data":
		if r.ParseMultipartForm(32<<20) == nil {
			for k, v := range r.MultipartForm.Value {
				out[k] = v
			}
		}
	default:
		if r.ParseForm() == nil {
			for k, v := range r.PostForm {
				out[k] = v
			}
		}
	}
	return out
}
