//go:build !race

package flows

// walks is how many random conversations the walk tests run.
const walks = 300
