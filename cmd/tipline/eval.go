package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/eval"
)

const evalUsage = `usage: tipline eval danger [--split test|dev|all] [--file F] [--misses=false]
  scores the risk screen on the labelled corpus (risk/corpus) or on F, a TSV of
  kind<TAB>lang<TAB>text (kind danger|concern|near|need|none); exits 1 below the thresholds`

// errBelow is returned when the screen misses a threshold.
var errBelow = errors.New("below the thresholds")

// runEval scores the risk screen (docs/design.md section 9).
func runEval(_ context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "danger" {
		fmt.Fprintln(e.stderr, evalUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("eval danger", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	split := fs.String("split", "test", "test, dev or all")
	file := fs.String("file", "", "score this TSV instead of the corpus")
	misses := fs.Bool("misses", true, "list the misses")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	entries, err := evalEntries(*file, *split)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return fmt.Errorf("no messages to score")
	}
	rep := eval.Score(entries, risk.Screen)
	rep.Print(e.stdout, *misses)
	if f := rep.Failures(eval.Required); len(f) > 0 {
		fmt.Fprintf(e.stdout, "\nFAIL: %s\n", strings.Join(f, "; "))
		return errBelow
	}
	fmt.Fprintln(e.stdout, "\nPASS")
	return nil
}

func evalEntries(file, split string) ([]corpus.Entry, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return eval.ParseFile(f)
	}
	dir, err := corpus.Dir()
	if err != nil {
		return nil, err
	}
	splits := []string{split}
	switch split {
	case "all":
		splits = corpus.Splits
	case "test", "dev", "train":
	default:
		return nil, errUsage
	}
	var all []corpus.Entry
	for _, s := range splits {
		es, err := corpus.Load(dir, s)
		if err != nil {
			return nil, err
		}
		all = append(all, es...)
	}
	return all, nil
}
