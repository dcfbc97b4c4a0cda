package config

import (
	"strings"
	"time"
)

// HSDS is the Open Referral HSDS 3.0 API the directory is pulled from
// (docs/design.md "The directory"): off when URL is "".
type HSDS struct {
	URL   string        // HSDS_API_URL: the API's base URL (its /services lists services)
	Token string        // HSDS_API_TOKEN: sent as a bearer token; secret
	Every time.Duration // HSDS_SYNC_EVERY: how often to pull, across all instances
}

// Enabled reports whether a sync is configured.
func (h HSDS) Enabled() bool { return h.URL != "" }

// loadHSDS reads the HSDS settings.
func loadHSDS(r *reader) HSDS {
	h := HSDS{Token: r.str("HSDS_API_TOKEN", ""), Every: r.duration("HSDS_SYNC_EVERY", 24*time.Hour)}
	if r.str("HSDS_API_URL", "") != "" {
		h.URL = strings.TrimRight(r.url("HSDS_API_URL", ""), "/")
	}
	if h.Every < 5*time.Minute {
		r.bad("HSDS_SYNC_EVERY", "must be at least 5m")
	}
	if h.Token != "" && h.URL == "" {
		r.bad("HSDS_API_TOKEN", "is set but HSDS_API_URL is not")
	}
	return h
}

// rows writes the HSDS settings for String, the token masked.
func (h HSDS) rows(row func(k, v string)) {
	token := ""
	if h.Token != "" {
		token = "***"
	}
	row("HSDS_API_URL", h.URL)
	row("HSDS_API_TOKEN", token)
	row("HSDS_SYNC_EVERY", h.Every.String())
}
