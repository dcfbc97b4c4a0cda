package flows

import (
	"fmt"
	"strings"
	"time"
)

// Day words of ParseWhen, folded, in English, Spanish and French.
var dayWords = map[string][]string{
	"today":     {"today", "tonight", "hoy", "aujourd", "aujourdhui"},
	"yesterday": {"yesterday", "ayer", "anoche", "hier"},
}

// Words for noon and midnight, folded.
var (
	noonWords     = []string{"noon", "midday", "mediodia", "midi"}
	midnightWords = []string{"midnight", "medianoche", "minuit"}
)

// monthNames are the months in English, Spanish and French, folded, with
// their usual abbreviations; index+1 is the month.
var monthNames = [12][]string{
	{"january", "jan", "enero", "ene", "janvier", "janv"},
	{"february", "feb", "febrero", "fevrier", "fev", "fevr"},
	{"march", "mar", "marzo", "mars"},
	{"april", "apr", "abril", "abr", "avril", "avr"},
	{"may", "mayo", "mai"},
	{"june", "jun", "junio", "juin"},
	{"july", "jul", "julio", "juillet", "juil"},
	{"august", "aug", "agosto", "ago", "aout"},
	{"september", "sep", "sept", "septiembre", "setiembre", "septembre"},
	{"october", "oct", "octubre", "octobre"},
	{"november", "nov", "noviembre", "novembre"},
	{"december", "dec", "diciembre", "dic", "decembre"},
}

// weekdayNames are Monday … Sunday in the three languages, folded.
var weekdayNames = [7][]string{
	{"monday", "mon", "lunes", "lundi"},
	{"tuesday", "tue", "tues", "martes", "mardi"},
	{"wednesday", "wed", "miercoles", "mercredi"},
	{"thursday", "thu", "thurs", "jueves", "jeudi"},
	{"friday", "fri", "viernes", "vendredi"},
	{"saturday", "sat", "sabado", "samedi"},
	{"sunday", "sun", "domingo", "dimanche"},
}

// monthOf returns 1..12 for a month word, 0 otherwise.
func monthOf(w string) int {
	for i, names := range monthNames {
		if contains(names, w) {
			return i + 1
		}
	}
	return 0
}

// weekdayOf returns 1..7 (Monday..Sunday) for a weekday word, 0 otherwise.
func weekdayOf(w string) int {
	for i, names := range weekdayNames {
		if contains(names, w) {
			return i + 1
		}
	}
	return 0
}

// shortMonths are the month abbreviations shown in summaries, as each
// language writes them (French: "4 déc.", never "4 dec").
var shortMonths = map[string][12]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"es": {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
}

// formatWhen shows a time back to the tipster: "Mar 14, 3:05 PM" in
// English, "14 mar 15:05" in Spanish, "14 mars 15h05" in French; a day
// alone (00:00) without the time, and the year when it is not now's.
func formatWhen(t time.Time, lang string, now time.Time) string {
	months, ok := shortMonths[lang]
	if !ok {
		lang, months = "en", shortMonths["en"]
	}
	mon := months[t.Month()-1]
	var day string
	if lang == "en" {
		day = fmt.Sprintf("%s %d", mon, t.Day())
	} else {
		day = fmt.Sprintf("%d %s", t.Day(), mon)
	}
	if t.Year() != now.Year() {
		day += fmt.Sprintf(" %d", t.Year())
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return day
	}
	switch lang {
	case "en":
		return day + ", " + t.Format("3:04 PM")
	case "fr":
		return day + " " + t.Format("15h04")
	}
	return day + " " + t.Format("15:04")
}

// reportWord is how a report keyword (ADD, STATUS) is written in lang: its
// "display" word in data/keywords.json, else the first word of its list
// there, in capitals.
func reportWord(lang string, a Action) string {
	if w := keywordData.Display[lang][string(a)]; w != "" {
		return w
	}
	list := map[Action]byLang{ActAdd: keywordData.Add, ActStatus: keywordData.Status}[a]
	if len(list[lang]) == 0 {
		lang = "en"
	}
	if len(list[lang]) == 0 {
		return ""
	}
	return strings.ToUpper(list[lang][0])
}
