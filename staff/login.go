package staff

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"tipline/password"
	"tipline/store"
)

// loginForm shows the sign-in form (or skips it for a signed-in caller).
func (db *Dashboard) loginForm(c *reqCtx) error {
	if c.session != nil && (c.session.MFAOK || !c.session.HasTOTP) {
		return c.redirect("/staff/tips")
	}
	c.render(http.StatusOK, "login", "Sign in", map[string]string{"Next": safeNext(c.r.URL.Query().Get("next"))})
	return nil
}

var (
	dummyOnce sync.Once
	dummyHash string
)

// checkPassword verifies pw for the login with that email. An unknown
// email costs a hash too, so timing does not tell which emails exist.
func (db *Dashboard) checkPassword(c *reqCtx, email, pw string) (store.Staff, bool) {
	st, err := db.store.StaffByEmail(c.ctx(), email)
	if err != nil {
		dummyOnce.Do(func() { dummyHash, _ = password.Hash("tipline dummy password") })
		_, _ = password.Verify(dummyHash, pw)
		return store.Staff{}, false
	}
	ok, err := password.Verify(st.PasswordHash, pw)
	if err != nil || !ok || st.Disabled {
		return st, false
	}
	return st, true
}

// login checks email and password after the slowdown the failures so far
// ask for, then starts a session (owing the second factor when the login
// has one). Exactly one audit row is written either way.
func (db *Dashboard) login(c *reqCtx) error {
	email := strings.TrimSpace(c.r.PostFormValue("email"))
	pw := c.r.PostFormValue("password")
	next := safeNext(c.r.PostFormValue("next"))
	if len(email) > 254 || len(pw) > 1024 {
		email, pw = "", ""
	}
	keys := throttleKeys(email, c.addr)
	delay := db.slowDown(c.ctx(), keys, c.now)
	st, ok := db.checkPassword(c, email, pw)
	c.staff = st
	if !ok {
		db.recordFailure(c.ctx(), keys, c.now)
		c.staff.Email = email
		if err := c.record("login.failed", "staff", idString(st.ID), map[string]any{"delay_ms": delay.Milliseconds()}); err != nil {
			return err
		}
		c.render(http.StatusUnauthorized, "login", "Sign in", map[string]string{
			"Error": "That email and password do not match an active login.", "Email": email, "Next": next})
		return nil
	}
	db.clearFailures(c.ctx(), keys)
	f, err := db.store.SecondFactor(c.ctx(), st.ID)
	if err != nil {
		return err
	}
	mfaOK := f.Secret == nil
	tok, hash := newToken("")
	if err := db.store.Login(c.ctx(), c.actor(), hash, mfaOK, c.now.Add(SessionLifetime)); err != nil {
		return err
	}
	http.SetCookie(c.w, db.cookies.cookie(tok, int(SessionLifetime/time.Second)))
	if !mfaOK {
		return c.redirect("/staff/login/totp?next=" + urlQueryEscape(next))
	}
	return c.redirect(next)
}

// logout ends the session; other tabs find themselves signed out.
func (db *Dashboard) logout(c *reqCtx) error {
	if err := db.store.Logout(c.ctx(), c.actor(), c.session.TokenHash); err != nil {
		return err
	}
	http.SetCookie(c.w, db.cookies.cookie("", -1))
	return c.redirect("/staff/login")
}

// home sends the dashboard root to the tip queue.
func (db *Dashboard) home(c *reqCtx) error { return c.redirect("/staff/tips") }
