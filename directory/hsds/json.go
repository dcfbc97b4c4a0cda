package hsds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"tipline/directory"
)

// Warning is something an import could not keep, with where it was.
type Warning struct {
	File string
	Line int
	Text string
}

// String renders w as "file:line: text".
func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Text) }

// ParseJSON reads HSDS JSON: one service, an array of services, or an API
// page ({"contents": [...]}). It returns the resources, or an error naming
// the file and line of the first problem and nothing else.
func ParseJSON(name string, data []byte) ([]directory.Resource, []Warning, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []directory.Resource
	var warns []Warning
	var lines []int
	add := func(start int64, s Service) error {
		line := lineAt(data, start)
		lines = append(lines, line)
		r, w, err := ToResource(s)
		for _, t := range w {
			warns = append(warns, Warning{name, line, t})
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		out = append(out, r)
		return nil
	}
	var err error
	switch firstByte(data) {
	case '[':
		err = decodeArray(dec, data, name, add)
	case '{':
		err = decodeObject(dec, data, name, add)
	default:
		err = fmt.Errorf("%s:1: expected an HSDS service, an array of services or a page", name)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := unique(name, out, lines); err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}

type addFunc func(start int64, s Service) error

func decodeArray(dec *json.Decoder, data []byte, name string, add addFunc) error {
	if _, err := dec.Token(); err != nil {
		return syntaxErr(name, data, dec, 0, err)
	}
	for dec.More() {
		before := dec.InputOffset()
		start := skipSpace(data, before)
		var s Service
		if err := dec.Decode(&s); err != nil {
			return syntaxErr(name, data, dec, before, err)
		}
		if err := add(start, s); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return syntaxErr(name, data, dec, 0, err)
	}
	return trailing(dec, data, name)
}

// decodeObject reads one service, or a page whose "contents" holds them.
func decodeObject(dec *json.Decoder, data []byte, name string, add addFunc) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return syntaxErr(name, data, dec, 0, err)
	}
	contents, isPage := probe["contents"]
	if !isPage {
		var s Service
		if err := dec.Decode(&s); err != nil {
			return syntaxErr(name, data, dec, 0, err)
		}
		if err := add(skipSpace(data, 0), s); err != nil {
			return err
		}
		return trailing(dec, data, name)
	}
	off := int64(bytes.Index(data, contents))
	sub := json.NewDecoder(bytes.NewReader(contents))
	shifted := func(start int64, s Service) error { return add(off+start, s) }
	if err := decodeArray(sub, contents, name, shifted); err != nil {
		return err
	}
	return nil
}

func trailing(dec *json.Decoder, data []byte, name string) error {
	if dec.More() {
		return fmt.Errorf("%s:%d: unexpected data after the JSON value", name, lineAt(data, dec.InputOffset()))
	}
	return nil
}

// syntaxErr places a decoding error: a syntax error's offset is
// absolute, a type error's counts from start (the decoder's offset before
// the Decode call).
func syntaxErr(name string, data []byte, dec *json.Decoder, start int64, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = start + te.Offset
	}
	return fmt.Errorf("%s:%d: %w", name, lineAt(data, off), err)
}

// unique fails on the first resource whose id an earlier one has;
// lines[i] is where resource i starts.
func unique(name string, rs []directory.Resource, lines []int) error {
	seen := map[string]bool{}
	for i, r := range rs {
		if seen[r.ID] {
			return fmt.Errorf("%s:%d: duplicate resource id %q", name, lines[i], r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

// EncodeJSON writes rs as an HSDS JSON array of services, indented.
func EncodeJSON(rs []directory.Resource) ([]byte, error) {
	ss := make([]Service, len(rs))
	for i, r := range rs {
		ss[i] = FromResource(r)
	}
	b, err := json.MarshalIndent(ss, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("hsds: encode: %w", err)
	}
	return append(b, '\n'), nil
}

func firstByte(data []byte) byte {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 {
		return 0
	}
	return t[0]
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,"), data[off]) >= 0 {
		off++
	}
	return off
}

func lineAt(data []byte, off int64) int {
	off = max(0, min(off, int64(len(data))))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}
