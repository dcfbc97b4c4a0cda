// Package staff is the dashboard staff work in (/staff/) and the JSON API
// for the same data (/api/v1/): server-rendered pages from embedded
// templates, one handler per file, sessions and API tokens, roles, and an
// audit row written in the same transaction as every view, change, export
// and login.
package staff

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"time"

	"tipline/schedule"
	"tipline/seal"
	"tipline/server"
	"tipline/store"
)

// Deps is what the dashboard needs from the rest of Tipline.
type Deps struct {
	// Pool is the database; the dashboard hands it only to the store.
	Pool *store.Pool
	Keys *seal.Keys
	// Dev drops the Secure flag from cookies (plain http on loopback).
	Dev bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Location is the organisation's time zone for showing times.
	Location *time.Location
	// PublicURL is the service's base URL (trusted origin; links in pages).
	PublicURL string
	// BotUsername returns the Telegram bot's username for case posters
	// ("" when Telegram is not configured).
	BotUsername func(ctx context.Context) string
	// SMSNumber is the number tipsters text (shown on posters).
	SMSNumber string
	// PageTargets are the staff alert destinations ("telegram", "sms:0"…)
	// that unacknowledged pages are sent to again.
	PageTargets []string
	// Takeover holds the staffing hours and the claim and re-page timeouts
	// (staffing.go).
	Takeover Takeover
	// RequireTOTP (STAFF_REQUIRE_2FA) holds every login without a second
	// factor to enrolling one (require_totp.go).
	RequireTOTP bool
	// WhatsAppTemplate says an approved WhatsApp template carries staff
	// messages sent more than 24 hours after the person last wrote
	// (WHATSAPP_TEMPLATE_SID); without one they are refused
	// (whatsapp_window.go).
	WhatsAppTemplate bool
	// MapTileURL (MAP_TILE_URL) is the tile server case maps draw on, as
	// https://host/{z}/{x}/{y}.png; "" draws them on a grid alone.
	MapTileURL string
	// Wake nudges the delivery workers after a message was queued.
	Wake func()
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits; nil means a timer that ends early when ctx does. Sign-in
	// no longer sleeps out its delays (it refuses inside them, throttle.go).
	Sleep func(ctx context.Context, d time.Duration)
}

// Timing of sessions and pages.
const (
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout = 30 * time.Minute
	// SessionLifetime ends every session this long after login.
	SessionLifetime = 12 * time.Hour
	// PageResendAfter is how long a page may stay unacknowledged before it
	// is sent again.
	PageResendAfter = 5 * time.Minute
)

// Dashboard serves the staff pages and the API.
type Dashboard struct {
	d       Deps
	store   *store.Dashboard
	pages   *templates
	routes  []route
	csrf    *http.CrossOriginProtection
	cookies cookieConfig
	counts  countsCache
}

// New builds the dashboard.
func New(d Deps) (*Dashboard, error) {
	if d.Pool == nil || d.Keys == nil {
		return nil, errors.New("staff: Pool and Keys are required")
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Sleep == nil {
		d.Sleep = sleepCtx
	}
	if d.BotUsername == nil {
		d.BotUsername = func(context.Context) string { return "" }
	}
	pages, err := parseTemplates(d.Location)
	if err != nil {
		return nil, err
	}
	db := &Dashboard{d: d, store: store.NewDashboard(d.Pool), pages: pages, cookies: newCookieConfig(d.Dev)}
	db.csrf = http.NewCrossOriginProtection()
	if origin := originOf(d.PublicURL); origin != "" {
		if err := db.csrf.AddTrustedOrigin(origin); err != nil {
			return nil, err
		}
	}
	db.csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	db.routes = db.routeTable()
	return db, nil
}

// casePhotoMaxBody is the body limit of a case photo upload (a phone
// photo is often over the 1 MiB every other route allows).
const casePhotoMaxBody = 12 << 20

// Routes returns every dashboard and API route, each behind its checks.
func (db *Dashboard) Routes() []server.Route {
	out := make([]server.Route, 0, len(db.routes))
	for _, rt := range db.routes {
		r := server.Route{Pattern: rt.pattern, Handler: db.wrap(rt)}
		if rt.pattern == "POST /staff/cases/{id}/photo" {
			r.MaxBody = casePhotoMaxBody
		} else if rt.pattern == "POST /staff/resources/import" {
			r.MaxBody = importMaxBody
		}
		out = append(out, r)
	}
	return out
}

// RequireStaff lets only signed-in staff through to next (any role);
// others are sent to the login page. Cross-origin state changes are
// refused. The simulator uses it outside dev.
func (db *Dashboard) RequireStaff(next http.Handler) http.Handler {
	return db.csrf.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := db.session(r, false)
		if !ok {
			redirectToLogin(w, r)
			return
		}
		if db.mustEnrol(s.HasTOTP) {
			http.Redirect(w, r, enrolPath, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// Jobs returns the dashboard's periodic jobs, for the one scheduler
// (package schedule): re-sending unacknowledged pages, purging dead
// sessions, and the takeover timeouts (takeover_jobs.go).
func (db *Dashboard) Jobs() []schedule.Job {
	return append(db.takeoverJobs(), []schedule.Job{
		{Name: "page-resend", Every: pageResendCheck, Run: db.resendJob},
		{Name: "session-purge", Every: pageResendCheck, Run: func(ctx context.Context, _ time.Time) error {
			db.purgeSessions(ctx)
			return nil
		}},
	}...)
}

func (db *Dashboard) now() time.Time { return db.d.Now() }

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
