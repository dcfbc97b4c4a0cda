package webchat

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	texttemplate "text/template"
)

//go:embed assets
var assets embed.FS

var (
	pageTmpl   = template.Must(template.ParseFS(assets, "assets/chat.html"))
	widgetTmpl = texttemplate.Must(texttemplate.ParseFS(assets, "assets/widget.js"))
)

// pageCSP is the page's Content-Security-Policy: nothing inline, nothing
// from elsewhere; only the embedding sites may frame it.
func (s *Handler) pageCSP() string {
	ancestors := "'self'"
	for _, o := range s.cfg.Origins {
		ancestors += " " + o
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors " + ancestors
}

// page serves /chat: a neutral title, nothing cached, framed only by the
// sites of WEBCHAT_ORIGINS.
func (s *Handler) page(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", s.pageCSP())
	h.Del("X-Frame-Options") // frame-ancestors says who may frame it
	if err := pageTmpl.Execute(w, struct{ ExitURL string }{s.cfg.ExitURL}); err != nil {
		slog.Warn("webchat page", "err", err)
	}
}

// widget serves /chat/widget.js: the script an organisation's site loads
// with one tag. It injects an iframe of /chat and carries out quick exit
// for the whole tab (the frame asks it to).
func (s *Handler) widget(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	exit, _ := json.Marshal(s.cfg.ExitURL)
	if err := widgetTmpl.Execute(w, struct{ ExitURL string }{string(exit)}); err != nil {
		slog.Warn("webchat widget", "err", err)
	}
}

// staticHandler serves the page's script and style sheet from
// /chat/static/ (the CSP allows no inline script or style).
func staticHandler() http.Handler {
	sub, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err)
	}
	fsrv := http.StripPrefix("/chat/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		fsrv.ServeHTTP(w, r)
	})
}
