// Command try prints the risk screen's decision for each line of stdin
// (or each argument), or with -eval SPLIT the evaluation of a corpus
// split: a tool for writing rules and data. The test split is shown
// without its misses, since nobody may tune on it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"tipline/risk"
	"tipline/risk/corpus"
	"tipline/risk/eval"
)

func main() {
	screen := risk.Screen
	if len(os.Args) > 1 && os.Args[1] == "-rules" {
		screen = risk.ScreenRules
		os.Args = append(os.Args[:1], os.Args[2:]...)
	}
	if len(os.Args) == 3 && os.Args[1] == "-file" {
		f, err := os.Open(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		es, err := eval.ParseFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		eval.Score(es, screen).Print(os.Stdout, true)
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "-eval" {
		dir, err := corpus.Dir()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		es, err := corpus.Load(dir, os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		r := eval.Score(es, screen)
		r.Print(os.Stdout, os.Args[2] != "test")
		fmt.Println(r.Failures(eval.Required))
		return
	}
	if len(os.Args) > 2 && os.Args[1] == "-trace" {
		for _, a := range os.Args[2:] {
			for _, l := range risk.Trace(a) {
				fmt.Println(l)
			}
		}
		return
	}
	show := func(s string) {
		d := screen(s)
		b, _ := json.Marshal(d.Reasons)
		fmt.Printf("%-7s %-22v %.2f %s | %s\n", d.Level, d.Categories, d.Score, s, b)
	}
	if len(os.Args) > 1 {
		for _, a := range os.Args[1:] {
			show(a)
		}
		return
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		show(sc.Text())
	}
}
