package hsds

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tipline/directory"
)

// Client pulls services from an Open Referral HSDS 3.0 API: the paginated
// GET /services (asking for full services), GET /services/{id} for a
// listed service that came without its related objects, and GET
// /organizations/{id} for an organization given by id only.
type Client struct {
	BaseURL string       // e.g. https://api.example.org/hsds (no trailing /services)
	Token   string       // sent as "Authorization: Bearer"; "" sends none
	HTTP    *http.Client // nil: a client with a 30 s timeout
	PerPage int          // 0: 100
}

// page is the HSDS 3.0 API's Page object.
type page struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	FirstPage  bool              `json:"first_page"`
	LastPage   bool              `json:"last_page"`
	Empty      bool              `json:"empty"`
	Contents   []json.RawMessage `json:"contents"`
}

// maxPages and maxBody bound what one sync reads.
const (
	maxPages = 10000
	maxBody  = 32 << 20
)

// nested are the keys of a full service's related objects.
var nested = []string{"phones", "schedules", "service_areas", "service_at_locations", "languages", "organization", "attributes"}

// Services returns every service the API lists, with related objects.
func (c *Client) Services(ctx context.Context) ([]Service, error) {
	var out []Service
	orgs := map[string]*Organization{}
	for n := 1; n <= maxPages; n++ {
		var p page
		q := url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(c.perPage())}, "full": {"true"}}
		if err := c.get(ctx, "/services?"+q.Encode(), &p); err != nil {
			return nil, err
		}
		for _, raw := range p.Contents {
			s, err := c.service(ctx, raw, orgs)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		if p.LastPage || p.Empty || len(p.Contents) == 0 || (p.TotalPages > 0 && n >= p.TotalPages) {
			return out, nil
		}
	}
	return nil, fmt.Errorf("hsds api: more than %d pages", maxPages)
}

// service decodes one listed service, fetching the full one when the list
// gave only its own fields, and its organization when given by id.
func (c *Client) service(ctx context.Context, raw json.RawMessage, orgs map[string]*Organization) (Service, error) {
	var s Service
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return s, fmt.Errorf("hsds api: a listed service: %w", err)
	}
	full := false
	for _, k := range nested {
		if _, ok := keys[k]; ok {
			full = true
		}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("hsds api: a listed service: %w", err)
	}
	if !full && s.ID != "" {
		if err := c.get(ctx, "/services/"+url.PathEscape(s.ID), &s); err != nil {
			return s, err
		}
	}
	if s.Organization == nil && s.OrganizationID != "" {
		o, ok := orgs[s.OrganizationID]
		if !ok {
			o = &Organization{}
			if err := c.get(ctx, "/organizations/"+url.PathEscape(s.OrganizationID), o); err != nil {
				return s, err
			}
			orgs[s.OrganizationID] = o
		}
		s.Organization = o
	}
	return s, nil
}

func (c *Client) perPage() int {
	if c.PerPage > 0 {
		return c.PerPage
	}
	return 100
}

// get reads one JSON document from the API.
func (c *Client) get(ctx context.Context, path string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.BaseURL, "/")+path, nil)
	if err != nil {
		return fmt.Errorf("hsds api: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("hsds api: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("hsds api: GET %s: %s", strings.SplitN(path, "?", 2)[0], resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(into); err != nil {
		return fmt.Errorf("hsds api: GET %s: %w", strings.SplitN(path, "?", 2)[0], err)
	}
	return nil
}

// Resources returns the API's services as directory records: each
// unverified, its source the service's API address, a service that is not
// active Hidden. A service Tipline cannot read is left out and named in
// the warnings.
func (c *Client) Resources(ctx context.Context) ([]directory.Resource, []string, error) {
	ss, err := c.Services(ctx)
	if err != nil {
		return nil, nil, err
	}
	var out []directory.Resource
	var warn []string
	seen := map[string]bool{}
	for _, s := range ss {
		r, w, err := ToResource(s)
		warn = append(warn, w...)
		if err != nil {
			warn = append(warn, err.Error())
			continue
		}
		if seen[r.ID] {
			warn = append(warn, fmt.Sprintf("service %s listed twice", s.ID))
			continue
		}
		seen[r.ID] = true
		r.Verified, r.VerifiedBy, r.VerifiedAt, r.CheckedOn = false, "", time.Time{}, ""
		r.Source = strings.TrimRight(c.BaseURL, "/") + "/services/" + url.PathEscape(s.ID)
		out = append(out, r)
	}
	return out, warn, nil
}
