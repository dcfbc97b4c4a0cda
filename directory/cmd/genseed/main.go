// Command genseed regenerates directory/data/resources.json, the bundled
// resource directory, from the verified list in shared/data/resources.json.
// Run it from the repository root:
//
//	go run ./directory/cmd/genseed [-in ../shared/data/resources.json] [-out directory/data/resources.json]
package main

import (
	"flag"
	"fmt"
	"os"

	"tipline/directory"
	"tipline/directory/internal/seedgen"
)

func main() {
	in := flag.String("in", "../shared/data/resources.json", "the shared, verified resource list")
	out := flag.String("out", "directory/data/resources.json", "the seed file to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genseed:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	shared, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	rs, err := seedgen.Convert(shared)
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
