package bench

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tipline/sms"
)

// twilioDate is the RFC 2822 form Twilio writes dates in.
const twilioDate = "Mon, 02 Jan 2006 15:04:05 -0700"

// twilio serves POST and GET /2010-04-01/Accounts/{sid}/Messages.json: a
// send, and the list a service reads to reconcile a send whose outcome a
// crash left unknown. A To of "whatsapp:+…" is a WhatsApp send, recorded
// on channel "whatsapp".
func (f *Fakes) twilio(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.TwilioSID || pass != f.TwilioToken {
		twError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if r.URL.Path != "/2010-04-01/Accounts/"+f.TwilioSID+"/Messages.json" {
		twError(w, http.StatusNotFound, 20404, "The requested resource was not found")
		return
	}
	switch r.Method {
	case http.MethodPost:
		f.twSend(w, r)
	case http.MethodGet:
		f.countOther()
		f.twList(w, r)
	default:
		twError(w, http.StatusMethodNotAllowed, 20004, "Method not allowed")
	}
}

func (f *Fakes) twSend(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	ch := chSMS
	if strings.HasPrefix(r.PostForm.Get("To"), "whatsapp:") {
		ch = chWhatsApp
	}
	if fw := f.failing(ch); fw.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(fw.retryAfter))
		twError(w, fw.status, 20429, "Too Many Requests")
		return
	} else if fw.status != 0 {
		twError(w, fw.status, 20500, http.StatusText(fw.status))
		return
	}
	if err := r.ParseForm(); err != nil {
		twError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	to, body := r.PostForm.Get("To"), r.PostForm.Get("Body")
	if !strings.HasPrefix(strings.TrimPrefix(to, "whatsapp:"), "+") || body == "" {
		twError(w, http.StatusBadRequest, 21211, "Invalid 'To' Phone Number")
		return
	}
	sid := "SM" + randomHex(16)
	_, segments := sms.Segments(body)
	if ch == chWhatsApp {
		segments = 1 // a WhatsApp message is one message, whatever its length
	}
	f.record(ch, strings.TrimPrefix(to, "whatsapp:"), body, sid, max(segments, 1))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(f.twMessage(to, send{id: sid, body: body, at: time.Now()}))
}

// twList answers a list by To and DateSent> (newest first, one page).
func (f *Fakes) twList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	to := q.Get("To")
	since, _ := time.Parse(time.RFC3339, q.Get("DateSent>"))
	f.mu.Lock()
	key := "sms:" + to
	if strings.HasPrefix(to, "whatsapp:") {
		key = to // "whatsapp:+…" is already the recipient's key
	}
	ss := append([]send(nil), f.sends[key]...)
	f.mu.Unlock()
	items := []map[string]any{}
	for i := len(ss) - 1; i >= 0; i-- {
		if !ss[i].at.Truncate(time.Second).Before(since) {
			items = append(items, f.twMessage(to, ss[i]))
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"messages": items, "page": 0, "page_size": len(items), "start": 0, "end": len(items) - 1,
		"uri": r.URL.RequestURI(), "first_page_uri": r.URL.RequestURI(), "next_page_uri": nil,
		"previous_page_uri": nil,
	})
}

func (f *Fakes) twMessage(to string, s send) map[string]any {
	d := s.at.UTC().Format(twilioDate)
	return map[string]any{
		"account_sid": f.TwilioSID, "api_version": "2010-04-01", "body": s.body, "date_created": d,
		"date_sent": d, "date_updated": d, "direction": "outbound-api", "from": "+15005550006",
		"num_media": "0", "num_segments": "1", "sid": s.id, "status": "queued", "to": to,
		"uri": "/2010-04-01/Accounts/" + f.TwilioSID + "/Messages/" + s.id + ".json",
	}
}

func twError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"code":` + strconv.Itoa(code) + `,"message":` + strconv.Quote(message) +
		`,"status":` + strconv.Itoa(status) + `}`))
}
