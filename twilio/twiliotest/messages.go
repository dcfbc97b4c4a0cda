package twiliotest

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// e164 is the shape Twilio accepts for a To number.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	switch {
	case f.Get("To") == "":
		writeError(w, 400, 21604, "A 'To' phone number is required.")
		return
	case !e164.MatchString(strings.TrimPrefix(f.Get("To"), whatsappPrefix)):
		writeError(w, 400, 21211, "The 'To' number "+f.Get("To")+" is not a valid phone number.")
		return
	case strings.HasPrefix(f.Get("To"), whatsappPrefix) != strings.HasPrefix(f.Get("From"), whatsappPrefix) &&
		f.Get("MessagingServiceSid") == "":
		writeError(w, 400, 63007, "Twilio could not find a Channel with the specified From address")
		return
	case f.Get("Body") == "" && f.Get("MediaUrl") == "" && f.Get("ContentSid") == "":
		writeError(w, 400, 21602, "Message body is required.")
		return
	case f.Get("From") == "" && f.Get("MessagingServiceSid") == "":
		writeError(w, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message")
		return
	}
	validity, _ := strconv.Atoi(f.Get("ValidityPeriod"))
	s.mu.Lock()
	now := s.now().UTC().Truncate(time.Second)
	s.mu.Unlock()
	m := s.AddMessage(Message{
		To: f.Get("To"), From: f.Get("From"), MessagingServiceSid: f.Get("MessagingServiceSid"),
		Body: f.Get("Body"), StatusCallback: f.Get("StatusCallback"), ValidityPeriod: validity,
		DateCreated: now, DateSent: now,
	})
	if s.outsideSession(f, now) { // as Twilio reports it later: failed, 63016
		s.SetMessageStatus(m.Sid, "failed", ErrOutsideSession)
		m.Status, m.ErrorCode = "failed", ErrOutsideSession
	}
	writeJSON(w, http.StatusCreated, s.messageJSON(m))
}

func (s *Server) fetchMessage(w http.ResponseWriter, r *http.Request) {
	m, ok := s.Message(strings.TrimSuffix(r.PathValue("sid"), ".json"))
	if !ok {
		writeError(w, 404, 20404, "The requested resource was not found")
		return
	}
	writeJSON(w, http.StatusOK, s.messageJSON(m))
}

func (s *Server) updateMessage(w http.ResponseWriter, r *http.Request) {
	sid := strings.TrimSuffix(r.PathValue("sid"), ".json")
	s.mu.Lock()
	m := s.findMessage(sid)
	if m != nil {
		if _, ok := r.PostForm["Body"]; ok {
			m.Body = r.PostForm.Get("Body")
		}
		if r.PostForm.Get("Status") == "canceled" {
			m.Status = "canceled"
		}
	}
	var out Message
	if m != nil {
		out = *m
	}
	s.mu.Unlock()
	if m == nil {
		writeError(w, 404, 20404, "The requested resource was not found")
		return
	}
	writeJSON(w, http.StatusOK, s.messageJSON(out))
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var hits []Message
	for _, m := range s.Messages() {
		if matches(m, q) {
			hits = append(hits, m)
		}
	}
	slices.Reverse(hits) // newest first, as Twilio lists
	size, _ := strconv.Atoi(q.Get("PageSize"))
	if size <= 0 || size > 1000 {
		size = 50
	}
	page, _ := strconv.Atoi(q.Get("Page"))
	start := min(max(page, 0)*size, len(hits))
	end := min(start+size, len(hits))
	items := make([]map[string]any, 0, end-start)
	for _, m := range hits[start:end] {
		items = append(items, s.messageJSON(m))
	}
	writeJSON(w, http.StatusOK, s.listJSON(r, q, items, page, size, end < len(hits)))
}

// listJSON wraps a page of messages the way Twilio does.
func (s *Server) listJSON(r *http.Request, q url.Values, items []map[string]any, page, size int, more bool) map[string]any {
	pageURI := func(p int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = slices.Clone(vs)
		}
		v.Set("Page", strconv.Itoa(p))
		v.Set("PageSize", strconv.Itoa(size))
		return r.URL.Path + "?" + v.Encode()
	}
	var next any
	if more {
		next = pageURI(page + 1)
	}
	return map[string]any{
		"messages": items, "page": page, "page_size": size, "start": page * size,
		"end": page*size + len(items) - 1, "uri": pageURI(page), "first_page_uri": pageURI(0),
		"next_page_uri": next, "previous_page_uri": nil,
	}
}

// matches applies Twilio's list filters to m.
func matches(m Message, q url.Values) bool {
	get := q.Get
	if to := get("To"); to != "" && m.To != to {
		return false
	}
	if from := get("From"); from != "" && m.From != from {
		return false
	}
	return dateFilter(m.DateSent, get("DateSent"), get("DateSent>"), get("DateSent<"))
}

// dateFilter applies DateSent (same day), DateSent> (on or after) and
// DateSent< (on or before). A date-only value compares by UTC day.
func dateFilter(sent time.Time, on, after, before string) bool {
	for _, f := range []struct {
		v  string
		ok func(t time.Time, dayOnly bool) bool
	}{
		{on, func(t time.Time, d bool) bool { return sameDay(sent, t) || !d && sent.Equal(t) }},
		{after, func(t time.Time, d bool) bool { return !sent.Before(t) || d && sameDay(sent, t) }},
		{before, func(t time.Time, d bool) bool { return !sent.After(t) || d && sameDay(sent, t) }},
	} {
		if f.v == "" {
			continue
		}
		t, dayOnly, ok := parseFilterDate(f.v)
		if !ok || sent.IsZero() || !f.ok(t, dayOnly) {
			return false
		}
	}
	return true
}

func parseFilterDate(v string) (t time.Time, dayOnly, ok bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, false, true
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true, true
	}
	return time.Time{}, false, false
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}
