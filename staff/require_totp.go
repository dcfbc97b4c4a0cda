package staff

import (
	"net/http"
)

// STAFF_REQUIRE_2FA (docs/design.md section 9): when Deps.RequireTOTP is
// set, a login without a confirmed second factor may only enrol one. Its
// pages send it to its account page (where the set-up starts); its API
// tokens, and its session on the API, are refused with 403 until it has.

// enrolPath is where a login that owes its enrolment is sent.
const enrolPath = "/staff/account?second_factor=required"

// enrolRoutes are the routes a login without TOTP may still use: its
// account page, the TOTP set-up and its password.
var enrolRoutes = map[string]bool{
	"GET /staff/account":               true,
	"POST /staff/account/totp/start":   true,
	"POST /staff/account/totp/confirm": true,
	"POST /staff/account/password":     true,
}

// secondFactorEnrolled lets the caller of rt through unless TOTP is
// required and the caller's login has none; then it has answered already
// (a redirect to the enrolment, or 403 on the API).
func (db *Dashboard) secondFactorEnrolled(c *reqCtx, rt route) bool {
	if !db.d.RequireTOTP || rt.access == public || rt.access == pending || enrolRoutes[rt.pattern] {
		return true
	}
	if db.hasTOTP(c) {
		return true
	}
	if rt.api {
		_ = c.json(http.StatusForbidden, map[string]string{"error": "second_factor_required",
			"message": "this organisation requires a second factor: set one up on the account page first"})
		return false
	}
	_ = c.redirect(enrolPath)
	return false
}

// hasTOTP reports whether the caller's login has a confirmed second
// factor (from the session, or asked of the store for an API token).
func (db *Dashboard) hasTOTP(c *reqCtx) bool {
	if c.session != nil {
		return c.session.HasTOTP
	}
	f, err := db.store.SecondFactor(c.ctx(), c.staff.ID)
	return err == nil && f.Secret != nil
}

// mustEnrol reports whether a session is held back by STAFF_REQUIRE_2FA
// (for the simulator's guard, which has no route).
func (db *Dashboard) mustEnrol(hasTOTP bool) bool { return db.d.RequireTOTP && !hasTOTP }
