package staff

import (
	"net/http"
	"strings"

	"tipline/store"
)

// access is who may use a route.
type access int

// The access levels. Every route in the table names one; the security
// tests walk the table and check each against every kind of caller.
const (
	public  access = iota // anyone (login form, assets)
	pending               // a session still owing its second factor
	anyRole               // signed-in staff, admin or reviewer
	admin                 // admins only
)

// route is one entry of the route table.
type route struct {
	pattern string
	access  access
	api     bool   // JSON API: bearer token or session; errors as JSON
	audit   string // the audit action a successful request writes ("" none)
	// read, on a read whose handler records nothing itself, is the object
	// type wrap records the audit action for before the handler runs, with
	// the {id} or {pid} path value as object id: no page shown unaudited.
	read string
	h    func(*reqCtx) error
}

// wrap puts a route behind cross-origin protection and its access check,
// then runs its handler with a request context.
func (db *Dashboard) wrap(rt route) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		c := &reqCtx{db: db, w: w, r: r, addr: db.clientAddr(r), now: db.now(), api: rt.api}
		if !db.authorize(c, rt) {
			return
		}
		if err := cleanInput(r, rt.pattern); err != nil {
			c.fail(err)
			return
		}
		if rt.read != "" {
			if err := c.record(rt.audit, rt.read, r.PathValue("id")+r.PathValue("pid"), nil); err != nil {
				c.fail(err)
				return
			}
		}
		if err := rt.h(c); err != nil {
			c.fail(err)
		}
	})
	return db.csrf.Handler(h)
}

// authorize fills in the caller and checks rt's access; when it fails it
// has answered already (login redirect, 401 or 403).
func (db *Dashboard) authorize(c *reqCtx, rt route) bool {
	if rt.access == public {
		if s, ok := db.session(c.r, false); ok {
			c.session, c.staff = &s, s.Staff
		}
		return true
	}
	if rt.api {
		if st, ok := db.apiCaller(c.r, c.now); ok {
			c.staff = st
		} else if s, ok := db.session(c.r, false); ok {
			c.session, c.staff = &s, s.Staff
		} else {
			_ = c.json(http.StatusUnauthorized, map[string]string{"error": "unauthorized", "message": "a staff API token is required"})
			return false
		}
	} else {
		s, ok := db.session(c.r, rt.access == pending)
		if !ok {
			redirectToLogin(c.w, c.r)
			return false
		}
		c.session, c.staff = &s, s.Staff
	}
	if !db.secondFactorEnrolled(c, rt) {
		return false
	}
	if rt.access == admin && c.staff.Role != store.RoleAdmin {
		c.fail(errForbidden)
		return false
	}
	return true
}

// redirectToLogin sends a browser to the login page, remembering where it
// was going (a local path only).
func redirectToLogin(w http.ResponseWriter, r *http.Request) {
	next := ""
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/staff/") && !strings.HasPrefix(r.URL.Path, "/staff/login") {
		next = "?next=" + urlQueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"unauthorized","login":"/staff/login"}` + "\n"))
		return
	}
	http.Redirect(w, r, "/staff/login"+next, http.StatusSeeOther)
}

// routeTable lists every route. A route added here without an access
// level, or reachable by a caller it should not be, fails the security
// tests, which walk this table.
func (db *Dashboard) routeTable() []route {
	rs := []route{
		{pattern: "GET /staff/assets/{file}", access: public, h: db.asset},
		{pattern: "GET /staff/login", access: public, h: db.loginForm},
		{pattern: "POST /staff/login", access: public, audit: "login", h: db.login},
		{pattern: "GET /staff/login/totp", access: pending, h: db.totpForm},
		{pattern: "POST /staff/login/totp", access: pending, audit: "login.totp", h: db.totpLogin},
		{pattern: "POST /staff/logout", access: pending, audit: "logout", h: db.logout},
		{pattern: "GET /staff", access: anyRole, h: db.home},
		{pattern: "GET /staff/{$}", access: anyRole, h: db.home},
	}
	rs = append(rs, db.accountRoutes()...)
	rs = append(rs, db.tipRoutes()...)
	rs = append(rs, db.chatRoutes()...)
	rs = append(rs, db.staffingRoutes()...)
	rs = append(rs, db.caseRoutes()...)
	rs = append(rs, db.galleryRoutes()...)
	rs = append(rs, db.resourceRoutes()...)
	rs = append(rs, db.adminRoutes()...)
	rs = append(rs, db.apiRoutes()...)
	return rs
}

func (db *Dashboard) accountRoutes() []route {
	return []route{
		{pattern: "GET /staff/account", access: anyRole, h: db.account},
		{pattern: "POST /staff/account/password", access: anyRole, audit: "account.password", h: db.changePassword},
		{pattern: "POST /staff/account/totp/start", access: anyRole, audit: "account.totp_start", h: db.totpStart},
		{pattern: "POST /staff/account/totp/confirm", access: anyRole, audit: "account.totp_enable", h: db.totpConfirm},
		{pattern: "POST /staff/account/tokens", access: anyRole, audit: "account.token_create", h: db.tokenCreate},
		{pattern: "POST /staff/account/tokens/{id}/revoke", access: anyRole, audit: "account.token_revoke", h: db.tokenRevoke},
	}
}

func (db *Dashboard) tipRoutes() []route {
	return []route{
		{pattern: "GET /staff/tips", access: anyRole, audit: "tips.list", h: db.queue},
		{pattern: "GET /staff/tips/state", access: anyRole, h: db.queueStateJSON},
		{pattern: "GET /staff/tips/chart.svg", access: anyRole, h: db.chart},
		{pattern: "POST /staff/tips/bulk", access: anyRole, audit: "tip.status", h: db.bulk},
		{pattern: "GET /staff/tips/export.csv", access: anyRole, audit: "export.csv", h: db.exportSetCSV},
		{pattern: "GET /staff/tips/export.html", access: anyRole, audit: "export.html", h: db.exportSetHTML},
		{pattern: "GET /staff/tips/{id}", access: anyRole, audit: "tip.view", h: db.tipView},
		{pattern: "GET /staff/tips/{id}/contact", access: admin, audit: "tip.contact_view", h: db.tipContact},
		{pattern: "POST /staff/tips/{id}/status", access: anyRole, audit: "tip.status", h: db.tipStatus},
		{pattern: "POST /staff/tips/{id}/assign", access: anyRole, audit: "tip.assign", h: db.tipAssign},
		{pattern: "POST /staff/tips/{id}/notes", access: anyRole, audit: "tip.note", h: db.tipNote},
		{pattern: "POST /staff/tips/{id}/case", access: anyRole, audit: "tip.case", h: db.tipCase},
		{pattern: "POST /staff/tips/{id}/duplicate", access: anyRole, audit: "tip.duplicate", h: db.tipDuplicate},
		{pattern: "POST /staff/tips/{id}/merge", access: anyRole, audit: "tip.merge", h: db.tipMerge},
		{pattern: "POST /staff/tips/{id}/merges/{mid}/undo", access: anyRole, audit: "tip.unmerge", h: db.tipUnmerge},
		{pattern: "POST /staff/tips/{id}/reply", access: anyRole, audit: "tip.reply", h: db.tipReply},
		{pattern: "POST /staff/tips/{id}/hold", access: anyRole, audit: "tip.legal_hold", h: db.tipHold},
		{pattern: "GET /staff/tips/{id}/media/{mid}", access: anyRole, audit: "tip.media_view", h: db.tipMedia},
		{pattern: "POST /staff/tips/{id}/media/{mid}/csam", access: anyRole, audit: "tip.media_csam", h: db.tipCSAM},
		{pattern: "GET /staff/tips/{id}/export.html", access: anyRole, audit: "export.tip_html", h: db.exportTipHTML},
		{pattern: "GET /staff/tips/{id}/export.zip", access: anyRole, audit: "export.tip_package", h: db.exportTipZip},
	}
}

func (db *Dashboard) chatRoutes() []route {
	return []route{
		{pattern: "GET /staff/chats", access: anyRole, audit: "chats.list", read: "conversation", h: db.chats},
		{pattern: "GET /staff/chats/{pid}", access: anyRole, audit: "chat.view", h: db.chatView},
		{pattern: "GET /staff/chats/{pid}/state", access: anyRole, h: db.chatState},
		{pattern: "POST /staff/chats/{pid}/claim", access: anyRole, audit: "chat.claim", h: db.chatClaim},
		{pattern: "POST /staff/chats/{pid}/release", access: anyRole, audit: "chat.release", h: db.chatRelease},
		{pattern: "POST /staff/chats/{pid}/message", access: anyRole, audit: "chat.message", h: db.chatMessage},
		{pattern: "POST /staff/chats/{pid}/messages/{mid}/risk-mark", access: anyRole, audit: "chat.risk_mark", h: db.chatRiskMark},
		{pattern: "POST /staff/pages/{id}/ack", access: anyRole, audit: "page.ack", h: db.pageAck},
	}
}

func (db *Dashboard) caseRoutes() []route {
	return []route{
		{pattern: "GET /staff/cases", access: anyRole, audit: "cases.list", read: "case", h: db.cases},
		{pattern: "GET /staff/cases/new", access: anyRole, h: db.caseNew},
		{pattern: "POST /staff/cases", access: anyRole, audit: "case.create", h: db.caseCreate},
		{pattern: "GET /staff/cases/{id}", access: anyRole, audit: "case.view", h: db.caseView},
		{pattern: "POST /staff/cases/{id}", access: anyRole, audit: "case.edit", h: db.caseEdit},
		{pattern: "POST /staff/cases/{id}/publish", access: anyRole, audit: "case.publish", h: db.casePublish},
		{pattern: "POST /staff/cases/{id}/close", access: anyRole, audit: "case.close", h: db.caseClose},
		{pattern: "POST /staff/cases/{id}/photo", access: anyRole, audit: "case.photo", h: db.casePhotoUpload},
		{pattern: "GET /staff/cases/{id}/photo", access: anyRole, audit: "case.photo_view", read: "case", h: db.casePhoto},
		{pattern: "GET /staff/cases/{id}/poster", access: anyRole, audit: "case.poster_view", read: "case", h: db.casePoster},
		{pattern: "GET /staff/cases/{id}/qr.svg", access: anyRole, h: db.caseQR},
		{pattern: "GET /staff/cases/{id}/map", access: anyRole, audit: "case.map_view", h: db.caseMap},
	}
}

func (db *Dashboard) resourceRoutes() []route {
	return []route{
		{pattern: "GET /staff/resources", access: anyRole, audit: "resources.list", read: "resource", h: db.resources},
		{pattern: "GET /staff/resources/{id}", access: anyRole, audit: "resource.view", read: "resource", h: db.resourceView},
		{pattern: "POST /staff/resources/{id}", access: anyRole, audit: "resource.propose", h: db.resourceEdit},
		{pattern: "GET /staff/resources/{id}/edit", access: anyRole, h: db.resourceEditForm},
		{pattern: "POST /staff/resources/{id}/retire", access: anyRole, audit: "resource.retire", h: db.resourceRetire},
		{pattern: "GET /staff/resources/new", access: anyRole, h: db.resourceNew},
		{pattern: "POST /staff/resources/new", access: anyRole, audit: "resource.propose", h: db.resourceCreate},
		{pattern: "GET /staff/resources/changes", access: anyRole, h: db.resourceChanges},
		{pattern: "POST /staff/resources/changes/verify", access: anyRole, audit: "resource.changes_verify", h: db.resourceChangesVerify},
		{pattern: "POST /staff/resources/changes/reject", access: anyRole, audit: "resource.changes_reject", h: db.resourceChangesReject},
		{pattern: "GET /staff/resources/import", access: anyRole, h: db.resourceImportForm},
		{pattern: "POST /staff/resources/import", access: anyRole, audit: "resource.import_preview", h: db.resourceImportUpload},
		{pattern: "POST /staff/resources/imports/{batch}/stage", access: anyRole, audit: "resource.import_stage", h: db.resourceImportStage},
		{pattern: "POST /staff/resources/{id}/contacts", access: anyRole, audit: "resource.contact_propose", h: db.resourceContacts},
		{pattern: "POST /staff/resources/{id}/verify", access: anyRole, audit: "resource.verify", h: db.resourceVerify},
		{pattern: "POST /staff/resources/{id}/hide", access: anyRole, audit: "resource.hide", h: db.resourceHide},
	}
}

func (db *Dashboard) adminRoutes() []route {
	return []route{
		{pattern: "GET /staff/audit", access: admin, audit: "audit.view", h: db.auditView},
		{pattern: "GET /staff/risk-marks", access: admin, audit: "risk_marks.view", h: db.riskMarks},
		{pattern: "GET /staff/people", access: admin, h: db.people},
		{pattern: "POST /staff/people", access: admin, audit: "staff.create", h: db.personCreate},
		{pattern: "POST /staff/people/{id}/password", access: admin, audit: "staff.password_reset", h: db.personPassword},
		{pattern: "POST /staff/people/{id}/totp", access: admin, audit: "staff.totp_reset", h: db.personTOTP},
		{pattern: "POST /staff/people/{id}/role", access: admin, audit: "staff.role", h: db.personRole},
		{pattern: "POST /staff/people/{id}/disable", access: admin, audit: "staff.disable", h: db.personDisable},
	}
}

func (db *Dashboard) apiRoutes() []route {
	return []route{
		{pattern: "GET /api/v1/openapi.json", access: public, api: true, h: db.apiOpenAPI}, // the description is public (README)
		{pattern: "GET /api/v1/tips", access: anyRole, api: true, audit: "tips.list", h: db.apiTips},
		{pattern: "GET /api/v1/tips/{id}", access: anyRole, api: true, audit: "tip.view", h: db.apiTip},
		{pattern: "GET /api/v1/tips/{id}/contact", access: admin, api: true, audit: "tip.contact_view", h: db.apiTipContact},
		{pattern: "POST /api/v1/tips/{id}/status", access: anyRole, api: true, audit: "tip.status", h: db.apiTipStatus},
		{pattern: "GET /api/v1/cases", access: anyRole, api: true, audit: "cases.list", read: "case", h: db.apiCases},
		{pattern: "GET /api/v1/cases/{id}", access: anyRole, api: true, audit: "case.view", h: db.apiCase},
		{pattern: "GET /api/v1/resources", access: anyRole, api: true, audit: "resources.list", read: "resource", h: db.apiResources},
	}
}
