package staff

import (
	"fmt"
	"strings"

	"rsc.io/qr"

	"tipline"
	"tipline/store"
)

// poster is what the printable poster shows.
type poster struct {
	Case      store.DashCase
	DeepLink  string // https://t.me/<bot>?start=case_<public id>; "" without Telegram
	Keyword   string // SEEN <case number>, in the poster's language
	SMSNumber string // the number to text, as people read it; "" when none is set
	Published bool
	Lang      string
	T         posterText
	Missing   string // the headline
	LastSeen  string // the date last seen, in the poster's language
	Langs     []posterChoice
}

// posterChoice is one language the poster page offers.
type posterChoice struct {
	Lang, Name string
	Current    bool
}

// casePoster is a printable poster in English, Spanish or French (?lang=):
// photo, description, the Telegram deep link as a QR code and in large
// text, and the SMS keyword with the number to text.
func (db *Dashboard) casePoster(c *reqCtx) error {
	p, err := db.loadPoster(c)
	if err != nil {
		return err
	}
	return c.renderBare("poster", p)
}

func (db *Dashboard) loadPoster(c *reqCtx) (poster, error) {
	id, err := c.pathID("id")
	if err != nil {
		return poster{}, err
	}
	cs, err := db.store.Case(c.ctx(), id)
	if err != nil {
		return poster{}, err
	}
	lang := posterLang(c.r.URL.Query().Get("lang"))
	t := posterTexts[lang]
	p := poster{Case: cs, Keyword: posterKeyword(lang, cs.Number), SMSNumber: displayNumber(db.d.SMSNumber),
		Published: cs.Public && cs.Status == "active", Lang: lang, T: t, Missing: t.missingWord(cs.Sex)}
	if cs.LastSeenAt != nil {
		p.LastSeen = t.date(cs.LastSeenAt.In(db.d.Location), lang)
	}
	for _, l := range posterLangs {
		p.Langs = append(p.Langs, posterChoice{Lang: l, Name: posterTexts[l].Name, Current: l == lang})
	}
	if bot := strings.TrimPrefix(db.d.BotUsername(c.ctx()), "@"); bot != "" {
		p.DeepLink = "https://t.me/" + bot + "?start=case_" + cs.PublicID
	}
	return p, nil
}

// caseQR draws the poster's deep link as an SVG QR code.
func (db *Dashboard) caseQR(c *reqCtx) error {
	p, err := db.loadPoster(c)
	if err != nil {
		return err
	}
	if p.DeepLink == "" {
		return tipline.Errorf(tipline.ENotFound, "Telegram is not configured")
	}
	svg, err := qrSVG(p.DeepLink)
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "image/svg+xml")
	_, err = c.w.Write([]byte(svg))
	return err
}

// qrSVG renders text as a QR code (error correction M) with a quiet zone.
func qrSVG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
