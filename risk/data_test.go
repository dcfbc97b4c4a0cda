package risk

import "testing"

// TestDataLoads fails on any format error in risk/data.
func TestDataLoads(t *testing.T) {
	e, err := load(dataFS)
	if err == nil {
		err = e.err
	}
	if err != nil {
		t.Fatal(err)
	}
}
