package flows

import (
	"embed"
	"encoding/json"
	"fmt"
)

// dataFS holds the word and phrase lists the flows match against: they are
// data, reviewed like data, not code. data/README.md explains each file.
//
//go:embed data/*.json
var dataFS embed.FS

// byLang is a list of words or phrases per language.
type byLang map[string][]string

// keywordFile is data/keywords.json.
type keywordFile struct {
	OptOutCarrier byLang                       `json:"opt_out_carrier"`
	OptOut        byLang                       `json:"opt_out"`
	OptIn         byLang                       `json:"opt_in"`
	OptInWhenOut  byLang                       `json:"opt_in_when_out"`
	Help          byLang                       `json:"help"`
	Delete        byLang                       `json:"delete"`
	Menu          byLang                       `json:"menu"`
	Language      byLang                       `json:"language"`
	SetLang       byLang                       `json:"set_lang"`
	Report        byLang                       `json:"report"`
	Seen          byLang                       `json:"seen"`
	Add           byLang                       `json:"add"`
	Status        byLang                       `json:"status"`
	More          byLang                       `json:"more"`
	Skip          byLang                       `json:"skip"`
	Display       map[string]map[string]string `json:"display"`
}

// needsFile is data/needs.json.
type needsFile struct {
	Order    []string                       `json:"order"`
	Local    map[string][]string            `json:"local"`
	National map[string]map[string][]string `json:"national"`
	Words    map[string]byLang              `json:"words"`
	// HelpLines are the key lines the HELP keyword lists, per country.
	HelpLines map[string][]string `json:"help_lines"`
}

// loadJSON decodes one embedded data file.
func loadJSON(name string, v any) error {
	raw, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return fmt.Errorf("flows data: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("flows data %s: %w", name, err)
	}
	return nil
}

// mustJSON is loadJSON for package initialisation: the files are embedded,
// so a broken one is a build error that every test run reports.
func mustJSON[T any](name string) T {
	var v T
	if err := loadJSON(name, &v); err != nil {
		panic(err)
	}
	return v
}

var (
	keywordData = mustJSON[keywordFile]("keywords.json")
	needsData   = mustJSON[needsFile]("needs.json")
	langData    = mustJSON[langFile]("lang.json").byLang()
)

// langFile is data/lang.json.
type langFile struct {
	EN []string `json:"en"`
	ES []string `json:"es"`
	FR []string `json:"fr"`
}

func (f langFile) byLang() byLang { return byLang{"en": f.EN, "es": f.ES, "fr": f.FR} }
