package twiliotest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PublicAPIURL is the host Twilio puts in MediaUrl{N}; a twilio.Client
// with APIURL set to the fake rewrites it to the fake.
const PublicAPIURL = "https://api.twilio.com"

// media is one attachment the fake holds.
type media struct {
	sid, messageSid, contentType string
	data                         []byte
	created                      time.Time
	fetches                      int
}

// AddMedia stores an attachment of an inbound message with SID messageSid
// ("" for a new "MM" SID) and returns its URL as Twilio would put it in
// MediaUrl{N}: https://api.twilio.com/2010-04-01/Accounts/{AccountSID}/Messages/{MM…}/Media/{ME…}.
func (s *Server) AddMedia(messageSid, contentType string, data []byte) string {
	if messageSid == "" {
		messageSid = NewSid("MM")
	}
	md := &media{sid: NewSid("ME"), messageSid: messageSid, contentType: contentType, data: data}
	s.mu.Lock()
	defer s.mu.Unlock()
	md.created = s.now()
	s.media[md.sid] = md
	return PublicAPIURL + s.accountPath() + "/Messages/" + messageSid + "/Media/" + md.sid
}

// HasMedia reports whether the attachment at mediaURL still exists.
func (s *Server) HasMedia(mediaURL string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.media[lastSegment(mediaURL)]
	return ok
}

// MediaFetches returns how many times the bytes at mediaURL were served.
func (s *Server) MediaFetches(mediaURL string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if md, ok := s.media[lastSegment(mediaURL)]; ok {
		return md.fetches
	}
	return 0
}

// findMedia returns the media named in the request path, checking that
// it belongs to the message in the path.
func (s *Server) findMedia(r *http.Request) *media {
	md := s.media[strings.TrimSuffix(r.PathValue("media"), ".json")]
	if md == nil || md.messageSid != r.PathValue("sid") {
		return nil
	}
	return md
}

func (s *Server) getMedia(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	md := s.findMedia(r)
	var meta map[string]any
	if md != nil {
		meta = s.mediaJSON(md)
	}
	s.mu.Unlock()
	switch {
	case md == nil:
		writeError(w, 404, 20404, "The requested resource was not found")
	case strings.HasSuffix(r.PathValue("media"), ".json"):
		writeJSON(w, http.StatusOK, meta)
	default:
		http.Redirect(w, r, "/_media/"+md.sid, http.StatusTemporaryRedirect)
	}
}

func (s *Server) deleteMedia(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	md := s.findMedia(r)
	if md != nil {
		delete(s.media, md.sid)
	}
	s.mu.Unlock()
	if md == nil {
		writeError(w, 404, 20404, "The requested resource was not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// mediaContent serves the bytes, as Twilio's media store does after the
// redirect: no credentials needed.
func (s *Server) mediaContent(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	md := s.media[r.PathValue("media")]
	var data []byte
	var ct string
	if md != nil {
		md.fetches++
		data, ct = md.data, md.contentType
	}
	s.mu.Unlock()
	if md == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

func lastSegment(u string) string {
	u = strings.TrimSuffix(u, ".json")
	return u[strings.LastIndexByte(u, '/')+1:]
}
