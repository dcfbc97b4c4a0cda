package config

import (
	"net/url"
	"strings"
)

// DefaultWebChatExitURL is where quick exit goes when WEBCHAT_EXIT_URL is
// unset: a neutral public page (a weather search).
const DefaultWebChatExitURL = "https://www.google.com/search?q=weather"

// WebChat is the web chat's settings (docs/design.md section 9).
type WebChat struct {
	// Enabled serves /chat (WEBCHAT_ENABLED; dev: on, serve: off).
	Enabled bool
	// Origins are the sites allowed to embed the widget (WEBCHAT_ORIGINS),
	// as scheme://host[:port], for the page's frame-ancestors.
	Origins []string
	// ExitURL is where quick exit sends the browser (WEBCHAT_EXIT_URL).
	ExitURL string
}

// loadWebChat reads the web chat settings.
func loadWebChat(r *reader, mode Mode) WebChat {
	w := WebChat{Enabled: r.boolean("WEBCHAT_ENABLED", mode == ModeDev),
		ExitURL: r.url("WEBCHAT_EXIT_URL", DefaultWebChatExitURL)}
	for _, o := range r.list("WEBCHAT_ORIGINS") {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			strings.TrimRight(u.Path, "/") != "" || u.RawQuery != "" || strings.ContainsAny(o, " ;,'\"*") {
			r.bad("WEBCHAT_ORIGINS", "each must be an origin such as https://www.example.org")
			continue
		}
		w.Origins = append(w.Origins, u.Scheme+"://"+u.Host)
	}
	return w
}

// rows writes the web chat settings for String.
func (w WebChat) rows(row func(k, v string)) {
	row("WEBCHAT_ENABLED", map[bool]string{true: "true", false: "false"}[w.Enabled])
	row("WEBCHAT_ORIGINS", strings.Join(w.Origins, ","))
	row("WEBCHAT_EXIT_URL", w.ExitURL)
}
