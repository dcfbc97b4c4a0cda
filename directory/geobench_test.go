package directory

import "testing"

func BenchmarkGeocode(b *testing.B) {
	if err := Preload(); err != nil {
		b.Fatal(err)
	}
	inputs := []string{"10001", "H2X 1Y4", "Austin, TX", "i am in houston texas", "nowhere"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Geocode(inputs[i%len(inputs)])
	}
}

func BenchmarkLoadGeo(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := buildGeo(); err != nil {
			b.Fatal(err)
		}
	}
}
