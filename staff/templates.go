package staff

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"tipline/store"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates holds one parsed set per page: the layout plus that page.
type templates struct {
	byName map[string]*template.Template
}

// parseTemplates parses every page with the layout.
func parseTemplates(loc *time.Location) (*templates, error) {
	base, err := template.New("layout.html").Funcs(funcMap(loc)).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("staff: templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := clone.ParseFS(templateFS, n); err != nil {
			return nil, fmt.Errorf("staff: template %s: %w", name, err)
		}
		t.byName[name] = clone
	}
	return t, nil
}

// view is what every page template gets.
type view struct {
	Title   string
	Me      store.Staff
	IsAdmin bool
	Signed  bool // a full session (navigation shown)
	Path    string
	Flash   string
	Data    any
}

// flashes are the messages a redirect may name with ?done=key; only these
// texts can appear, so nothing from the URL is reflected.
var flashes = map[string]string{
	"status": "Status changed.", "assign": "Assignment saved.", "note": "Note added.", "case": "Case link saved.",
	"duplicate": "Marked as duplicate.", "reply": "Reply queued for delivery.", "hold": "Legal hold changed.",
	"csam": "Photo hidden and preserved. Report it to NCMEC's CyberTipline now.", "bulk": "Tips updated.",
	"claim": "Chat claimed: the bot is silent here until you release it.", "release": "Chat released to the bot.",
	"message": "Message queued for delivery.", "ack": "Page acknowledged.", "saved": "Saved.",
	"published": "Publication changed.", "closed": "Case closed.", "photo": "Photo saved.", "proposed": "Change proposed: a second staff member must verify it.",
	"verified": "Verified.", "hidden": "Visibility changed.", "password": "Password changed.", "revoked": "Token revoked.",
	"role": "Role changed.", "disabled": "Login changed.", "totp": "Second factor removed.",
}

// render writes a page with the layout.
func (c *reqCtx) render(status int, name, title string, data any) {
	t, ok := c.db.pages.byName[name]
	if !ok {
		http.Error(c.w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{Title: title, Me: c.staff, IsAdmin: c.isAdmin(), Path: c.r.URL.Path,
		Signed: c.session != nil && (c.session.MFAOK || !c.session.HasTOTP), Flash: flashes[c.r.URL.Query().Get("done")], Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		slog.Error("staff: render failed", "page", name, "err", err)
		http.Error(c.w, "internal error", http.StatusInternalServerError)
		return
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(status)
	_, _ = c.w.Write(buf.Bytes())
}

// renderBare writes a page without the dashboard chrome (printables).
func (c *reqCtx) renderBare(name string, data any) error {
	t, ok := c.db.pages.byName[name]
	if !ok {
		return fmt.Errorf("no template %s", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "page", data); err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := c.w.Write(buf.Bytes())
	return err
}

// funcMap returns the template functions; times show in loc.
func funcMap(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"when": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return fmtTime(v, loc)
			case *time.Time:
				if v == nil {
					return ""
				}
				return fmtTime(*v, loc)
			}
			return ""
		},
		"deref": func(p any) any {
			switch v := p.(type) {
			case *int64:
				if v != nil {
					return *v
				}
			case *int:
				if v != nil {
					return *v
				}
			case *float64:
				if v != nil {
					return *v
				}
			}
			return ""
		},
		"short": func(s string, n int) string {
			r := []rune(s)
			if len(r) <= n {
				return s
			}
			return string(r[:n]) + "…"
		},
		"query":     func(v url.Values, kv ...string) string { return withQuery(v, kv...) },
		"eq64":      func(a *int64, b int64) bool { return a != nil && *a == b },
		"add":       func(a, b int) int { return a + b },
		"auditLink": auditLink,
		"auditName": auditName,
	}
}

func fmtTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// withQuery returns "?"+v with the given keys replaced.
func withQuery(v url.Values, kv ...string) string {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	return "?" + out.Encode()
}
