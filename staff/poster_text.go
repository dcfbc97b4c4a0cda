package staff

import (
	"strconv"
	"strings"
	"time"

	"tipline/flows"
)

// posterLangs are the languages a case poster is printed in, in the order
// the poster page offers them.
var posterLangs = []string{"en", "es", "fr"}

// posterText is the fixed wording of a case poster in one language. The
// public is addressed formally (usted, vous).
type posterText struct {
	Name      string // the language's own name, for the language choice
	Missing   [3]string
	Seen      string
	Danger    string
	TextPre   string // before the keyword
	TextTo    string // between the keyword and the number
	Telegram  string
	LastSeen  string
	Case      string
	PhotoAlt  string
	QRAlt     string
	Months    [12]string
	DateOrder string // "mdy" (December 4, 2026) or "dmy" (4 décembre 2026)
}

// posterTexts holds the poster's wording per language. Missing is the
// headline for a girl, a boy, and anyone else (Spanish and French agree
// with the child).
var posterTexts = map[string]posterText{
	"en": {Name: "English", Missing: [3]string{"MISSING", "MISSING", "MISSING"},
		Seen: "Seen this child? Tell us, confidentially.", Danger: "In danger right now? Call 911.",
		TextPre: "Text", TextTo: "to", Telegram: "Or on Telegram:", LastSeen: "Last seen:", Case: "Case",
		PhotoAlt: "Photo of", QRAlt: "QR code opening the report on Telegram",
		Months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December"}, DateOrder: "mdy"},
	"es": {Name: "Español", Missing: [3]string{"DESAPARECIDA", "DESAPARECIDO", "DESAPARECIDO/A"},
		Seen: "¿Ha visto a esta persona? Avísenos de forma confidencial.", Danger: "¿Está en peligro ahora mismo? Llame al 911.",
		TextPre: "Envíe", TextTo: "por SMS al", Telegram: "O por Telegram:", LastSeen: "Lugar y fecha de desaparición:",
		Case: "Caso", PhotoAlt: "Foto de", QRAlt: "Código QR que abre el reporte en Telegram",
		Months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
			"septiembre", "octubre", "noviembre", "diciembre"}, DateOrder: "dmy"},
	"fr": {Name: "Français", Missing: [3]string{"DISPARUE", "DISPARU", "DISPARU(E)"},
		Seen:   "Vous avez vu cette personne\u00a0? Dites-le-nous en toute confidentialité.",
		Danger: "Un danger immédiat\u00a0? Appelez le 911.", TextPre: "Envoyez", TextTo: "par SMS au",
		Telegram: "Ou sur Telegram\u00a0:", LastSeen: "Lieu et date de disparition\u00a0:", Case: "Dossier",
		PhotoAlt: "Photo de", QRAlt: "Code QR qui ouvre le signalement sur Telegram",
		Months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"}, DateOrder: "dmy"},
}

// posterLang reads the poster's language from ?lang=, English by default.
func posterLang(q string) string {
	if _, ok := posterTexts[q]; ok {
		return q
	}
	return "en"
}

// missingWord is the headline for a child of the given sex (free text on
// the case: "F", "female", "niña"…).
func (p posterText) missingWord(sex string) string {
	switch strings.ToLower(strings.TrimSpace(sex)) {
	case "f", "female", "girl", "woman", "femme", "fille", "mujer", "niña", "nina", "femenino", "féminin":
		return p.Missing[0]
	case "m", "male", "boy", "man", "homme", "garçon", "garcon", "hombre", "niño", "nino", "masculino", "masculin":
		return p.Missing[1]
	}
	return p.Missing[2]
}

// date writes t as a poster does: "December 4, 2026, 3:04 PM" in English,
// "4 de diciembre de 2026, 15:04" in Spanish, "4 décembre 2026, 15 h 04"
// in French.
func (p posterText) date(t time.Time, lang string) string {
	day, month, year := strconv.Itoa(t.Day()), p.Months[t.Month()-1], strconv.Itoa(t.Year())
	switch lang {
	case "es":
		return day + " de " + month + " de " + year + ", " + t.Format("15:04")
	case "fr":
		return day + " " + month + " " + year + ", " + t.Format("15") + " h " + t.Format("04")
	}
	return month + " " + day + ", " + year + ", " + t.Format("3:04 PM")
}

// posterKeyword is what a tipster texts for a case in lang: "SEEN C-100",
// "VISTO C-100", "VU C-100" (the flows read each, and take the language
// from it).
func posterKeyword(lang, number string) string {
	return flows.SeenKeyword(lang) + " " + number
}

// displayNumber writes the number to text as people read it: a North
// American E.164 number as 555-000-1111, a short code or any other number
// as it is.
func displayNumber(n string) string {
	if d, ok := strings.CutPrefix(n, "+1"); ok && len(d) == 10 && strings.Trim(d, "0123456789") == "" {
		return d[:3] + "-" + d[3:6] + "-" + d[6:]
	}
	return n
}
