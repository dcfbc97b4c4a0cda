package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"tipline/bench"
)

// runBench is `tipline bench`: signed webhook traffic on loopback, then the
// report (docs/design.md section 6; docs/benchmarks.md).
func runBench(ctx context.Context, args []string, e env) error {
	o, err := bench.ParseFlags(args, e.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "tipline bench: %v\nRun 'tipline bench --help' for the options.\n", err)
		return errUsage
	}
	if o.Spawn {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("locate the tipline binary to spawn: %w", err)
		}
		o.Binary = exe
	}
	return bench.Run(ctx, o, e.stdout, e.stderr)
}
