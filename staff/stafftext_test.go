package staff

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline/flows"
	"tipline/sms"
)

// tipsterConv is the fixture tipster's conversation (Spanish, Telegram).
func tipsterConv(t *testing.T, e *env) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT conversation_id FROM tips WHERE id = $1`, e.fx.tipID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func inbound(e *env, conv int64, pid, body string) {
	e.exec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, status)
		VALUES ($1, 'in', 'telegram', $2, 'user', $3, 'received')`, conv, pid, body)
}

// TestTranscriptShowsButtonLabels: a button press reads as the label the
// user saw, in the conversation's language (the fixture tipster writes in
// Spanish), a case choice as the case's name and number, a language
// button in its own language; markers that are not buttons stay.
func TestTranscriptShowsButtonLabels(t *testing.T) {
	e := newEnv(t)
	conv := tipsterConv(t, e)
	for i, b := range []string{"[rpt:yes]", "[rptc:" + e.fx.casePublicID + "]", "[lang:fr]", "[rpt:skip]",
		"[rptc:gone123]", "[location]", "[not a button]"} {
		inbound(e, conv, "b"+itoa(int64(i)), b)
	}
	page := html.UnescapeString(bodyOf(t, e.get(e.login(reviewerEmail), "/staff/tips/"+itoa(e.fx.tipID))))
	for _, want := range []string{">Sí</span>", ">Ana Example (C-100)</span>", ">Français</span>", ">Saltar</span>",
		">a case no longer kept</span>", "[location]", "[not a button]"} {
		if !strings.Contains(page, want) {
			t.Errorf("tip page lacks %q", want)
		}
	}
	for _, raw := range []string{"rpt:yes", "rptc:", "lang:fr", "rpt:skip"} {
		if strings.Contains(page, raw) {
			t.Errorf("tip page shows the internal value %q", raw)
		}
	}
	// The youth chat page (English) labels its own presses the same way.
	inbound(e, e.fx.chatID, "y2", "[need:shelter]")
	inbound(e, e.fx.chatID, "y3", "[menu]")
	page = html.UnescapeString(bodyOf(t, e.get(e.login(reviewerEmail), "/staff/chats/"+e.fx.chatPID)))
	label, _ := flows.OptionLabel("en", "need:shelter")
	for _, want := range []string{">" + label + "</span>", ">Start over</span>"} {
		if label == "" || !strings.Contains(page, want) {
			t.Errorf("chat page lacks %q", want)
		}
	}
	// The printable exports too.
	c := e.login(reviewerEmail)
	for path, want := range map[string]string{"/staff/chats/" + e.fx.chatPID + "/export.html": "[button] Start over",
		"/staff/tips/" + itoa(e.fx.tipID) + "/export.html": "[button] Ana Example (C-100)"} {
		if page := html.UnescapeString(bodyOf(t, e.get(c, path))); !strings.Contains(page, want) || strings.Contains(page, "[menu]") {
			t.Errorf("%s lacks %q", path, want)
		}
	}
}

// TestCannedRepliesFitSMS: every canned reply, in every language, with
// the header a reply carries, fits the SMS budget (the bulk reply sends
// them unchecked).
func TestCannedRepliesFitSMS(t *testing.T) {
	for _, r := range cannedReplies {
		for _, lang := range cannedLangs {
			text, _ := cannedText(r.ID, lang)
			body := sms.Render(flows.StaffReplyText(lang, "WWWWWWWW", text))
			if p := smsBudgetProblem(body); p != "" {
				t.Errorf("%s (%s): %s", r.ID, lang, p)
			}
		}
	}
}

// TestOptionLabel covers flows.OptionLabel's edges.
func TestOptionLabel(t *testing.T) {
	for _, tc := range []struct{ lang, v, want string }{
		{"fr", "rpt:yes", "Oui"}, {"es", "rpt:no", "No"}, {"xx", "rpt:yes", "Yes"}, {"en", "more", "More"},
		{"es", "lang:en", "English"}, {"en", "lang:zz", ""}, {"en", "rptc:abc", ""}, {"en", "location", ""}, {"en", "", ""},
	} {
		if got, ok := flows.OptionLabel(tc.lang, tc.v); got != tc.want || ok != (tc.want != "") {
			t.Errorf("OptionLabel(%s, %s) = %q, %v; want %q", tc.lang, tc.v, got, ok, tc.want)
		}
	}
	if id, ok := flows.CaseOptionID("rptc:2z6v"); !ok || id != "2z6v" {
		t.Errorf("CaseOptionID: %q %v", id, ok)
	}
}

// TestAuditNamesTipsAndCases: audit rows name a tip by its tip ID and a
// case by its number, each a link to its page; the detail's references
// too; an object no longer kept keeps its id; the filter takes a tip ID.
func TestAuditNamesTipsAndCases(t *testing.T) {
	e := newEnv(t)
	admin := e.login(adminEmail)
	e.get(admin, "/staff/tips/"+itoa(e.fx.tipID))
	e.get(admin, "/staff/cases/"+itoa(e.fx.caseID))
	e.get(admin, "/staff/chats/"+e.fx.chatPID)
	if r := e.post(admin, "/staff/tips/"+itoa(e.fx.tip2ID)+"/duplicate", url.Values{"of": {"TIPURG1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("duplicate: %d %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	if r := e.post(admin, "/staff/account/tokens/"+itoa(e.fx.adminTokenID)+"/revoke", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	e.exec(`INSERT INTO audit_log (action, object_type, object_id) VALUES ('tip.view', 'tip', '999999')`)
	page := html.UnescapeString(bodyOf(t, e.get(admin, "/staff/audit")))
	tip := `<a href="/staff/tips/` + itoa(e.fx.tipID) + `">tip TIPURG1</a>`
	for _, want := range []string{tip, `<a href="/staff/cases/` + itoa(e.fx.caseID) + `">case C-100</a>`,
		`<a href="/staff/tips/` + itoa(e.fx.tip2ID) + `">tip TIPOLD1</a>`, "of=" + tip,
		`<a href="/staff/chats/` + e.fx.chatPID + `">chat`, "tip 999999 (no longer kept)", ">" + adminEmail + "<", "second_factor_due=false"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %s", want)
		}
	}
	if !strings.Contains(page, "API token "+itoa(e.fx.adminTokenID)+"<") || strings.Contains(page, "api_token") {
		t.Error("an API token is not named by its id")
	}
	if strings.Contains(page, "tip "+itoa(e.fx.tipID)+"<") {
		t.Error("audit page still names a tip by its internal id")
	}
	filtered := bodyOf(t, e.get(admin, "/staff/audit?object=tipurg1"))
	if !strings.Contains(filtered, "tip TIPURG1") || strings.Contains(filtered, "case C-100") || strings.Contains(filtered, "TIPOLD1</a></td>") {
		t.Errorf("filter by tip ID:\n%s", filtered)
	}
	if filtered := bodyOf(t, e.get(admin, "/staff/audit?object=c-100")); !strings.Contains(filtered, "case C-100") {
		t.Error("filter by case number finds nothing")
	}
}

// TestPosterLanguages: the poster shows the number to text and the case
// keyword in English, Spanish and French, each keyword one the flows read
// in that language; without a number it says how to set one.
func TestPosterLanguages(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	path := "/staff/cases/" + itoa(e.fx.caseID) + "/poster"
	for lang, want := range map[string][]string{
		"en": {`lang="en"`, "MISSING", "Text <strong>SEEN C-100</strong> to <strong class=\"number\">555-000-1111</strong>", "Call 911"},
		"es": {`lang="es"`, "DESAPARECIDO/A", "Envíe <strong>VISTO C-100</strong> por SMS al <strong class=\"number\">555-000-1111</strong>", "Llame al 911"},
		"fr": {`lang="fr"`, "DISPARU(E)", "Envoyez <strong>VU C-100</strong> par SMS au <strong class=\"number\">555-000-1111</strong>", "Appelez le 911"},
	} {
		page := html.UnescapeString(bodyOf(t, e.get(c, path+"?lang="+lang)))
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s poster lacks %q", lang, w)
			}
		}
		if strings.Contains(page, "no-sms-number") {
			t.Errorf("%s poster says no number is set", lang)
		}
		kw, ok := flows.ParseKeyword(posterKeyword(lang, "C-100"))
		if !ok || kw.Action != flows.ActSeen || kw.Arg != "C-100" || (lang != "en" && kw.Lang != lang) {
			t.Errorf("%s keyword %q reads as %+v", lang, posterKeyword(lang, "C-100"), kw)
		}
	}
	if page := bodyOf(t, e.get(c, path+"?lang=de")); !strings.Contains(page, `lang="en"`) {
		t.Error("an unknown language is not English")
	}
	e2 := newEnv(t, func(d *Deps) { d.SMSNumber = "" })
	page := bodyOf(t, e2.get(e2.login(reviewerEmail), "/staff/cases/"+itoa(e2.fx.caseID)+"/poster?lang=fr"))
	if !strings.Contains(page, "SMS_PUBLIC_NUMBER") || strings.Contains(page, "poster-sms") {
		t.Error("without a number the poster neither hides the SMS line nor names SMS_PUBLIC_NUMBER")
	}
}

// TestPosterDates: the last-seen date is written in the poster's language.
func TestPosterDates(t *testing.T) {
	at := mustTime(t, "2026-12-04T15:04:00Z")
	for lang, want := range map[string]string{"en": "December 4, 2026, 3:04 PM", "es": "4 de diciembre de 2026, 15:04",
		"fr": "4 décembre 2026, 15 h 04"} {
		if got := posterTexts[lang].date(at, lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := displayNumber("+15550001111"); got != "555-000-1111" {
		t.Errorf("displayNumber: %q", got)
	}
	if got := displayNumber("741741"); got != "741741" {
		t.Errorf("displayNumber short code: %q", got)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
