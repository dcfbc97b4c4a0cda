package sms

import (
	"strings"
	"testing"
)

var benchBodies = map[string]string{
	"gsm7-short": "Are you safe right now?\n1) Yes\n2) No",
	"gsm7-long":  strings.Repeat("Shelter open tonight {24h}. ", 16),
	"ucs2-long":  strings.Repeat("¿Estás a salvo ahora? Sí 😜 ", 16),
}

func BenchmarkSegments(b *testing.B) {
	for name, body := range benchBodies {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				Segments(body)
			}
		})
	}
}

func BenchmarkSplit(b *testing.B) {
	text := strings.Repeat("Shelter open tonight, call 555-0100. ", 40)
	for b.Loop() {
		SplitMore(text, MaxSegments, "\n(MORE)")
	}
}
