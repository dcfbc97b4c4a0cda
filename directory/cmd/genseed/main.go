// Command genseed regenerates directory/data/resources.json, the bundled
// resource directory, from the verified resource list, a copy of which is
// committed beside its converter as
// directory/internal/seedgen/testdata/verified.json (the tests check the
// seed against it). Run it from the repository root:
//
//	go run ./directory/cmd/genseed                      # from the committed copy
//	go run ./directory/cmd/genseed -in NEW_LIST.json    # take a new verified list
//
// With -in, the new list replaces the committed copy first, so the copy,
// the seed and the tests stay in step.
package main

import (
	"flag"
	"fmt"
	"os"

	"tipline/directory"
	"tipline/directory/internal/seedgen"
)

// copyPath is the committed copy of the verified list.
const copyPath = "directory/internal/seedgen/testdata/verified.json"

func main() {
	in := flag.String("in", "", "a new verified resource list to take (default: the committed copy, "+copyPath+")")
	out := flag.String("out", "directory/data/resources.json", "the seed file to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genseed:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in != "" {
		b, err := os.ReadFile(in)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if err := os.WriteFile(copyPath, b, 0o644); err != nil {
			return fmt.Errorf("keep a copy: %w", err)
		}
	}
	list, err := os.ReadFile(copyPath)
	if err != nil {
		return fmt.Errorf("read (run from the repository root): %w", err)
	}
	rs, err := seedgen.Convert(list)
	if err != nil {
		return err
	}
	b, err := directory.EncodeJSON(rs)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	fmt.Printf("genseed: wrote %d resources to %s\n", len(rs), out)
	return nil
}
