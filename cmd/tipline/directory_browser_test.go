package main

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"tipline/config"
	"tipline/directory/hsds/hsdstest"
	"tipline/password"
	"tipline/schedule"
	"tipline/seal"
	"tipline/server"
	"tipline/store"
	"tipline/testdb"
)

// dirApp is the whole app as `tipline dev` wires it (dashboard, simulator,
// directory watch, scheduled jobs) on a fresh database, with the HSDS
// sync pointed at a local fake API, served on loopback.
type dirApp struct {
	app  *app
	sync schedule.Job // the HSDS sync, run by the test instead of the scheduler
	pool *store.Pool
	api  *hsdstest.Server
	url  string
}

const dirPassword = "correct horse battery staple"

func newDirApp(t *testing.T) *dirApp {
	t.Helper()
	api := hsdstest.New(t)
	env := map[string]string{"HSDS_API_URL": api.URL, "HSDS_SYNC_EVERY": "24h", "TIPLINE_SECRET_KEY": seal.GenerateKey()}
	cfg, err := config.Load(func(k string) string { return env[k] }, config.ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	pool := testdb.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := wire(ctx, cfg, pool, prometheus.NewRegistry(), true)
	if err != nil {
		t.Fatal(err)
	}
	d := &dirApp{app: a, pool: pool, api: api}
	jobs := a.jobs[:0]
	for _, j := range a.jobs {
		if j.Name == "hsds-sync" {
			d.sync = j
		} else {
			jobs = append(jobs, j)
		}
	}
	a.jobs = jobs
	for _, r := range a.runners {
		go r(ctx)
	}
	srv := httptest.NewServer(server.New(server.Options{Routes: a.routes}))
	t.Cleanup(func() { srv.Close(); cancel() })
	h, err := password.Hash(dirPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ana@example.org", "ben@example.org"} {
		if _, err := store.CreateStaff(context.Background(), pool, email, store.RoleReviewer, h); err != nil {
			t.Fatal(err)
		}
	}
	d.url = srv.URL
	return d
}

// runSync runs the HSDS sync once, as the scheduler would.
func (d *dirApp) runSync(t *testing.T) {
	t.Helper()
	if err := d.sync.Run(context.Background(), time.Now()); err != nil {
		t.Fatalf("hsds sync: %v", err)
	}
}

func dirBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test (-short)")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed and CI is set: the browser tests must run")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Flag("headless", true), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Listen(bctx, func(any) {}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 120*time.Second)
	t.Cleanup(func() { cancelT(); cancel(); cancelAlloc() })
	return ctx
}

func (d *dirApp) signIn(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(d.url+"/staff/login"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), dirPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("logout")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
}

func (d *dirApp) signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/staff/resources"), chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("email"))); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

// askAsYouth starts a new simulated conversation and asks for a safe
// place tonight in zip; it returns the bot's answer as SMS shows it.
func (d *dirApp) askAsYouth(t *testing.T, ctx context.Context, zip string) string {
	t.Helper()
	return d.youthSays(t, ctx, "hi", "1", "1", zip)
}

// youthSays starts a new simulated conversation, sends msgs one by one
// (each waiting for its answer) and returns the last answer as SMS shows it.
func (d *dirApp) youthSays(t *testing.T, ctx context.Context, msgs ...string) string {
	t.Helper()
	count := func() int {
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#sms-log li.msg.out").length`))
		return n
	}
	say := func(text string) {
		before := count()
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("text"), text), chromedp.Click(chromedp.ID("send"))); err != nil {
			t.Fatalf("send %q: %v", text, err)
		}
		for deadline := time.Now().Add(45 * time.Second); count() <= before; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no answer to %q", text)
			}
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/sim/"), chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.Click(chromedp.ID("new"))); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); count() > 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) { // the old conversation's log is cleared once the new one starts
			t.Fatal("the simulator kept the previous conversation")
		}
	}
	for _, s := range msgs {
		say(s)
	}
	last, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll("#sms-log li.msg.out .text")].pop().textContent`))
	if err != nil {
		t.Fatal(err)
	}
	return last
}

// shot saves a screenshot when TIPLINE_SHOTS names a folder (to look at
// the pages; never in CI).
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("TIPLINE_SHOTS")
	if dir == "" {
		return
	}
	if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644)
	}
}

// firstNearby returns the first line under "Near you:" of an answer.
func firstNearby(answer string) string {
	_, rest, ok := strings.Cut(answer, "Near you:")
	if !ok {
		return ""
	}
	for _, line := range strings.Split(rest, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "- ") {
			return line
		}
	}
	return ""
}

// proposeShelter fills the new resource form with a youth shelter in
// 77002 and proposes it.
func (d *dirApp) proposeShelter(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(d.url+"/staff/resources"),
		chromedp.Click(chromedp.ID("add-resource")),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		chromedp.SendKeys(chromedp.ID("f-name"), "Bayou Youth Shelter"),
		chromedp.SendKeys(chromedp.ID("f-organization"), "Bayou Family Services"),
		chromedp.SendKeys(chromedp.ID("f-categories"), "shelter, runaway"),
		chromedp.SendKeys(chromedp.ID("f-phone"), "(713) 555-0142"),
		chromedp.SendKeys(chromedp.ID("f-ages_min"), "12"),
		chromedp.SendKeys(chromedp.ID("f-ages_max"), "17"),
		chromedp.SendKeys(chromedp.ID("f-hours"), "24/7"),
		chromedp.SendKeys(chromedp.ID("f-schedule"), "daily 00:00-24:00"),
		chromedp.SendKeys(chromedp.ID("f-languages"), "en, es"),
		chromedp.Click(chromedp.ID("f-local")),
		chromedp.SendKeys(chromedp.ID("f-address"), "1200 Main St, Houston, TX 77002"),
		chromedp.SendKeys(chromedp.ID("f-place"), "77002"),
	)
	if err != nil {
		t.Fatalf("fill the form: %v", err)
	}
	shot(t, ctx, "resource-form")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("propose")),
		chromedp.WaitVisible(chromedp.ID("changes")),
	)
	if err != nil {
		t.Fatalf("propose the shelter: %v", err)
	}
}

// TestBrowserStaffAddsAYouthShelter is acceptance 1 of issue 16 in real
// Chromium: a staff member adds a youth shelter in ZIP 77002; until a
// second staff member verifies it, a youth asking in the simulator for a
// safe place in 77002 does not get it; once verified, the youth gets it
// first, and so does one who gives the ZIP in their first message; a youth
// in 10001 gets the "nothing listed near you" answer with the lines.
func TestBrowserStaffAddsAYouthShelter(t *testing.T) {
	ctx := dirBrowser(t)
	d := newDirApp(t)
	d.signIn(t, ctx, "ana@example.org")
	d.proposeShelter(t, ctx)
	str := func(v string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	shot(t, ctx, "resource-changes-mine")
	row := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#changes tbody tr"))))
	if !strings.Contains(row, "Bayou Youth Shelter") || !strings.Contains(row, "12-17") || !strings.Contains(row, "yours") {
		t.Fatalf("the change waiting: %q", row)
	}
	if a := d.askAsYouth(t, ctx, "77002"); strings.Contains(a, "Bayou") {
		t.Fatalf("an unverified shelter reached a youth:\n%s", a)
	}
	d.signOut(t, ctx)
	d.signIn(t, ctx, "ben@example.org")
	err := chromedp.Do(ctx,
		chromedp.Navigate(d.url+"/staff/resources/changes"),
		chromedp.Click(chromedp.CSS(`#changes input[name="id"]`)),
		chromedp.Click(chromedp.ID("verify-selected")),
		chromedp.WaitVisible(chromedp.ID("no-changes")),
	)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var answer string
	for try := 0; try < 3; try++ { // the directory reloads on the change's notification
		if answer = d.askAsYouth(t, ctx, "77002"); strings.Contains(answer, "Bayou") {
			break
		}
	}
	t.Logf("a youth in 77002 gets:\n%s", answer)
	if first := firstNearby(answer); !strings.Contains(first, "Bayou Youth Shelter") || !strings.Contains(first, "713-555-0142") &&
		!strings.Contains(first, "(713) 555-0142") {
		t.Fatalf("the verified shelter is not first near 77002:\n%s", answer)
	}
	if a := d.youthSays(t, ctx, "need somewhere to sleep in 77002"); !strings.Contains(firstNearby(a), "Bayou Youth Shelter") {
		t.Errorf("a youth giving 77002 in their first message does not get the shelter first:\n%s", a)
	}
	if a := d.askAsYouth(t, ctx, "10001"); strings.Contains(a, "Bayou") || !strings.Contains(a, "Nothing is listed near you") {
		t.Errorf("a youth in New York: want the honest 'nothing listed' answer with the lines:\n%s", a)
	}
}

// TestBrowserHSDSSyncReviewedInBulk is acceptance 2 of issue 16: a pull
// from the local fake HSDS 3.0 API brings the records unverified (a youth
// does not get them), the changes page shows the sync's status and each
// record's diff, one click verifies them all and publishes them; a
// service removed upstream is hidden at the next pull.
func TestBrowserHSDSSyncReviewedInBulk(t *testing.T) {
	ctx := dirBrowser(t)
	d := newDirApp(t)
	d.runSync(t)
	if a := d.askAsYouth(t, ctx, "77002"); strings.Contains(a, "Harbor") {
		t.Fatalf("an unverified synced record reached a youth:\n%s", a)
	}
	d.signIn(t, ctx, "ben@example.org")
	if err := chromedp.Do(ctx, chromedp.Navigate(d.url+"/staff/resources/changes"), chromedp.WaitVisible(chromedp.ID("changes"))); err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("sync-status")))
	if err != nil || !strings.Contains(status, "done") || !strings.Contains(status, "2 new") {
		t.Fatalf("sync status: %q %v", status, err)
	}
	shot(t, ctx, "resource-changes-sync")
	shelter := `#changes tr[data-change="hsds-` + hsdstest.ShelterID + `"]`
	row, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(shelter)))
	if err != nil || !strings.Contains(row, "HSDS sync") || !strings.Contains(row, "12-17") || !strings.Contains(row, "(713) 555-0142") {
		t.Fatalf("the shelter's diff: %q %v", row, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("verify-all")), chromedp.WaitVisible(chromedp.ID("no-changes"))); err != nil {
		t.Fatalf("verify all: %v", err)
	}
	var answer string
	for try := 0; try < 3; try++ {
		if answer = d.askAsYouth(t, ctx, "77002"); strings.Contains(answer, "Harbor") {
			break
		}
	}
	if !strings.Contains(firstNearby(answer), "Harbor Youth Shelter") {
		t.Fatalf("the verified synced shelter is not first near 77002:\n%s", answer)
	}
	d.api.Remove(hsdstest.ShelterID)
	d.runSync(t)
	r, err := store.GetResource(context.Background(), d.pool, "hsds-"+hsdstest.ShelterID)
	if err != nil || !r.Hidden {
		t.Fatalf("a service removed upstream is not hidden: %+v %v", r, err)
	}
}
