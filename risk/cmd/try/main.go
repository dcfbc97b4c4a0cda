// Command try prints the risk screen's decision for each line of stdin
// (or each argument): a tool for writing rules and data.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"tipline/risk"
)

func main() {
	show := func(s string) {
		d := risk.Screen(s)
		b, _ := json.Marshal(d.Reasons)
		fmt.Printf("%-7s %-22v %s | %s\n", d.Level, d.Categories, s, b)
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
