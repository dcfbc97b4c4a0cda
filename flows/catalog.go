package flows

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Langs are the languages every catalogue must cover, default first.
var Langs = []string{"en", "es", "fr"}

// catalogFS holds the message catalogues: catalog/<lang>/<flow>.json, each
// a flat JSON object of key → text. All files of a language are merged, so
// a flow adds its own file (catalog/<lang>/report.json) without touching
// the others; a key defined twice in one language is an error.
//
//go:embed catalog
var catalogFS embed.FS

// Catalog is the merged message catalogue: language → key → text. Texts
// hold {placeholders} that are filled when the message is built; they never
// hold phone numbers, short codes or text keywords, which come from the
// resource directory.
type Catalog map[string]map[string]string

// messages is the catalogue every flow speaks from.
var messages = mustLoadCatalog(catalogFS)

// LoadCatalog reads every catalog/<lang>/*.json file of fsys and merges the
// files of each language.
func LoadCatalog(fsys fs.FS) (Catalog, error) {
	files, err := fs.Glob(fsys, "catalog/*/*.json")
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	sort.Strings(files)
	c := Catalog{}
	for _, name := range files {
		lang := path.Base(path.Dir(name))
		if err := c.merge(fsys, name, lang); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// merge adds one catalogue file to language lang.
func (c Catalog) merge(fsys fs.FS, name, lang string) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("catalog %s: %w", name, err)
	}
	if c[lang] == nil {
		c[lang] = map[string]string{}
	}
	for k, v := range m {
		if _, dup := c[lang][k]; dup {
			return fmt.Errorf("catalog %s: key %q already defined for %s", name, k, lang)
		}
		c[lang][k] = v
	}
	return nil
}

func mustLoadCatalog(fsys fs.FS) Catalog {
	c, err := LoadCatalog(fsys)
	if err != nil {
		panic(err) // the catalogue is embedded: a broken one is a build error
	}
	return c
}

// Messages returns the embedded, merged catalogue (for tests and tools).
func Messages() Catalog { return messages }

var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

// Placeholders returns the sorted, distinct {placeholders} of text.
func Placeholders(text string) []string {
	found := placeholderRE.FindAllString(text, -1)
	sort.Strings(found)
	out := found[:0]
	for i, p := range found {
		if i == 0 || p != found[i-1] {
			out = append(out, p)
		}
	}
	return out
}

// Problems lists every key missing or empty in a language, and every key
// whose placeholders differ from the English text. Empty means the
// catalogue is complete.
func (c Catalog) Problems() []string {
	keys := map[string]bool{}
	for _, m := range c {
		for k := range m {
			keys[k] = true
		}
	}
	var out []string
	for k := range keys {
		want := strings.Join(Placeholders(c["en"][k]), ",")
		for _, lang := range Langs {
			v, ok := c[lang][k]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s: %q missing", lang, k))
			case strings.TrimSpace(v) == "":
				out = append(out, fmt.Sprintf("%s: %q empty", lang, k))
			case strings.Join(Placeholders(v), ",") != want:
				out = append(out, fmt.Sprintf("%s: %q placeholders %v, en has %v", lang, k, Placeholders(v), want))
			}
		}
	}
	sort.Strings(out)
	return out
}

// Text returns the message key in lang with its placeholders filled from
// args, given as name, value pairs ("emergency", "911"). A language without
// the key falls back to English.
func (c Catalog) Text(lang, key string, args ...string) string {
	s, ok := c[lang][key]
	if !ok {
		s = c["en"][key]
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	return fill(s, args)
}

// fill replaces each {name} in s with the value that follows name in args
// (name, value pairs; the first pair wins), in one pass: a value is never
// read again for placeholders, and a placeholder with no pair stays as it is.
func fill(s string, args []string) string {
	var b strings.Builder
	b.Grow(len(s) + 32)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '}')
		if j < 0 {
			break
		}
		name, val, ok := s[i+1:i+1+j], "", false
		for k := 0; k+1 < len(args) && !ok; k += 2 {
			val, ok = args[k+1], args[k] == name
		}
		if !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(val)
		s = s[i+2+j:]
	}
	b.WriteString(s)
	return b.String()
}

// normalized is every catalogue text after Normalize, by language and key,
// for comparing what a user typed with a label (built on first use).
var normalized = sync.OnceValue(func() map[string]map[string]string {
	out := make(map[string]map[string]string, len(messages))
	for lang, texts := range messages {
		out[lang] = make(map[string]string, len(texts))
		for k, v := range texts {
			out[lang][k] = Normalize(v)
		}
	}
	return out
})

// normText is Normalize(messages.Text(lang, key)) without placeholders,
// from the table built once.
func normText(lang, key string) string {
	if n, ok := normalized()[lang][key]; ok {
		return n
	}
	return normalized()["en"][key]
}
