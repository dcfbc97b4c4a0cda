package staff

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"

	"tipline/store"
)

// sampleReq is one concrete request for a route.
type sampleReq struct {
	path  string
	body  string
	ctype string
}

// sample makes a request that succeeds for caller who, arranging what it
// needs first. client, when set, replaces the caller's session (login
// steps).
type sample struct {
	make   func(e *env, who store.Staff) sampleReq
	client func(e *env) *http.Client
}

func get(path string) sample {
	return sample{make: func(*env, store.Staff) sampleReq { return sampleReq{path: path} }}
}

func post(path string, form url.Values) sample {
	return sample{make: func(*env, store.Staff) sampleReq { return formReq(path, form) }}
}

func formReq(path string, form url.Values) sampleReq {
	return sampleReq{path: path, body: form.Encode(), ctype: "application/x-www-form-urlencoded"}
}

// sessionClient signs a login in by storing a session directly.
func (e *env) sessionClient(staffID int64, mfaOK bool) *http.Client {
	e.t.Helper()
	tok, hash := newToken("")
	now := time.Now()
	if err := store.CreateSession(context.Background(), e.pool, hash, staffID, mfaOK, now, now.Add(time.Hour), "127.0.0.1"); err != nil {
		e.t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(e.srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: e.dash.cookies.name, Value: tok, Path: "/"}})
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// victim is a third login the staff-management routes act on.
func (e *env) victim() store.Staff {
	st, err := store.StaffByEmail(context.Background(), e.pool, "victim@example.org")
	if err == nil {
		return st
	}
	st, err = store.CreateStaff(context.Background(), e.pool, "victim@example.org", store.RoleReviewer, passwordHash())
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// totpLogin makes a login with a confirmed second factor and returns its
// secret.
func (e *env) totpLogin(email string) (store.Staff, []byte) {
	e.t.Helper()
	ctx := context.Background()
	st, err := store.CreateStaff(ctx, e.pool, email, store.RoleReviewer, passwordHash())
	if err != nil {
		e.t.Fatal(err)
	}
	secret := newTOTPSecret()
	sealed, _ := e.keys.Seal(secret, totpAAD)
	if err := store.SetPendingTOTP(ctx, e.pool, st.ID, sealed); err != nil {
		e.t.Fatal(err)
	}
	_, hashes := newRecoveryCodes(2)
	if err := store.ConfirmTOTP(ctx, e.pool, st.ID, 0, hashes); err != nil {
		e.t.Fatal(err)
	}
	return st, secret
}

var uniq = func() func() string {
	n := 0
	return func() string { n++; return itoa(time.Now().UnixNano()%1e9) + "-" + itoa(int64(n)) }
}()

// samples gives every route of the table a request that succeeds. A
// route missing here fails TestEveryRouteIsWalked.
func samples(e *env) map[string]sample {
	fx := e.fx
	tip, tip2, cs, media := "/staff/tips/"+itoa(fx.tipID), "/staff/tips/"+itoa(fx.tip2ID), "/staff/cases/"+itoa(fx.caseID), itoa(fx.mediaID)
	res := "/staff/resources/" + fx.resourceID
	m := map[string]sample{
		"GET /staff/assets/{file}": get("/staff/assets/style.css"),
		"GET /staff/login":         get("/staff/login"),
		"POST /staff/login": {make: func(*env, store.Staff) sampleReq {
			return formReq("/staff/login", url.Values{"email": {adminEmail}, "password": {testPassword}})
		}, client: func(e *env) *http.Client { return e.client() }},
		"GET /staff/login/totp":  get("/staff/login/totp"),
		"POST /staff/login/totp": totpLoginSample(),
		"POST /staff/logout":     post("/staff/logout", nil),
		"GET /staff/{$}":         get("/staff/"),
		"GET /staff":             get("/staff"),
		"GET /staff/account":     get("/staff/account"),
		"POST /staff/account/password": post("/staff/account/password", url.Values{"current": {testPassword},
			"new": {testPassword}, "confirm": {testPassword}}),
		"POST /staff/account/totp/start":   post("/staff/account/totp/start", nil),
		"POST /staff/account/totp/confirm": {make: totpConfirmSample},
		"POST /staff/account/tokens":       post("/staff/account/tokens", url.Values{"label": {"laptop"}}),
		"POST /staff/account/tokens/{id}/revoke": {make: func(e *env, who store.Staff) sampleReq {
			_, id := apiToken(e.t, e, who.ID)
			return formReq("/staff/account/tokens/"+itoa(id)+"/revoke", nil)
		}},
		"GET /staff/tips":              get("/staff/tips?status=new&q=station&mine=&page=1"),
		"GET /staff/tips/state":        get("/staff/tips/state"),
		"GET /staff/tips/chart.svg":    get("/staff/tips/chart.svg"),
		"POST /staff/tips/bulk":        {make: bulkSample},
		"GET /staff/tips/export.csv":   get("/staff/tips/export.csv?status=new"),
		"GET /staff/tips/export.html":  get("/staff/tips/export.html"),
		"GET /staff/tips/{id}":         get(tip),
		"GET /staff/tips/{id}/contact": get(tip + "/contact"),
		"POST /staff/tips/{id}/status": {make: func(e *env, _ store.Staff) sampleReq {
			e.exec(`UPDATE tips SET status = 'new' WHERE id = $1`, e.fx.tip2ID)
			return formReq(tip2+"/status", url.Values{"status": {"triaged"}})
		}},
		"POST /staff/tips/{id}/assign": {make: func(_ *env, who store.Staff) sampleReq {
			return formReq(tip2+"/assign", url.Values{"staff": {itoa(who.ID)}})
		}},
		"POST /staff/tips/{id}/notes":     post(tip+"/notes", url.Values{"body": {"called the station"}}),
		"POST /staff/tips/{id}/case":      post(tip2+"/case", url.Values{"case": {itoa(fx.caseID)}}),
		"POST /staff/tips/{id}/duplicate": unmerged(tip2+"/duplicate", url.Values{"of": {"TIPURG1"}}), // tip_merge_test.go
		"POST /staff/tips/{id}/reply":     post(tip+"/reply", url.Values{"text": {"Thank you, can you tell us more?"}}),
		"POST /staff/tips/{id}/hold":      post(tip+"/hold", url.Values{"hold": {"1"}}),
		"GET /staff/tips/{id}/media/{mid}": {make: func(e *env, _ store.Staff) sampleReq {
			e.exec(`UPDATE tip_media SET csam = false`)
			return sampleReq{path: tip + "/media/" + media}
		}},
		"POST /staff/tips/{id}/media/{mid}/csam": {make: func(e *env, _ store.Staff) sampleReq {
			e.exec(`UPDATE tip_media SET csam = false`)
			return formReq(tip+"/media/"+media+"/csam", nil)
		}},
		"GET /staff/tips/{id}/export.html": get(tip + "/export.html"),
		"GET /staff/tips/{id}/export.zip":  get(tip + "/export.zip"),
	}
	addMergeSamples(m, tip2) // tip_merge_test.go
	addChatSamples(m, fx)
	addRiskSamples(m, fx) // chat_risk_test.go
	addStaffingSamples(m) // staffing_test.go
	addCaseSamples(m, cs)
	addCaseMapSamples(m, cs) // case_map_test.go
	addGallerySamples(m, cs)
	addResourceSamples(m, res)
	addAdminSamples(m)
	addAPISamples(m, fx)
	return m
}

func totpLoginSample() sample {
	var secret []byte
	return sample{
		client: func(e *env) *http.Client {
			var st store.Staff
			st, secret = e.totpLogin("totp-" + uniq() + "@example.org")
			return e.sessionClient(st.ID, false)
		},
		make: func(*env, store.Staff) sampleReq {
			return formReq("/staff/login/totp", url.Values{"code": {totpCode(secret, totpStep(time.Now()))}})
		},
	}
}

func totpConfirmSample(e *env, who store.Staff) sampleReq {
	secret := newTOTPSecret()
	sealed, _ := e.keys.Seal(secret, totpAAD)
	e.exec(`UPDATE staff SET totp_pending = $2, totp_secret = NULL, totp_last_step = 0 WHERE id = $1`, who.ID, sealed)
	return formReq("/staff/account/totp/confirm", url.Values{"code": {totpCode(secret, totpStep(time.Now()))}})
}

func bulkSample(e *env, _ store.Staff) sampleReq {
	e.exec(`UPDATE tips SET status = 'new' WHERE id = $1`, e.fx.tip2ID)
	return formReq("/staff/tips/bulk", url.Values{"id": {itoa(e.fx.tip2ID)}, "status": {"triaged"}})
}

func addChatSamples(m map[string]sample, fx fixture) {
	chat := "/staff/chats/" + fx.chatPID
	claimedBy := func(e *env, id *int64) {
		e.exec(`UPDATE conversations SET claimed_by = $2 WHERE id = $1`, e.fx.chatID, id)
	}
	m["GET /staff/chats"] = get("/staff/chats")
	m["GET /staff/chats/{pid}"] = get(chat)
	m["GET /staff/chats/{pid}/state"] = get(chat + "/state")
	m["POST /staff/chats/{pid}/claim"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		claimedBy(e, nil)
		return formReq(chat+"/claim", nil)
	}}
	m["POST /staff/chats/{pid}/release"] = sample{make: func(e *env, who store.Staff) sampleReq {
		claimedBy(e, &who.ID)
		return formReq(chat+"/release", nil)
	}}
	m["POST /staff/chats/{pid}/message"] = sample{make: func(e *env, who store.Staff) sampleReq {
		claimedBy(e, &who.ID)
		return formReq(chat+"/message", url.Values{"text": {"Hi, this is a person from the team. Are you safe now?"}})
	}}
	m["POST /staff/pages/{id}/ack"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		e.exec(`UPDATE pages SET acked_at = NULL, acked_by = NULL WHERE id = $1`, e.fx.pageID)
		return formReq("/staff/pages/"+itoa(e.fx.pageID)+"/ack", nil)
	}}
}

func addCaseSamples(m map[string]sample, cs string) {
	m["GET /staff/cases"] = get("/staff/cases")
	m["GET /staff/cases/new"] = get("/staff/cases/new")
	m["POST /staff/cases"] = sample{make: func(*env, store.Staff) sampleReq {
		return formReq("/staff/cases", url.Values{"number": {"C-" + uniq()}, "name": {"Ben Example"}, "age": {"12"}})
	}}
	m["GET /staff/cases/{id}"] = get(cs)
	m["POST /staff/cases/{id}"] = post(cs, url.Values{"number": {"C-100"}, "name": {"Ana Example"}, "age": {"14"},
		"last_seen_at": {"2026-11-20T18:30"}, "last_seen_place": {"Newark, NJ"}})
	m["POST /staff/cases/{id}/publish"] = post(cs+"/publish", url.Values{"public": {"1"}})
	m["POST /staff/cases/{id}/close"] = post(cs+"/close", url.Values{"status": {"active"}})
	m["POST /staff/cases/{id}/photo"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		f, _ := w.CreateFormFile("photo", "ana.png")
		_, _ = f.Write(tinyPNG(e.t))
		_ = w.Close()
		return sampleReq{path: cs + "/photo", body: b.String(), ctype: w.FormDataContentType()}
	}}
	m["GET /staff/cases/{id}/photo"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		e.exec(`UPDATE cases SET photo = $2, photo_type = 'image/png' WHERE id = $1`, e.fx.caseID, tinyPNG(e.t))
		return sampleReq{path: cs + "/photo"}
	}}
	m["GET /staff/cases/{id}/poster"] = get(cs + "/poster")
	m["GET /staff/cases/{id}/qr.svg"] = get(cs + "/qr.svg")
}

func addResourceSamples(m map[string]sample, res string) {
	m["GET /staff/resources"] = get("/staff/resources")
	m["GET /staff/resources/{id}"] = get(res)
	m["POST /staff/resources/{id}"] = post(res, url.Values{"name": {"NCMEC CyberTipline"},
		"organization": {"NCMEC"}, "description_en": {"Report child sexual exploitation."}, "hours": {"24/7"}})
	m["POST /staff/resources/{id}/contacts"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return formReq(res+"/contacts", url.Values{"url": {"https://report.cybertip.org/" + uniq()},
			"phone": {"1-800-THE-LOST (1-800-843-5678)"}, "phone_e164": {"+18008435678"}})
	}}
	m["POST /staff/resources/{id}/verify"] = post(res+"/verify", url.Values{"what": {"record"}})
	m["POST /staff/resources/{id}/hide"] = post(res+"/hide", url.Values{"hidden": {"0"}})
	addDirectorySamples(m, res)
}

func addAdminSamples(m map[string]sample) {
	victim := func(path string, form url.Values) sample {
		return sample{make: func(e *env, _ store.Staff) sampleReq {
			return formReq("/staff/people/"+itoa(e.victim().ID)+path, form)
		}}
	}
	m["GET /staff/audit"] = get("/staff/audit?action=tip.&from=2020-01-01")
	m["GET /staff/people"] = get("/staff/people")
	m["POST /staff/people"] = sample{make: func(*env, store.Staff) sampleReq {
		return formReq("/staff/people", url.Values{"email": {"new-" + uniq() + "@example.org"}, "role": {"reviewer"}})
	}}
	m["POST /staff/people/{id}/password"] = victim("/password", nil)
	m["POST /staff/people/{id}/totp"] = victim("/totp", nil)
	m["POST /staff/people/{id}/role"] = victim("/role", url.Values{"role": {"reviewer"}})
	m["POST /staff/people/{id}/disable"] = victim("/disable", url.Values{"disabled": {"0"}})
}

func addAPISamples(m map[string]sample, fx fixture) {
	tip := "/api/v1/tips/" + itoa(fx.tipID)
	m["GET /api/v1/openapi.json"] = get("/api/v1/openapi.json")
	m["GET /api/v1/tips"] = get("/api/v1/tips?status=new")
	m["GET /api/v1/tips/{id}"] = get(tip)
	m["GET /api/v1/tips/{id}/contact"] = get(tip + "/contact")
	m["POST /api/v1/tips/{id}/status"] = sample{make: func(*env, store.Staff) sampleReq {
		return sampleReq{path: tip + "/status", body: `{"status":"verified"}`, ctype: "application/json"}
	}}
	m["GET /api/v1/cases"] = get("/api/v1/cases")
	m["GET /api/v1/cases/{id}"] = get("/api/v1/cases/" + itoa(fx.caseID))
	m["GET /api/v1/resources"] = get("/api/v1/resources")
}

// methodOf returns the method of a pattern.
func methodOf(pattern string) string {
	for i, c := range pattern {
		if c == ' ' {
			return pattern[:i]
		}
	}
	return ""
}
