package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// FuzzProcess feeds arbitrary bytes to Process under small limits: it must
// never panic, must fail only with its three errors, and on success must
// return a clean copy that decodes to the reported size.
func FuzzProcess(f *testing.F) {
	seeds := [][]byte{
		jpegWithMetadata(f, 16, 12, 6),
		pngWithMetadata(f, testPicture(8, 6), 3),
		gifTwoFrames(f),
		webpWithEXIF(f, 8),
		readFixture(f, "gopher-doc.with-alpha.lossless.webp"),
		pngHeaderOnly(100000, 100000),
		jpegHeaderOnly(8000, 8000),
		gifHeaderOnly(300, 300),
		webpHeaderOnly(4000, 4000),
		[]byte("%PDF-1.7\n"),
		[]byte("hello"),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 18, MaxSide: 4096}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Process(data, "", lim)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrTooManyPixels) && !errors.Is(err, ErrNotImage) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		sum := sha256.Sum256(data)
		if got.OriginalSHA256 != hex.EncodeToString(sum[:]) {
			t.Fatal("hash mismatch")
		}
		m := decodeOutput(t, got)
		if got.Width*got.Height > lim.MaxPixels {
			t.Fatalf("%dx%d passed a %d pixel limit", got.Width, got.Height, lim.MaxPixels)
		}
		if m.Bounds().Dx() != got.Width || m.Bounds().Dy() != got.Height {
			t.Fatal("size mismatch")
		}
		if bytes.Contains(got.Stripped, []byte("Exif\x00\x00")) {
			t.Fatal("EXIF header in output")
		}
	})
}
