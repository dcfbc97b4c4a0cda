package risk

import "testing"

// TestDataLoads fails on any format error in risk/data.
func TestDataLoads(t *testing.T) {
	if _, err := load(dataFS); err != nil {
		t.Fatal(err)
	}
}
