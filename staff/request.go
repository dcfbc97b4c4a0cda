package staff

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/store"
)

// reqCtx is one request as a handler sees it: who asks, from where, when.
type reqCtx struct {
	db      *Dashboard
	w       http.ResponseWriter
	r       *http.Request
	staff   store.Staff
	session *store.Session // nil for API token requests and public pages
	addr    string
	now     time.Time
	api     bool
}

// ctx is the request's context.
func (c *reqCtx) ctx() context.Context { return c.r.Context() }

// isAdmin reports whether the caller is an admin.
func (c *reqCtx) isAdmin() bool { return c.staff.Role == store.RoleAdmin }

// actor is the caller as the store's audit rows name them.
func (c *reqCtx) actor() store.Actor {
	return store.Actor{StaffID: c.staff.ID, Email: c.staff.Email, Addr: c.addr, At: c.now}
}

// record writes one audit row on its own: a view, an export or a refused
// sign-in, none of which changes anything else.
func (c *reqCtx) record(action, objType, objID string, detail map[string]any) error {
	return c.db.store.Audit(c.ctx(), c.actor().Entry(action, objType, objID, detail))
}

// pathID reads a numeric path value.
func (c *reqCtx) pathID(name string) (int64, error) {
	id, err := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, tipline.Errorf(tipline.ENotFound, "not found")
	}
	return id, nil
}

// redirect answers a form post with 303 See Other.
func (c *reqCtx) redirect(to string) error {
	http.Redirect(c.w, c.r, to, http.StatusSeeOther)
	return nil
}

// json writes v as JSON.
func (c *reqCtx) json(status int, v any) error {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	return json.NewEncoder(c.w).Encode(v)
}

// httpStatus maps an error code to its HTTP status: the one place that
// does so for the dashboard and the API.
func httpStatus(code tipline.ErrorCode) int {
	switch code {
	case tipline.ENotFound:
		return http.StatusNotFound
	case tipline.EInvalid:
		return http.StatusBadRequest
	case tipline.EConflict:
		return http.StatusConflict
	case tipline.EUnauthorized:
		return http.StatusUnauthorized
	case tipline.EForbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// fail answers a handler's error: a page or JSON with a safe message.
// Internal errors are logged without request data.
func (c *reqCtx) fail(err error) {
	code := tipline.Code(err)
	status := httpStatus(code)
	if status == http.StatusInternalServerError && !errors.Is(err, context.Canceled) {
		slog.Error("staff: request failed", "route", c.r.Pattern, "err", err)
	}
	msg := tipline.Message(err)
	if c.api {
		_ = c.json(status, map[string]string{"error": string(code), "message": msg})
		return
	}
	c.render(status, "error", "Error", map[string]any{"Status": status, "Message": msg})
}

// cleanInput makes every text field a request carries storable before a
// handler reads it (docs/design.md rule 17, issue 15): the query string,
// a url-encoded form body and the path's wildcards, with NUL removed and
// invalid UTF-8 replaced (tipline.CleanText), so that a NUL in a search
// is a search and not a 500. A form body that cannot be parsed is
// refused here. Multipart bodies (the case photo) carry a file, not text,
// and are left to their handler.
func cleanInput(r *http.Request, pattern string) error {
	if r.URL.RawQuery != "" {
		if q := r.URL.Query(); cleanValues(q) {
			r.URL.RawQuery = q.Encode()
		}
	}
	for _, name := range wildcards(pattern) {
		if v := r.PathValue(name); v != "" {
			r.SetPathValue(name, tipline.CleanText(v))
		}
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" || r.Body == nil {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return tipline.Errorf(tipline.EInvalid, "the form could not be read")
	}
	cleanValues(r.PostForm)
	cleanValues(r.Form)
	return nil
}

// cleanValues cleans v's keys and values in place with tipline.CleanText
// and reports whether anything changed.
func cleanValues(v url.Values) bool {
	changed := false
	for k, vals := range v {
		for i, s := range vals {
			if c := tipline.CleanText(s); c != s {
				vals[i], changed = c, true
			}
		}
		if c := tipline.CleanText(k); c != k {
			delete(v, k)
			v[c], changed = append(v[c], vals...), true
		}
	}
	return changed
}

// wildcards lists the names of a route pattern's wildcards ("{id}",
// "{rest...}"); "{$}" is not one.
func wildcards(pattern string) []string {
	var names []string
	for {
		_, rest, ok := strings.Cut(pattern, "{")
		if !ok {
			return names
		}
		name, after, _ := strings.Cut(rest, "}")
		if name = strings.TrimSuffix(name, "..."); name != "$" && name != "" {
			names = append(names, name)
		}
		pattern = after
	}
}
