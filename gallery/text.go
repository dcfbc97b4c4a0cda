package gallery

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// langs are the gallery's languages, in the order the page offers them.
var langs = []string{"en", "es", "fr"}

// text is the gallery's wording in one language. The public is addressed
// formally (usted, vous).
type text struct {
	Name      string // the language's own name
	Title     string
	Intro     string
	Missing   string
	Age       string
	LastSeen  string
	Case      string
	Seen      string // the web chat link
	TextPre   string // before the SMS keyword
	TextTo    string // between the keyword and the number
	Telegram  string
	Danger    string
	Empty     string
	All       string
	PhotoAlt  string
	NoPhoto   string
	Months    [12]string
	DateOrder string // "mdy" or "dmy"
}

var texts = map[string]text{
	"en": {Name: "English", Title: "Missing children", Missing: "MISSING",
		Intro: "If you have seen one of these children, tell us. You can stay anonymous.",
		Age:   "Age", LastSeen: "Last seen", Case: "Case", Seen: "Seen this child?", TextPre: "Text",
		TextTo: "to", Telegram: "On Telegram", Danger: "If a child is in danger right now, call 911.",
		Empty: "No children are shown right now.", All: "All missing children", PhotoAlt: "Photo of",
		NoPhoto: "No photo", Months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"}, DateOrder: "mdy"},
	"es": {Name: "Español", Title: "Niñas, niños y adolescentes desaparecidos", Missing: "DESAPARECIDO/A",
		Intro: "Si ha visto a alguna de estas personas, avísenos. Puede hacerlo de forma anónima.",
		Age:   "Edad", LastSeen: "Visto/a por última vez", Case: "Caso", Seen: "¿Ha visto a esta persona?",
		TextPre: "Envíe", TextTo: "por SMS al", Telegram: "Por Telegram",
		Danger: "Si alguien está en peligro ahora mismo, llame al 911.", Empty: "No hay casos publicados ahora.",
		All: "Todos los casos", PhotoAlt: "Foto de", NoPhoto: "Sin foto",
		Months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
			"septiembre", "octubre", "noviembre", "diciembre"}, DateOrder: "dmy"},
	"fr": {Name: "Français", Title: "Enfants disparus", Missing: "DISPARU(E)",
		Intro: "Si vous avez vu l’un de ces enfants, dites-le-nous. Vous pouvez rester anonyme.",
		Age:   "Âge", LastSeen: "Vu(e) pour la dernière fois", Case: "Dossier",
		Seen: "Vous avez vu cet enfant\u00a0?", TextPre: "Envoyez", TextTo: "par SMS au", Telegram: "Sur Telegram",
		Danger: "Un enfant en danger immédiat\u00a0? Appelez le 911.", Empty: "Aucun enfant n’est affiché en ce moment.",
		All: "Tous les enfants disparus", PhotoAlt: "Photo de", NoPhoto: "Pas de photo",
		Months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"}, DateOrder: "dmy"},
}

// pickLang takes ?lang= when it names a language, else the first of the
// browser's languages the gallery has, else English.
func pickLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); texts[l].Name != "" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if texts[base].Name != "" {
			return base
		}
	}
	return "en"
}

// date writes a date (no time: the hour a child was last seen is not
// public) in the language's order.
func (t text) date(d time.Time) string {
	day, month, year := strconv.Itoa(d.Day()), t.Months[d.Month()-1], strconv.Itoa(d.Year())
	if t.DateOrder == "mdy" {
		return month + " " + day + ", " + year
	}
	return day + " " + month + " " + year
}

// displayNumber writes the number to text as people read it: a North
// American E.164 number as 555-000-1111, any other as it is.
func displayNumber(n string) string {
	if d, ok := strings.CutPrefix(n, "+1"); ok && len(d) == 10 && strings.Trim(d, "0123456789") == "" {
		return d[:3] + "-" + d[3:6] + "-" + d[6:]
	}
	return n
}
