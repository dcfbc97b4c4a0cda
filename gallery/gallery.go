// Package gallery serves the public gallery of missing children at /cases
// (issue 17, docs/design.md section 9): the cases two staff members
// approved for it, each with the three ways to report a sighting (web
// chat, the SMS keyword, the Telegram deep link). It shows nothing else
// of a case or its tips. A case that is unknown, closed, private,
// withdrawn or past its review date answers the same 404. Pages work
// without JavaScript (there is none), can be framed only by the sites of
// GALLERY_ORIGINS, are cached a minute at most and are never indexed.
package gallery

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"tipline"
	"tipline/store"
)

// MaxCases is the most cases one gallery page lists.
const MaxCases = 500

// Config is what the gallery needs.
type Config struct {
	DB       store.DBTX
	Location *time.Location // the line's time zone: dates shown and review dates
	// SMSNumber is the number people text (SMS_PUBLIC_NUMBER or TWILIO_FROM);
	// "" shows no SMS way.
	SMSNumber string
	// BotUsername returns the Telegram bot's username (from getMe); nil or
	// "" shows no Telegram way.
	BotUsername func(context.Context) string
	// Origins may frame the pages (GALLERY_ORIGINS), besides this site.
	Origins []string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Handler serves /cases.
type Handler struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the gallery's handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /cases", h.list)
	h.mux.HandleFunc("GET /cases/{$}", h.list)
	h.mux.HandleFunc("GET /cases/gallery.css", h.style)
	h.mux.HandleFunc("GET /cases/{id}", h.one)
	h.mux.HandleFunc("GET /cases/{id}/photo", h.photo)
	h.mux.HandleFunc("/cases/", notFound)
	return h
}

// Patterns are the server routes the gallery is mounted on.
var Patterns = []string{"GET /cases", "/cases/"}

// ServeHTTP sets the headers every gallery answer carries, then routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", h.csp())
	hd.Del("X-Frame-Options") // frame-ancestors says who may frame it
	hd.Set("X-Robots-Tag", "noindex, nofollow, noarchive")
	hd.Set("Cache-Control", "public, max-age=60")
	hd.Set("Vary", "Accept-Language")
	h.mux.ServeHTTP(w, r)
}

// csp allows no script at all, our own style sheet and images, and
// framing by this site and GALLERY_ORIGINS.
func (h *Handler) csp() string {
	ancestors := "'self'"
	for _, o := range h.cfg.Origins {
		ancestors += " " + o
	}
	return "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; " +
		"frame-ancestors " + ancestors
}

// today is the date in the line's time zone.
func (h *Handler) today() time.Time {
	return h.cfg.Now().In(h.cfg.Location)
}

// list serves /cases: every case shown today.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	cases, err := store.GalleryCases(r.Context(), h.cfg.DB, h.today(), MaxCases)
	if err != nil {
		serverError(w, err)
		return
	}
	h.render(w, r, cases, false)
}

// one serves /cases/{id}: one case shown today, else the 404.
func (h *Handler) one(w http.ResponseWriter, r *http.Request) {
	c, err := store.GalleryCaseByPublicID(r.Context(), h.cfg.DB, r.PathValue("id"), h.today())
	if tipline.Code(err) == tipline.ENotFound {
		notFound(w, r)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}
	h.render(w, r, []store.GalleryCase{c}, true)
}

// photo serves the approved photo copy (re-encoded without metadata when
// it was approved) of a case shown today, else the 404.
func (h *Handler) photo(w http.ResponseWriter, r *http.Request) {
	data, ct, err := store.GalleryPhoto(r.Context(), h.cfg.DB, r.PathValue("id"), h.today())
	if tipline.Code(err) == tipline.ENotFound {
		notFound(w, r)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}
	if ct != "image/png" {
		ct = "image/jpeg"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "inline")
	_, _ = w.Write(data)
}

// notFound is the one answer for anything the gallery does not show: the
// same status, headers and body whether the case never existed, closed,
// was withdrawn or expired.
func notFound(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(notFoundPage))
}

// serverError answers a database failure without detail.
func serverError(w http.ResponseWriter, err error) {
	if !errors.Is(err, context.Canceled) {
		slog.Warn("gallery", "err", err)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "The page is not available right now. Please try again.", http.StatusServiceUnavailable)
}
