package staff

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline/directory"
	"tipline/store"
)

// addDirectorySamples gives the directory pages of issue 16 a request
// that succeeds (TestEveryRouteIsWalked and the security tests).
func addDirectorySamples(m map[string]sample, res string) {
	m["GET /staff/resources/{id}/edit"] = get(res + "/edit")
	m["POST /staff/resources/{id}/retire"] = post(res+"/retire", nil)
	m["GET /staff/resources/new"] = get("/staff/resources/new")
	m["POST /staff/resources/new"] = sample{make: func(*env, store.Staff) sampleReq {
		return formReq("/staff/resources/new", shelterForm("Sample Shelter "+uniq()))
	}}
	m["GET /staff/resources/changes"] = get("/staff/resources/changes")
	m["POST /staff/resources/changes/verify"] = sample{make: func(e *env, who store.Staff) sampleReq {
		return formReq("/staff/resources/changes/verify", url.Values{"id": {proposeFor(e, who)}})
	}}
	m["POST /staff/resources/changes/reject"] = sample{make: func(e *env, who store.Staff) sampleReq {
		return formReq("/staff/resources/changes/reject", url.Values{"id": {proposeFor(e, who)}})
	}}
	m["GET /staff/resources/import"] = get("/staff/resources/import")
	m["POST /staff/resources/import"] = sample{make: func(e *env, _ store.Staff) sampleReq {
		return importReq(e, "import-"+uniq())
	}}
	m["POST /staff/resources/imports/{batch}/stage"] = sample{make: func(e *env, who store.Staff) sampleReq {
		b, _, err := store.PreviewImport(context.Background(), e.pool, "x.json",
			[]directory.Resource{{ID: "import-" + uniq(), Name: "Imported"}}, who.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		return sampleReq{path: "/staff/resources/imports/" + itoa(b.ID) + "/stage", ctype: "application/x-www-form-urlencoded"}
	}}
}

// shelterForm is the form for a youth shelter in ZIP 77002.
func shelterForm(name string) url.Values {
	return url.Values{"name": {name}, "organization": {"Harbor Family Services"}, "categories": {"shelter, youth"},
		"phone": {"(713) 555-0142"}, "ages_min": {"12"}, "ages_max": {"17"}, "local_set": {"1"}, "local": {"1"},
		"place": {"77002"}, "address": {"1200 Main Street, Houston, TX 77002"}, "schedule": {"daily 00:00-24:00"},
		"languages": {"en, es"}, "regions": {"US-TX"}, "eligibility": {"Ages 12 to 17"}, "description_en": {"Beds tonight."}}
}

// proposeFor leaves a proposal someone other than who made, and returns
// its id.
func proposeFor(e *env, who store.Staff) string {
	other := e.admin.ID
	if who.ID == e.admin.ID {
		other = e.reviewer.ID
	}
	id := "sample-" + uniq()
	err := store.ProposeResource(context.Background(), e.pool, directory.Resource{ID: id, Name: "Sample"}, store.OriginStaff, 0, other)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// importReq uploads a one-record Tipline JSON file.
func importReq(e *env, id string) sampleReq {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	f, _ := w.CreateFormFile("file", "directory.json")
	_, _ = f.Write([]byte(`[{"id":"` + id + `","name":"Imported line","phone":"(713) 555-0100","verified":true}]`))
	_ = w.Close()
	return sampleReq{path: "/staff/resources/import", body: b.String(), ctype: w.FormDataContentType()}
}

// TestDirectoryTwoPersonRuleOverHTTP: a staff member's new record is not
// shown; its proposer cannot verify it (403), a second person can; an
// edit waits the same way while users keep the verified version; an
// import is previewed, proposed, and verified by someone else.
func TestDirectoryTwoPersonRuleOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, reviewer := e.login(adminEmail), e.login(reviewerEmail)
	r := e.post(admin, "/staff/resources/new", shelterForm("Harbor House"))
	if r.StatusCode != 303 {
		t.Fatalf("propose: %d %s", r.StatusCode, bodyOf(t, r))
	}
	ps, _ := store.Proposals(ctx, e.pool, 0)
	if len(ps) != 1 || ps[0].Record.Point == nil || ps[0].Record.AgesMax != 17 || len(ps[0].Record.Schedule) != 1 {
		t.Fatalf("proposal: %+v", ps)
	}
	id := ps[0].ResourceID
	if d, _ := store.LoadDirectory(ctx, e.pool); d.Len() > 0 {
		if _, ok := d.Get(id); ok {
			t.Fatal("shown before verification")
		}
	}
	if r := e.post(admin, "/staff/resources/changes/verify", url.Values{"id": {id}}); r.StatusCode != 403 {
		t.Fatalf("the proposer verified: %d", r.StatusCode)
	}
	page := bodyOf(t, e.get(reviewer, "/staff/resources/changes"))
	if !strings.Contains(page, "Harbor House") || !strings.Contains(page, "12-17") {
		t.Fatalf("changes page lacks the diff: %s", page)
	}
	if r := e.post(reviewer, "/staff/resources/changes/verify", url.Values{"id": {id}}); r.StatusCode != 303 {
		t.Fatalf("second person: %d %s", r.StatusCode, bodyOf(t, r))
	}
	d, _ := store.LoadDirectory(ctx, e.pool)
	got, ok := d.Get(id)
	if !ok || got.Phone != "(713) 555-0142" || got.PhoneE164 != "+17135550142" || !got.Local {
		t.Fatalf("after verification: %+v", got)
	}
	form := url.Values{"phone": {"(713) 555-0199"}}
	if r := e.post(reviewer, "/staff/resources/"+id, form); r.StatusCode != 303 {
		t.Fatalf("edit: %d %s", r.StatusCode, bodyOf(t, r))
	}
	d, _ = store.LoadDirectory(ctx, e.pool)
	if got, _ := d.Get(id); got.Phone != "(713) 555-0142" || got.AgesMax != 17 {
		t.Fatalf("an unverified edit reached users, or the form blanked fields: %+v", got)
	}
	if r := e.post(admin, "/staff/resources/changes/verify", url.Values{"id": {id}}); r.StatusCode != 303 {
		t.Fatalf("verify edit: %d", r.StatusCode)
	}
	d, _ = store.LoadDirectory(ctx, e.pool)
	if got, _ := d.Get(id); got.Phone != "(713) 555-0199" || got.PhoneE164 != "+17135550199" || got.AgesMax != 17 {
		t.Fatalf("the verified edit: %+v", got)
	}
	checkImport(t, e, admin, reviewer)
}

// checkImport: an upload is previewed (nothing proposed), then proposed;
// whoever proposed it cannot verify it.
func checkImport(t *testing.T, e *env, admin, reviewer *http.Client) {
	t.Helper()
	ctx := context.Background()
	req := importReq(e, "imported-line")
	r := e.do(admin, http.MethodPost, req.path, strings.NewReader(req.body), map[string]string{"Content-Type": req.ctype})
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 || !strings.Contains(loc, "batch=") {
		t.Fatalf("upload: %d %s", r.StatusCode, loc)
	}
	page := bodyOf(t, e.get(admin, loc))
	if !strings.Contains(page, "Imported line") || !strings.Contains(page, "1 new") {
		t.Fatalf("preview: %s", page)
	}
	if ps, _ := store.Proposals(ctx, e.pool, 0); len(ps) != 0 {
		t.Fatalf("a preview proposed %d changes", len(ps))
	}
	batch := loc[strings.Index(loc, "batch=")+6:]
	if r := e.post(admin, "/staff/resources/imports/"+batch+"/stage", nil); r.StatusCode != 303 {
		t.Fatalf("stage: %d", r.StatusCode)
	}
	if r := e.post(admin, "/staff/resources/changes/verify", url.Values{"id": {"imported-line"}}); r.StatusCode != 403 {
		t.Fatalf("the importer verified their own import: %d", r.StatusCode)
	}
	if r := e.post(reviewer, "/staff/resources/changes/verify", url.Values{"id": {"imported-line"}}); r.StatusCode != 303 {
		t.Fatalf("verify import: %d", r.StatusCode)
	}
	got, err := store.GetResource(ctx, e.pool, "imported-line")
	if err != nil || !got.Verified || got.VerifiedBy != reviewerEmail {
		t.Fatalf("imported record: %+v", got)
	}
}

// TestResourceFormRefusesBadInput: a bad schedule, age or place is
// refused with a sentence saying what to write; nothing is proposed.
func TestResourceFormRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	for field, bad := range map[string]string{"schedule": "weekdays 9 to 5", "ages_min": "twelve", "place": "nowhere at all",
		"phone": "call us"} {
		form := shelterForm("Bad " + field)
		form.Set(field, bad)
		r := e.post(c, "/staff/resources/new", form)
		if r.StatusCode < 400 || r.StatusCode >= 500 {
			t.Errorf("%s=%q: status %d", field, bad, r.StatusCode)
		}
	}
	if ps, _ := store.Proposals(context.Background(), e.pool, 0); len(ps) != 0 {
		t.Errorf("%d proposals from bad input", len(ps))
	}
}
