//go:build race

package flows

// walks is how many random conversations the walk tests run: fewer under
// the race detector, which slows every step about tenfold.
const walks = 60
