package staff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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

// checkPassword verifies pw for the login with that email. An unknown
// email costs the same hash, through the same slots, so timing does not
// tell which emails exist. The error is password.ErrBusy when no hashing
// slot came free in time.
func (db *Dashboard) checkPassword(ctx context.Context, email, pw string) (store.Staff, bool, error) {
	st, err := db.store.StaffByEmail(ctx, email)
	if err != nil {
		return store.Staff{}, false, password.VerifyDummy(ctx, pw)
	}
	ok, err := password.VerifyContext(ctx, st.PasswordHash, pw)
	if errors.Is(err, password.ErrBusy) {
		return st, false, err
	}
	return st, err == nil && ok && !st.Disabled, nil
}

// login counts the attempt, refuses it without hashing while the account
// or the address is inside its delay, then checks email and password and
// starts a session (owing the second factor when the login has one).
// Exactly one audit row is written either way.
func (db *Dashboard) login(c *reqCtx) error {
	email := strings.TrimSpace(c.r.PostFormValue("email"))
	pw := c.r.PostFormValue("password")
	next := safeNext(c.r.PostFormValue("next"))
	if len(email) > 254 || len(pw) > 1024 {
		email, pw = "", ""
	}
	leave, ok := enterLogin(c.ctx())
	if !ok {
		return db.loginRefused(c, email, next, hashWait, "busy")
	}
	defer leave()
	keys := throttleKeys(email, c.addr)
	res := db.reserve(c.ctx(), keys, c.now)
	if res.Wait > 0 {
		return db.loginRefused(c, email, next, res.Wait, "delay")
	}
	ctx, cancel := context.WithTimeout(c.ctx(), hashWait)
	st, ok, err := db.checkPassword(ctx, email, pw)
	cancel()
	if err != nil {
		db.release(c.ctx(), res, keys)
		return db.loginRefused(c, email, next, hashWait, "busy")
	}
	c.staff = st
	if !ok {
		c.staff.Email = email
		if err := c.record("login.failed", "staff", idString(st.ID), nil); err != nil {
			return err
		}
		c.render(http.StatusUnauthorized, "login", "Sign in", map[string]string{
			"Error": "That email and password do not match an active login.", "Email": email, "Next": next})
		return nil
	}
	db.clearFailures(c.ctx(), res, keys)
	return db.startSession(c, st, next)
}

// loginRefused answers an attempt that was not checked: the account or
// address is inside its delay, or every hashing slot stayed busy.
func (db *Dashboard) loginRefused(c *reqCtx, email, next string, wait time.Duration, why string) error {
	secs := int((wait + time.Second - 1) / time.Second)
	c.staff.Email = email
	if err := c.record("login.failed", "staff", "", map[string]any{"refused": why, "retry_after_s": secs}); err != nil {
		return err
	}
	c.w.Header().Set("Retry-After", strconv.Itoa(secs))
	status, msg := http.StatusTooManyRequests, "Too many failed sign-ins. Wait %d seconds, then try again."
	if why == "busy" {
		status, msg = http.StatusServiceUnavailable, "Sign-in is busy. Try again in %d seconds."
	}
	c.render(status, "login", "Sign in", map[string]string{"Error": fmt.Sprintf(msg, secs), "Email": email, "Next": next})
	return nil
}

// startSession signs st in after a right password; with a second factor
// the session owes it first.
func (db *Dashboard) startSession(c *reqCtx, st store.Staff, next string) error {
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
	if db.mustEnrol(false) {
		return c.redirect(enrolPath)
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
