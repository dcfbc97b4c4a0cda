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
	Keyword   string // SEEN <case number>
	SMSNumber string
	Published bool
}

// casePoster is a printable poster: photo, description, the Telegram deep
// link as a QR code and in large text, and the SMS keyword.
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
	p := poster{Case: cs, Keyword: "SEEN " + cs.Number, SMSNumber: db.d.SMSNumber, Published: cs.Public && cs.Status == "active"}
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
