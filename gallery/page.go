package gallery

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"tipline/flows"
	"tipline/store"
)

//go:embed assets
var assets embed.FS

var pageTmpl = template.Must(template.ParseFS(assets, "assets/gallery.html"))

// card is one case as the page shows it: only what the family agreed to,
// and the three ways to report.
type card struct {
	store.GalleryCase
	LastSeen string       // the date, in the page's language
	ChatURL  string       // /chat?case=<public id>
	Keyword  string       // SEEN <case number>, in the page's language
	SMSURL   template.URL // sms: link with the keyword as body; "" without a number
	Phone    string       // the number to text, as people read it
	TgURL    string       // https://t.me/<bot>?start=case_<public id>; "" without Telegram
}

// page is what the template gets.
type page struct {
	Lang   string
	T      text
	Cards  []card
	Single bool // one case's page (a link back to all)
	Langs  []langChoice
}

// langChoice is one language the page offers.
type langChoice struct {
	Lang, Name, URL string
	Current         bool
}

// render writes the gallery page for cases.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, cases []store.GalleryCase, single bool) {
	lang := pickLang(r)
	p := page{Lang: lang, T: texts[lang], Single: single}
	bot := ""
	if h.cfg.BotUsername != nil {
		bot = strings.TrimPrefix(h.cfg.BotUsername(r.Context()), "@")
	}
	for _, c := range cases {
		p.Cards = append(p.Cards, h.card(c, lang, bot))
	}
	for _, l := range langs {
		p.Langs = append(p.Langs, langChoice{Lang: l, Name: texts[l].Name, Current: l == lang,
			URL: r.URL.Path + "?lang=" + l})
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, p); err != nil {
		slog.Warn("gallery page", "err", err)
		serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// card builds one case's card.
func (h *Handler) card(c store.GalleryCase, lang, bot string) card {
	t := texts[lang]
	k := card{GalleryCase: c, ChatURL: "/chat?case=" + url.QueryEscape(c.PublicID),
		Keyword: flows.SeenKeyword(lang) + " " + c.Number}
	if c.LastSeenAt != nil {
		k.LastSeen = t.date(c.LastSeenAt.In(h.cfg.Location))
	}
	if n := h.cfg.SMSNumber; n != "" {
		k.Phone = displayNumber(n)
		// ?&body= is read by both Android (?body=) and iOS (&body=).
		k.SMSURL = template.URL("sms:" + url.PathEscape(n) + "?&body=" + url.QueryEscape(k.Keyword))
	}
	if bot != "" {
		k.TgURL = "https://t.me/" + url.PathEscape(bot) + "?start=case_" + url.QueryEscape(c.PublicID)
	}
	return k
}

// style serves the page's style sheet (the CSP allows no inline style).
func (h *Handler) style(w http.ResponseWriter, _ *http.Request) {
	b, err := assets.ReadFile("assets/gallery.css")
	if err != nil {
		serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	_, _ = w.Write(b)
}

// notFoundPage is the 404 for every case the gallery does not show.
const notFoundPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow, noarchive"><meta name="referrer" content="no-referrer">
<title>Not found</title><link rel="stylesheet" href="/cases/gallery.css"></head>
<body><main><h1>Not found</h1><p>There is nothing here. <a href="/cases">Missing children</a></p></main></body></html>
`
