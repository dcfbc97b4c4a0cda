package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"tipline"
)

// Message is one message as the page shows it.
type Message struct {
	ID      int64            `json:"id"`
	Dir     string           `json:"dir"`  // in, out
	Kind    string           `json:"kind"` // user, bot, staff
	Text    string           `json:"text"`
	Options []tipline.Option `json:"options,omitempty"`
}

// Render is a reply as the web chat shows it: its text, and its options
// as buttons under it (a pressed one sends its value). A request for a
// location is not offered: the page never asks the browser where it is.
func Render(r tipline.Reply) Message {
	return Message{Dir: "out", Text: r.Text, Options: r.Options}
}

// event is one server-sent event's data: the messages not yet sent on
// this stream, and the cursor to reconnect with (every message at or
// below it is final).
type event struct {
	Cursor   int64     `json:"cursor"`
	Messages []Message `json:"messages"`
	// Gone: the conversation was erased (DELETE); the page forgets it
	// and its session.
	Gone bool `json:"gone,omitempty"`
}

// errGone ends a stream whose conversation was erased.
var errGone = errors.New("webchat: the conversation was erased")

// maxRows is how many messages one read returns.
const maxRows = 200

// stream sends the session's messages as server-sent events: those above
// the cursor the page gives (after), then each new one as the outbox
// delivers it, until StreamFor has passed; the page then reconnects.
func (s *Handler) stream(w http.ResponseWriter, r *http.Request) {
	token, ok := s.token(w, r)
	if !ok {
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	ok, done := s.lim.openStream(sessionKey(token))
	if !ok {
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "slow"})
		return
	}
	defer done()
	wake, cancel := s.cfg.Hub.listen(token)
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	st := &streamState{w: w, rc: http.NewResponseController(w), after: max(after, 0), seen: map[int64]bool{},
		hashes: s.cfg.Keys.HashAll(string(tipline.ChannelWebChat), token)}
	if _, err := io.WriteString(w, "retry: 1000\n\n"); err != nil {
		return
	}
	s.run(r.Context(), st, wake)
}

// run pushes until the stream's time is up, the client leaves or a write
// fails. A wake is followed by reads a little later too, since the outbox
// marks the row sent just after the provider's Send returns.
func (s *Handler) run(ctx context.Context, st *streamState, wake <-chan struct{}) {
	end := time.NewTimer(s.cfg.StreamFor)
	defer end.Stop()
	poll := time.NewTicker(s.cfg.Poll)
	defer poll.Stop()
	var soon []time.Duration
	for {
		if err := s.push(ctx, st); err != nil {
			return
		}
		var next <-chan time.Time
		if len(soon) > 0 {
			next, soon = time.After(soon[0]), soon[1:]
		}
		select {
		case <-ctx.Done():
			return
		case <-end.C:
			return
		case <-poll.C:
		case <-next:
		case <-wake:
			soon = []time.Duration{20 * time.Millisecond, 100 * time.Millisecond, 400 * time.Millisecond}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// streamState is one stream's progress.
type streamState struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	hashes [][]byte
	after  int64          // every message at or below is final and sent
	seen   map[int64]bool // sent above after
}

// push reads the messages above the cursor and sends those not sent yet;
// with nothing new it sends a comment, which finds a closed connection.
func (s *Handler) push(ctx context.Context, st *streamState) error {
	rows, found, err := readMessages(ctx, s.cfg.DB, st.hashes, st.after, maxRows)
	if err != nil {
		if ctx.Err() == nil {
			slog.Warn("webchat stream", "err", err)
		}
		return err
	}
	if !found && st.after > 0 {
		// Erased (DELETE): the page forgets it too.
		b, _ := json.Marshal(event{Cursor: st.after, Gone: true})
		if _, err = fmt.Fprintf(st.w, "data: %s\n\n", b); err == nil {
			err = st.rc.Flush()
		}
		return errors.Join(err, errGone)
	}
	ev := event{Cursor: st.after}
	blocked := false
	for _, r := range rows {
		if r.visible() && !st.seen[r.ID] {
			ev.Messages = append(ev.Messages, message(r))
			st.seen[r.ID] = true
		}
		if blocked = blocked || !r.settled(); !blocked {
			ev.Cursor = r.ID
			delete(st.seen, r.ID)
		}
	}
	if len(ev.Messages) == 0 && ev.Cursor == st.after {
		_, err = io.WriteString(st.w, ":\n\n")
	} else {
		st.after = ev.Cursor
		b, _ := json.Marshal(ev)
		_, err = fmt.Fprintf(st.w, "data: %s\n\n", b)
	}
	if err == nil {
		err = st.rc.Flush()
	}
	return err
}

// message turns a stored row into what the page shows.
func message(r row) Message {
	if r.Direction == "in" {
		return Message{ID: r.ID, Dir: "in", Kind: r.Kind, Text: r.Body}
	}
	reply := tipline.Reply{Text: r.Body}
	if len(r.Reply) > 0 {
		if err := json.Unmarshal(r.Reply, &reply); err != nil {
			reply = tipline.Reply{Text: r.Body}
		}
	}
	m := Render(reply)
	m.ID, m.Kind = r.ID, r.Kind
	return m
}
