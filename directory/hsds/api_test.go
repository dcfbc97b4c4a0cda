package hsds

import (
	"context"
	"strings"
	"testing"

	"tipline/directory/hsds/hsdstest"
)

// TestClientPullsEveryPage: the client reads every page of /services,
// fetches a service listed without its related objects whole, and its
// organization given by id; the token goes as a bearer token.
func TestClientPullsEveryPage(t *testing.T) {
	api := hsdstest.New(t)
	api.Token = "s3cret"
	c := &Client{BaseURL: api.URL + "/", Token: "s3cret", PerPage: 2}
	rs, warn, err := c.Resources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || len(warn) != 1 || !strings.Contains(warn[0], "temporarily closed") {
		t.Fatalf("%d records, warnings %q", len(rs), warn)
	}
	byID := map[string]int{}
	for i, r := range rs {
		byID[r.ID] = i
		if r.Verified || !strings.HasPrefix(r.Source, api.URL+"/services/") {
			t.Errorf("%s: verified %v, source %q", r.ID, r.Verified, r.Source)
		}
	}
	sh := rs[byID["hsds-"+hsdstest.ShelterID]]
	if !sh.Local || sh.Point == nil || sh.AgesMin != 12 || sh.AgesMax != 17 || sh.SMSKeyword != "SAFE" ||
		sh.Organization != "Harbor Family Services" || strings.Join(sh.Categories, ",") != "shelter,runaway" || len(sh.Schedule) != 1 || sh.Schedule[0].Closes != "24:00" ||
		!sh.ServesMinors() || sh.Phone != "(713) 555-0142" || sh.PhoneE164 != "+17135550142" {
		t.Errorf("shelter: %+v", sh)
	}
	d := rs[byID["hsds-"+hsdstest.DropInID]]
	if d.Phone == "" || d.Organization != "Bayou Community Network" || d.Address == "" || len(d.Schedule) != 1 {
		t.Errorf("drop-in (fetched whole): %+v", d)
	}
	if p := rs[byID["hsds-"+hsdstest.PantryID]]; !p.Hidden {
		t.Errorf("a temporarily closed service must come hidden: %+v", p)
	}
	c.Token = "wrong"
	if _, _, err := c.Resources(context.Background()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong token: %v", err)
	}
}
