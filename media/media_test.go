package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// assertClean checks the invariants of every processed image: the hash is
// the original's, the copy decodes to the reported size, and no metadata
// or planted marker survives.
func assertClean(t testing.TB, got Image, orig []byte) image.Image {
	t.Helper()
	sum := sha256.Sum256(orig)
	if got.OriginalSHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("OriginalSHA256 = %s, want sha256 of the original", got.OriginalSHA256)
	}
	m := decodeOutput(t, got)
	if b := m.Bounds(); b.Dx() != got.Width || b.Dy() != got.Height {
		t.Errorf("stripped copy is %v, reported %dx%d", b, got.Width, got.Height)
	}
	for _, bad := range [][]byte{
		[]byte("Exif"), []byte("ICC_PROFILE"), []byte("http://ns.adobe.com"),
		markerDesc, markerDatum, markerXMP, markerText, markerTrail, gpsLat, gpsLon,
	} {
		if bytes.Contains(got.Stripped, bad) {
			t.Errorf("stripped copy still contains %q", bad)
		}
	}
	return m
}

// decodeOutput decodes a stripped copy with the decoder its type names and
// checks its structure holds nothing but pixels.
func decodeOutput(t testing.TB, got Image) image.Image {
	t.Helper()
	var m image.Image
	var err error
	switch got.ContentType {
	case "image/jpeg":
		m, err = jpeg.Decode(bytes.NewReader(got.Stripped))
		checkJPEGSegments(t, got.Stripped)
	case "image/png":
		m, err = png.Decode(bytes.NewReader(got.Stripped))
		for _, typ := range pngChunkTypes(t, got.Stripped) {
			if !slices.Contains([]string{"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, typ) {
				t.Errorf("stripped PNG has a %s chunk", typ)
			}
		}
	default:
		t.Fatalf("unexpected output type %q", got.ContentType)
	}
	if err != nil {
		t.Fatalf("stripped copy does not decode: %v", err)
	}
	return m
}

// checkJPEGSegments fails on any APPn or COM segment before the scan.
func checkJPEGSegments(t testing.TB, data []byte) {
	t.Helper()
	for i := 2; i+4 <= len(data) && data[i] == 0xff && data[i+1] != 0xda; {
		if m := data[i+1]; m >= 0xe0 && m <= 0xef || m == 0xfe {
			t.Errorf("stripped JPEG has marker %#x", m)
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
}

// Quadrant colours of testPicture.
var (
	cR = color.RGBA{255, 0, 0, 255}
	cG = color.RGBA{0, 255, 0, 255}
	cB = color.RGBA{0, 0, 255, 255}
	cW = color.RGBA{255, 255, 255, 255}
)

// assertQuadrants checks the colour at the centre of each quadrant
// (top-left, top-right, bottom-left, bottom-right) within tol.
func assertQuadrants(t testing.TB, m image.Image, want [4]color.RGBA, tol int) {
	t.Helper()
	b := m.Bounds()
	pts := [4]image.Point{
		{b.Dx() / 4, b.Dy() / 4}, {b.Dx() * 3 / 4, b.Dy() / 4},
		{b.Dx() / 4, b.Dy() * 3 / 4}, {b.Dx() * 3 / 4, b.Dy() * 3 / 4},
	}
	for i, p := range pts {
		r, g, bl, _ := m.At(b.Min.X+p.X, b.Min.Y+p.Y).RGBA()
		w := want[i]
		if absDiff(r>>8, w.R) > tol || absDiff(g>>8, w.G) > tol || absDiff(bl>>8, w.B) > tol {
			t.Errorf("quadrant %d is (%d,%d,%d), want %v", i, r>>8, g>>8, bl>>8, w)
		}
	}
}

// absDiff is |a-b| for a colour channel.
func absDiff(a uint32, b uint8) int {
	d := int(a) - int(b)
	if d < 0 {
		return -d
	}
	return d
}

// orientCases: EXIF orientation → expected quadrants after turning upright.
var orientCases = []struct {
	o    uint16
	want [4]color.RGBA
}{
	{1, [4]color.RGBA{cR, cG, cB, cW}},
	{2, [4]color.RGBA{cG, cR, cW, cB}},
	{3, [4]color.RGBA{cW, cB, cG, cR}},
	{4, [4]color.RGBA{cB, cW, cR, cG}},
	{5, [4]color.RGBA{cR, cB, cG, cW}},
	{6, [4]color.RGBA{cB, cR, cW, cG}},
	{7, [4]color.RGBA{cW, cG, cB, cR}},
	{8, [4]color.RGBA{cG, cW, cR, cB}},
}

func TestJPEGWithGPSIsStrippedAndOriented(t *testing.T) {
	for _, c := range orientCases {
		orig := jpegWithMetadata(t, 64, 48, c.o)
		if !bytes.Contains(orig, gpsLat) || !bytes.Contains(orig, []byte("Exif\x00\x00MM")) {
			t.Fatal("fixture lacks its EXIF GPS data")
		}
		if got := orientation("image/jpeg", orig); got != int(c.o) {
			t.Fatalf("fixture orientation reads as %d, want %d", got, c.o)
		}
		got, err := Process(orig, "image/jpeg", Limits{})
		if err != nil {
			t.Fatalf("orientation %d: %v", c.o, err)
		}
		if got.ContentType != "image/jpeg" || got.SourceType != "image/jpeg" {
			t.Errorf("types %s from %s", got.ContentType, got.SourceType)
		}
		wantW, wantH := 64, 48
		if c.o >= 5 {
			wantW, wantH = 48, 64
		}
		if got.Width != wantW || got.Height != wantH {
			t.Errorf("orientation %d: %dx%d, want %dx%d", c.o, got.Width, got.Height, wantW, wantH)
		}
		assertQuadrants(t, assertClean(t, got, orig), c.want, 40)
	}
}

func TestPNGWithEXIFAndTextIsStripped(t *testing.T) {
	for _, c := range orientCases {
		src := testPicture(40, 30)
		src.SetRGBA(0, 29, color.RGBA{}) // one transparent pixel keeps RGBA
		orig := pngWithMetadata(t, src, c.o)
		types := pngChunkTypes(t, orig)
		if !slices.Contains(types, "eXIf") || !slices.Contains(types, "tEXt") {
			t.Fatalf("fixture chunks %v", types)
		}
		got, err := Process(orig, "image/png", Limits{})
		if err != nil {
			t.Fatalf("orientation %d: %v", c.o, err)
		}
		if got.ContentType != "image/png" {
			t.Errorf("content type %s", got.ContentType)
		}
		assertQuadrants(t, assertClean(t, got, orig), c.want, 0)
	}
}

func TestPNGPixelsUnchanged(t *testing.T) {
	src := testPicture(17, 9)
	src.SetRGBA(3, 3, color.RGBA{10, 20, 30, 255})
	orig := pngWithMetadata(t, src, 1)
	got, err := Process(orig, "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m := assertClean(t, got, orig)
	for y := range 9 {
		for x := range 17 {
			if a, b := color.RGBAModel.Convert(m.At(x, y)), src.At(x, y); a != b {
				t.Fatalf("pixel %d,%d is %v, want %v", x, y, a, b)
			}
		}
	}
}

func TestGIFFirstFrameAsPNG(t *testing.T) {
	orig := gifTwoFrames(t)
	got, err := Process(orig, "image/gif", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentType != "image/png" || got.SourceType != "image/gif" || got.Width != 12 || got.Height != 8 {
		t.Errorf("got %s %dx%d from %s", got.ContentType, got.Width, got.Height, got.SourceType)
	}
	assertQuadrants(t, assertClean(t, got, orig), [4]color.RGBA{cR, cR, cR, cR}, 0)
}

func TestWebP(t *testing.T) {
	cases := []struct {
		name  string
		data  []byte
		ctype string
		w, h  int
	}{
		{"lossy", readFixture(t, "blue-purple-pink.lossy.webp"), "image/jpeg", 150, 100},
		{"lossless with alpha and ICC", readFixture(t, "gopher-doc.with-alpha.lossless.webp"), "image/png", 0, 0},
		{"lossy with EXIF GPS", webpWithEXIF(t, 1), "image/jpeg", 150, 100},
		{"lossy with EXIF orientation 8", webpWithEXIF(t, 8), "image/jpeg", 100, 150},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Process(c.data, "application/octet-stream", Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got.ContentType != c.ctype || got.SourceType != "image/webp" {
				t.Errorf("got %s from %s, want %s", got.ContentType, got.SourceType, c.ctype)
			}
			if c.w != 0 && (got.Width != c.w || got.Height != c.h) {
				t.Errorf("size %dx%d, want %dx%d", got.Width, got.Height, c.w, c.h)
			}
			assertClean(t, got, c.data)
			if bytes.Contains(got.Stripped, []byte("ICCP")) {
				t.Error("ICC chunk survived")
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	big := append(jpegWithMetadata(t, 8, 8, 1), make([]byte, DefaultMaxBytes)...)
	if _, err := Process(big, "image/jpeg", Limits{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d bytes: %v, want ErrTooLarge", len(big), err)
	}
	small := jpegWithMetadata(t, 8, 8, 1)
	if _, err := Process(small, "image/jpeg", Limits{MaxBytes: int64(len(small) - 1)}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over a custom limit: %v, want ErrTooLarge", err)
	}
	if _, err := Process(small, "image/jpeg", Limits{MaxBytes: int64(len(small))}); err != nil {
		t.Errorf("exactly at the limit: %v", err)
	}
}

func TestTooManyPixelsRefusedFromHeader(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		lim  Limits
	}{
		{"png 100000x100000", pngHeaderOnly(100000, 100000), Limits{}},
		{"png 8000x8000", pngHeaderOnly(8000, 8000), Limits{}},
		{"png side 1x30000", pngHeaderOnly(1, 30000), Limits{}},
		{"png custom side", pngHeaderOnly(600, 10), Limits{MaxSide: 500}},
		{"png custom pixels", pngHeaderOnly(101, 100), Limits{MaxPixels: 10000}},
		{"jpeg 8000x8000", jpegHeaderOnly(8000, 8000), Limits{}},
		{"jpeg 65535x65535", jpegHeaderOnly(65535, 65535), Limits{}},
		{"gif 65535x65535", gifHeaderOnly(65535, 65535), Limits{}},
		{"webp 16384x16384", webpHeaderOnly(16384, 16384), Limits{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Process(c.data, "image/png", c.lim)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooManyPixels) {
				t.Fatalf("got %v, want ErrTooManyPixels", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("allocated %d bytes before refusing", n)
			}
		})
	}
	if _, err := Process(pngHeaderOnly(100, 100), "", Limits{MaxPixels: 10000}); errors.Is(err, ErrTooManyPixels) {
		t.Error("exactly at the pixel limit refused as too many pixels")
	}
}

func TestNotImage(t *testing.T) {
	jpg := jpegWithMetadata(t, 64, 64, 1)
	cases := map[string][]byte{
		"empty":          nil,
		"pdf":            []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
		"text":           []byte("hello, this is not a photo\n"),
		"html":           []byte("<!DOCTYPE html><html><body>hi</body></html>"),
		"svg":            []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`),
		"mp4":            append([]byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), make([]byte, 64)...),
		"bmp":            append([]byte("BM"), make([]byte, 64)...),
		"zip":            []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"),
		"truncated jpeg": jpg[:len(jpg)/2],
		"png no pixels":  pngHeaderOnly(10, 10),
		"jpeg no pixels": jpegHeaderOnly(10, 10),
		"gif no frame":   gifHeaderOnly(10, 10),
		"png zero size":  pngHeaderOnly(0, 10),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Process(data, "image/jpeg", Limits{}); !errors.Is(err, ErrNotImage) {
				t.Errorf("got %v, want ErrNotImage", err)
			}
		})
	}
}

func TestDeclaredTypeIsNotTrusted(t *testing.T) {
	orig := jpegWithMetadata(t, 16, 16, 1)
	got, err := Process(orig, "video/mp4", Limits{})
	if err != nil || got.SourceType != "image/jpeg" {
		t.Fatalf("JPEG declared as video: %v, %s", err, got.SourceType)
	}
	_, err = Process([]byte("%PDF-1.4 SECRET"), `image/jpeg; name="SECRET-NAME.jpg"`, Limits{})
	if !errors.Is(err, ErrNotImage) {
		t.Fatalf("got %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, "SECRET") || !strings.Contains(msg, "application/pdf") {
		t.Errorf("error text %q", msg)
	}
	_, err = Process([]byte("plain"), "text/plain\nInjected: line", Limits{})
	if strings.Contains(err.Error(), "Injected") {
		t.Errorf("error text quotes a malformed declared type: %q", err)
	}
}

func TestTIFFOrientationIgnoresJunk(t *testing.T) {
	good := exifTIFF(6)
	for i := range len(good) {
		tiffOrientation(good[:i]) // must not panic on any truncation
	}
	le := []byte("II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x03\x00\x00\x00")
	if o := tiffOrientation(le); o != 3 {
		t.Errorf("little-endian orientation %d, want 3", o)
	}
	if o := tiffOrientation([]byte("MM\x00\x2a\xff\xff\xff\xff")); o != 1 {
		t.Errorf("bad IFD offset gives %d", o)
	}
}

func BenchmarkProcessJPEG(b *testing.B) {
	orig := jpegWithMetadata(b, 1280, 960, 6)
	b.SetBytes(int64(len(orig)))
	for b.Loop() {
		if _, err := Process(orig, "image/jpeg", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
