package flows

import (
	"strings"

	"tipline/directory"
)

// supported are the countries the directory has national lines for;
// anywhere else, or unknown, gets the US lines plus the "outside the US,
// Canada or Mexico" line (DESIGN.md rule 3).
var supported = map[string]bool{"US": true, "CA": true, "MX": true}

// country decides the sender's country (DESIGN.md rule 3): the provider's
// (Twilio FromCountry), else a place the user gave, else the region part of
// Telegram's language_code as a weak hint. "" means unknown.
func (t *turn) country() string {
	if c := strings.ToUpper(strings.TrimSpace(t.in.Country)); c != "" {
		return c
	}
	if t.st.Country != "" {
		return t.st.Country
	}
	return hintCountry(t.in.LangHint)
}

// hintCountry reads a country from an IETF language tag such as "fr-CA".
// A bare language says nothing about the country: French is spoken in
// France too, Spanish in twenty countries.
func hintCountry(tag string) string {
	_, region, ok := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	region = strings.ToUpper(region)
	if !ok || !supported[region] {
		return ""
	}
	return region
}

// lineCountry is the country whose lines are shown, and whether the
// "outside the US, Canada or Mexico" line must be added.
func (t *turn) lineCountry() (country string, outside bool) {
	c := t.country()
	if supported[c] {
		return c, false
	}
	return "US", true
}

// emergency returns the emergency number to show, from the directory.
func (t *turn) emergency() string {
	c, _ := t.lineCountry()
	return t.e.Dir.Emergency(c).Phone
}

// resources looks up directory records by id, keeping the verified ones
// that have something to show.
func (t *turn) resources(ids []string) []directory.Resource {
	var out []directory.Resource
	for _, id := range ids {
		if r, ok := t.e.Dir.Get(id); ok && reachable(r) {
			out = append(out, r)
		}
	}
	return out
}

// reachable reports whether r has a contact a user can use.
func reachable(r directory.Resource) bool {
	return r.Phone != "" || r.SMSNumber != "" || r.ChatURL != "" || r.URL != ""
}

// contactLine renders one resource as a line: name, how to reach it
// (call, text with keyword, chat), then hours and languages when full.
func (t *turn) contactLine(r directory.Resource, full bool) string {
	parts := []string{t.howToReach(r, full)}
	if full {
		if h := t.hours(r.Hours); h != "" {
			parts = append(parts, h)
		}
		if l := t.languages(r.Languages); l != "" {
			parts = append(parts, l)
		}
		if r.Local && r.Address != "" {
			parts = append(parts, t.text("res.address", "address", r.Address))
		}
	}
	return "- " + r.Name + ": " + strings.Join(parts, "; ") + "."
}

// resourceBlocks renders resources as blocks under a heading; the heading
// is glued to the first one so that a page never ends with a heading.
func (t *turn) resourceBlocks(headingKey string, rs []directory.Resource, full bool) []string {
	if len(rs) == 0 {
		return nil
	}
	blocks := make([]string, 0, len(rs))
	for _, r := range rs {
		blocks = append(blocks, t.contactLine(r, full))
	}
	blocks[0] = t.text(headingKey) + "\n" + blocks[0]
	return blocks
}

// howToReach lists the ways to contact r, as the directory shows them.
func (t *turn) howToReach(r directory.Resource, withChat bool) string {
	var ways []string
	sameNumber := r.Phone != "" && directory.Digits(r.Phone) == directory.Digits(r.SMSNumber) && r.SMSKeyword == ""
	switch {
	case sameNumber:
		ways = append(ways, t.text("res.call_text", "phone", r.Phone))
	case r.Phone != "":
		ways = append(ways, t.text("res.call", "phone", r.Phone))
	}
	switch {
	case sameNumber || r.SMSNumber == "":
	case r.SMSKeyword != "":
		ways = append(ways, t.text("res.text_keyword", "keyword", r.SMSKeyword, "number", r.SMSNumber))
	default:
		ways = append(ways, t.text("res.text", "number", r.SMSNumber))
	}
	if r.ChatURL != "" && (withChat || len(ways) == 0) {
		ways = append(ways, t.text("res.chat", "url", r.ChatURL))
	}
	if len(ways) == 0 && r.URL != "" {
		ways = append(ways, t.text("res.web", "url", r.URL))
	}
	return strings.Join(ways, ", ")
}

// hours shows a resource's hours: "24/7" in the user's language when the
// directory says so, otherwise the directory's text without its notes.
func (t *turn) hours(h string) string {
	h = strings.TrimSpace(h)
	low := strings.ToLower(h)
	switch {
	case h == "":
		return ""
	case strings.HasPrefix(low, "24/7"), strings.HasPrefix(low, "24 hours"), strings.HasPrefix(low, "24h"):
		return t.text("res.hours_always")
	}
	if i := strings.Index(h, " ("); i > 0 {
		h = h[:i]
	}
	if i := strings.Index(h, ";"); i > 0 {
		h = h[:i]
	}
	return h
}

// languages names the languages a resource speaks, in the user's language.
func (t *turn) languages(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := messages.Text(t.lang(), "langname."+c); n != "" {
			names = append(names, n)
		} else {
			names = append(names, strings.ToUpper(c))
		}
	}
	return t.text("res.langs", "langs", strings.Join(names, ", "))
}
