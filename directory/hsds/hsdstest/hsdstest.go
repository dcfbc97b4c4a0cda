// Package hsdstest is a local fake of an Open Referral HSDS 3.0 API for
// tests: GET /services (paginated, the Page object of the HSDS API
// specification; a service listed without its related objects is served
// whole by GET /services/{id}), GET /organizations/{id}. It serves the
// fixtures in testdata (validated against the HSDS 3.0 schema by this
// package's test) and lets a test change them between pulls.
package hsdstest

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
)

//go:embed testdata/services.json
var servicesJSON []byte

//go:embed testdata/details.json
var detailsJSON []byte

// Fixture ids.
const (
	ShelterID = "7a1f3c52-4b8e-4d2a-9c61-2f0e5b9d8a01" // Harbor Youth Shelter, 77002, ages 12-17
	DropInID  = "2e9b5d6f-0a1c-4b3d-9e8f-9a0b1c2d3e45" // listed without related objects
	PantryID  = "4a1d7f8b-2c3e-4d5f-8a0b-1c2d3e4f5a67" // temporarily closed
)

// Server is the fake API.
type Server struct {
	*httptest.Server
	Token string // when set, requests must carry "Authorization: Bearer " + Token

	mu       sync.Mutex
	services []map[string]any
	details  map[string]map[string]any
	orgs     map[string]map[string]any
	requests int
}

// New starts the fake with the fixtures; it stops when the test ends.
func New(t testing.TB) *Server {
	s := &Server{}
	var d struct {
		Services      map[string]map[string]any `json:"services"`
		Organizations map[string]map[string]any `json:"organizations"`
	}
	if err := json.Unmarshal(servicesJSON, &s.services); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(detailsJSON, &d); err != nil {
		t.Fatal(err)
	}
	s.details, s.orgs = d.Services, d.Organizations
	mux := http.NewServeMux()
	mux.HandleFunc("GET /services", s.list)
	mux.HandleFunc("GET /services/{id}", s.one(func() map[string]map[string]any { return s.details }))
	mux.HandleFunc("GET /organizations/{id}", s.one(func() map[string]map[string]any { return s.orgs }))
	s.Server = httptest.NewServer(s.auth(mux))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		tok := s.Token
		s.mu.Unlock()
		if tok != "" && r.Header.Get("Authorization") != "Bearer "+tok {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if n < 1 {
		n = 1
	}
	if per < 1 {
		per = 25
	}
	total := len(s.services)
	pages := max(1, (total+per-1)/per)
	from, to := min((n-1)*per, total), min(n*per, total)
	page := map[string]any{"total_items": total, "total_pages": pages, "page_number": n, "size": to - from,
		"first_page": n == 1, "last_page": n >= pages, "empty": to == from, "contents": s.services[from:to]}
	writeJSON(w, page)
}

func (s *Server) one(set func() map[string]map[string]any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		v, ok := set()[r.PathValue("id")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, v)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Update changes field of the listed service id (and of its full form).
func (s *Server) Update(id, field string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, svc := range s.services {
		if svc["id"] == id {
			svc[field] = value
		}
	}
	if d, ok := s.details[id]; ok {
		d[field] = value
	}
}

// Remove takes service id off the API.
func (s *Server) Remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.services[:0]
	for _, svc := range s.services {
		if svc["id"] != id {
			kept = append(kept, svc)
		}
	}
	s.services = kept
	delete(s.details, id)
}

// Requests counts the requests served so far.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}
