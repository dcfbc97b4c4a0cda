package directory

import "strings"

// usStates maps the US states, DC and the inhabited territories to their
// names in English, Spanish and French (folded: lower case, no accents,
// punctuation as spaces). The two-letter code matches too.
var usStates = map[string][]string{
	"AL": {"alabama"}, "AK": {"alaska"}, "AZ": {"arizona"}, "AR": {"arkansas"},
	"CA": {"california", "californie"}, "CO": {"colorado"}, "CT": {"connecticut"},
	"DE": {"delaware"}, "FL": {"florida", "floride"}, "GA": {"georgia", "georgie"},
	"HI": {"hawaii", "hawai"}, "ID": {"idaho"}, "IL": {"illinois"}, "IN": {"indiana"},
	"IA": {"iowa"}, "KS": {"kansas"}, "KY": {"kentucky"}, "LA": {"louisiana", "luisiana", "louisiane"},
	"ME": {"maine"}, "MD": {"maryland"}, "MA": {"massachusetts"}, "MI": {"michigan"},
	"MN": {"minnesota"}, "MS": {"mississippi", "misisipi"}, "MO": {"missouri", "misuri"},
	"MT": {"montana"}, "NE": {"nebraska"}, "NV": {"nevada"},
	"NH": {"new hampshire", "nuevo hampshire"}, "NJ": {"new jersey", "nueva jersey"},
	"NM": {"new mexico", "nuevo mexico", "nouveau mexique"},
	"NY": {"new york", "nueva york", "estado de nueva york", "etat de new york"},
	"NC": {"north carolina", "carolina del norte", "caroline du nord"},
	"ND": {"north dakota", "dakota del norte", "dakota du nord"}, "OH": {"ohio"},
	"OK": {"oklahoma"}, "OR": {"oregon"}, "PA": {"pennsylvania", "pensilvania", "pennsylvanie"},
	"RI": {"rhode island"}, "SC": {"south carolina", "carolina del sur", "caroline du sud"},
	"SD": {"south dakota", "dakota del sur", "dakota du sud"}, "TN": {"tennessee"},
	"TX": {"texas", "tejas"}, "UT": {"utah"}, "VT": {"vermont"}, "VA": {"virginia", "virginie"},
	"WA": {"washington", "washington state"},
	"WV": {"west virginia", "virginia occidental", "virginie occidentale"},
	"WI": {"wisconsin"}, "WY": {"wyoming"},
	"DC": {"district of columbia", "washington dc", "distrito de columbia", "district de columbia"},
	"PR": {"puerto rico", "porto rico"}, "GU": {"guam"},
	"VI": {"us virgin islands", "islas virgenes", "iles vierges"},
	"AS": {"american samoa", "samoa americana", "samoa americaines"},
	"MP": {"northern mariana islands", "islas marianas del norte", "iles mariannes du nord"},
}

// caProvinces maps the Canadian provinces and territories to their names
// in English, French and Spanish (folded).
var caProvinces = map[string][]string{
	"AB": {"alberta"},
	"BC": {"british columbia", "colombie britannique", "columbia britanica"},
	"MB": {"manitoba"},
	"NB": {"new brunswick", "nouveau brunswick", "nuevo brunswick"},
	"NL": {"newfoundland and labrador", "newfoundland", "terre neuve et labrador", "terre neuve", "terranova y labrador", "terranova"},
	"NS": {"nova scotia", "nouvelle ecosse", "nueva escocia"},
	"NT": {"northwest territories", "territoires du nord ouest", "territorios del noroeste"},
	"NU": {"nunavut"},
	"ON": {"ontario"},
	"PE": {"prince edward island", "ile du prince edouard", "isla del principe eduardo", "pei"},
	"QC": {"quebec", "province de quebec", "province of quebec"},
	"SK": {"saskatchewan"},
	"YT": {"yukon", "yukon territory"},
}

// regionName is one spelling of a subdivision, folded, with its code.
type regionName struct {
	words   []string
	country string
	code    string // two letters
	abbr    bool   // the two-letter code itself
}

// regionNames lists every spelling, longest first, so "west virginia"
// wins over "virginia".
var regionNames = buildRegionNames()

func buildRegionNames() []regionName {
	var out []regionName
	add := func(country string, table map[string][]string) {
		for code, names := range table {
			out = append(out, regionName{[]string{strings.ToLower(code)}, country, code, true})
			for _, n := range names {
				out = append(out, regionName{strings.Fields(n), country, code, false})
			}
		}
	}
	add("US", usStates)
	add("CA", caProvinces)
	sortByLen(out)
	return out
}

func sortByLen(rs []regionName) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && less(rs[j], rs[j-1]); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func less(a, b regionName) bool {
	if len(a.words) != len(b.words) {
		return len(a.words) > len(b.words)
	}
	return strings.Join(a.words, " ") < strings.Join(b.words, " ")
}

// foldTable folds the accented Latin letters of English, Spanish and French.
var foldTable = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "ç", "c",
	"è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ù", "u", "ú", "u",
	"û", "u", "ü", "u", "ý", "y", "ÿ", "y", "œ", "oe", "æ", "ae",
)

// wordAliases expands the usual abbreviations of place names.
var wordAliases = map[string]string{"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

// foldWords lower-cases s, folds accents, turns punctuation into spaces
// and returns the words.
func foldWords(s string) []string {
	s = foldTable.Replace(strings.ToLower(s))
	return strings.FieldsFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	})
}

// cityKey is the lookup key of a city name: folded words, abbreviations
// expanded ("St. Louis" and "Saint Louis" meet).
func cityKey(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if a, ok := wordAliases[w]; ok {
			w = a
		}
		out[i] = w
	}
	return strings.Join(out, " ")
}

// matchRegionSuffix finds the subdivision named at the end of words and
// returns it with the words before it.
func matchRegionSuffix(words []string) (regionName, []string, bool) {
	for _, rn := range regionNames {
		n := len(rn.words)
		if n > len(words) {
			continue
		}
		tail := words[len(words)-n:]
		if equalWords(tail, rn.words) {
			return rn, words[:len(words)-n], true
		}
	}
	return regionName{}, nil, false
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ParseRegion recognises a US state or Canadian province (or territory) by
// its name in English, Spanish or French, or by its two-letter code, when
// it is the whole of text. The Place it returns has no Point.
func ParseRegion(text string) (Place, bool) {
	words := foldWords(text)
	rn, rest, ok := matchRegionSuffix(words)
	if !ok || len(rest) > 0 {
		return Place{}, false
	}
	return Place{Country: rn.country, Region: rn.country + "-" + rn.code, Label: rn.code}, true
}
