package risk

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"tipline/risk/model"
)

func TestCategoriesMatchModel(t *testing.T) {
	if len(model.CategoryNames) != len(Categories) {
		t.Fatal("model.CategoryNames and Categories differ")
	}
	for i, c := range Categories {
		if model.CategoryNames[i] != string(c) {
			t.Fatalf("category %d: model %q, risk %q", i, model.CategoryNames[i], c)
		}
	}
}

func TestScreenExamples(t *testing.T) {
	cases := []struct {
		text string
		want Level
	}{
		{"my uncle hits me and i ran away, i am scared he will find me", Danger},
		{"he took my passport and i have to work for him", Danger},
		{"i hit the gym every morning", None},
		{"lol my dad is gonna kill me, he actually hit me last time", Danger},
		{"my stepdad h\u200bits me", Danger},
		{"my stepdad hi\u00adts me", Danger},
		{"my stepdad hіts me", Danger}, // Cyrillic і
		{"my stepdad hiiiiits me", Danger},
		{"my stepdad h1ts me", Danger},
		{"kms", Danger},
	}
	for _, c := range cases {
		if d := Screen(c.text); d.Level != c.want {
			t.Errorf("Screen(%q) = %v %v, want %v", c.text, d.Level, d.Reasons, c.want)
		}
	}
}

func TestScreenConcurrent(t *testing.T) {
	msgs := []string{"my stepdad hits me", "hi", "me pega mi padrastro", "il me frappe"}
	want := make([]Decision, len(msgs))
	for i, m := range msgs {
		want[i] = Screen(m)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				k := i % len(msgs)
				if got := Screen(msgs[k]); got.Level != want[k].Level || got.Score != want[k].Score {
					t.Errorf("concurrent Screen(%q) differs", msgs[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// disguise inserts hidden characters, NUL, look-alikes or stretched
// letters into s at positions chosen by r.
func disguise(r *rand.Rand, s string) string {
	hidden := []string{"\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", "\u200e", "\u202a", "\x00"}
	look := map[rune]string{'a': "а", 'e': "е", 'o': "о", 'p': "р", 'c': "с", 'i': "і", 'x': "х", 'y': "у"}
	var b strings.Builder
	for _, c := range s {
		switch r.IntN(6) {
		case 0:
			b.WriteString(hidden[r.IntN(len(hidden))])
			b.WriteRune(c)
		case 1:
			if l, ok := look[c]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(c)
			}
		case 2:
			if c >= 'a' && c <= 'z' {
				b.WriteString(strings.Repeat(string(c), 3+r.IntN(3)))
			} else {
				b.WriteRune(c)
			}
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// fuzzSeeds are danger messages the fuzz test disguises.
var fuzzSeeds = []string{
	"my stepdad hits me",
	"he took my passport",
	"i want to kill myself",
	"mi padrastro me pega",
	"il me frappe",
	"he is outside with a knife",
}

func FuzzScreen(f *testing.F) {
	for i := range fuzzSeeds {
		f.Add(uint64(i), uint64(i*7+1), "")
	}
	f.Add(uint64(0), uint64(0), "\xff\xfe\x00 k\u200bill")
	f.Fuzz(func(t *testing.T, which, seed uint64, junk string) {
		d := Screen(junk) // never panics
		if !utf8.ValidString(strings.Join(reasonTexts(d), "")) {
			t.Fatalf("invalid UTF-8 in reasons for %q", junk)
		}
		base := fuzzSeeds[which%uint64(len(fuzzSeeds))]
		if Screen(base).Level != Danger {
			t.Skip("seed not caught undisguised")
		}
		msg := disguise(rand.New(rand.NewPCG(seed, 1)), base)
		if got := Screen(msg); got.Level != Danger {
			t.Fatalf("disguised %q (%q) read as %v", msg, base, got.Level)
		}
	})
}

func reasonTexts(d Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.Evidence)
	}
	return out
}

// BenchmarkScreen screens every corpus message in turn and reports the
// 99th percentile of one call: p99-us in wall-clock time, and p99-cpu-us
// in the thread's own CPU time, which a busy machine does not inflate.
func BenchmarkScreen(b *testing.B) {
	msgs := corpusTexts(b)
	if len(msgs) == 0 {
		b.Skip("no corpus")
	}
	Screen("warm up")
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := threadCPU()
		start := time.Now()
		Screen(msgs[i%len(msgs)])
		wall = append(wall, time.Since(start))
		cpu = append(cpu, threadCPU()-c0)
	}
	b.StopTimer()
	b.ReportMetric(float64(p99(wall).Microseconds()), "p99-us")
	b.ReportMetric(float64(p99(cpu).Microseconds()), "p99-cpu-us")
}

func p99(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)*99/100]
}

// threadCPU is the CPU time the current OS thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// TestNoLexiconNoAlarm: a message with no word of the risk lexicon at all
// (a tipster's contact details, a time, a name) is not raised by the
// classifier's letter groups unless it is nearly sure (modelBare).
func TestNoLexiconNoAlarm(t *testing.T) {
	for _, text := range []string{"Sam, evenings only", "evenings only", "Maria, mornings", "weekends after 6",
		"Luis, por las tardes", "le soir seulement", "ok thanks", "today at 1pm", "mañana temprano"} {
		if d := Screen(text); d.Level != None {
			t.Errorf("%q: %s %v", text, d.Level, d.Reasons)
		}
	}
}
