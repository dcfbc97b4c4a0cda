package staff

import (
	"encoding/csv"
	"io"
	"strings"
)

// csvCell neutralises a value a spreadsheet would run as a formula
// (docs/design.md rule 13): a cell starting with =, +, -, @, a tab or a carriage
// return gets a leading apostrophe.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeCSV writes rows with every cell neutralised.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, v := range r {
			safe[i] = csvCell(v)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
