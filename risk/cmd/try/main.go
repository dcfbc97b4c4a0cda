// Command try prints the risk screen's decision for each line of stdin
// (or each argument): a tool for writing rules and data.
//
//	try [-rules] TEXT...        decisions (-rules: the rules layer alone)
//	try [-rules] -eval SPLIT    evaluation of a corpus split (test: no misses listed)
//	try [-rules] -file F        evaluation of a kind<TAB>lang<TAB>text file
//	try -trace TEXT...          tokens, concepts, matches and exceptions
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/eval"
)

func main() {
	screen := risk.Screen
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "-rules" {
		screen, args = risk.ScreenRules, args[1:]
	}
	var err error
	switch {
	case len(args) == 2 && args[0] == "-file":
		err = evalFile(args[1], screen)
	case len(args) == 2 && args[0] == "-eval":
		err = evalSplit(args[1], screen)
	case len(args) > 1 && args[0] == "-trace":
		for _, a := range args[1:] {
			for _, l := range risk.Trace(a) {
				fmt.Println(l)
			}
		}
	case len(args) > 0:
		for _, a := range args {
			show(a, screen)
		}
	default:
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			show(sc.Text(), screen)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func show(s string, screen func(string) risk.Decision) {
	d := screen(s)
	b, _ := json.Marshal(d.Reasons)
	fmt.Printf("%-7s %-22v %.2f %s | %s\n", d.Level, d.Categories, d.Score, s, b)
}

func evalFile(name string, screen func(string) risk.Decision) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	es, err := eval.ParseFile(f)
	if err != nil {
		return err
	}
	eval.Score(es, screen).Print(os.Stdout, true)
	return nil
}

func evalSplit(split string, screen func(string) risk.Decision) error {
	dir, err := corpus.Dir()
	if err != nil {
		return err
	}
	es, err := corpus.Load(dir, split)
	if err != nil {
		return err
	}
	r := eval.Score(es, screen)
	r.Print(io.Writer(os.Stdout), split != "test")
	fmt.Println(r.Failures(eval.Required))
	return nil
}
