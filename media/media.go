// Package media makes photos from senders safe for staff (docs/design.md section
// 4 and section 8 rule 11). Process checks the size, sniffs the content,
// refuses decompression bombs from the header alone, then decodes the image
// and encodes it again, which drops EXIF (GPS included), XMP, ICC profiles,
// comments and anything appended after the image. The file as received is
// handed back too (Image.Original), for the caller to keep sealed as
// evidence (docs/design.md section 9, "Evidence originals"). It does no I/O.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"

	"golang.org/x/image/webp"
)

// Default limits, used for zero fields of Limits.
const (
	DefaultMaxBytes  int64 = 10 << 20   // 10 MiB
	DefaultMaxPixels       = 40_000_000 // 40 megapixels
	DefaultMaxSide         = 20_000     // pixels, width or height
)

// JPEGQuality is the quality photos are encoded at.
const JPEGQuality = 90

// Errors from Process, for errors.Is, so a flow can answer politely.
var (
	// ErrTooLarge: the file is over Limits.MaxBytes.
	ErrTooLarge = errors.New("media: file too large")
	// ErrTooManyPixels: the image is over Limits.MaxPixels or MaxSide.
	ErrTooManyPixels = errors.New("media: image dimensions too large")
	// ErrNotImage: not a JPEG, PNG, GIF or WebP image that decodes.
	ErrNotImage = errors.New("media: not a supported image")
)

// Limits bounds what Process accepts. Zero fields take the defaults.
type Limits struct {
	MaxBytes  int64 // size of the file as received
	MaxPixels int   // width × height, checked from the header before decoding
	MaxSide   int   // width and height each, checked the same way
}

// withDefaults fills zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = DefaultMaxSide
	}
	return l
}

// Image is a processed photo.
type Image struct {
	OriginalSHA256 string // hex SHA-256 of the bytes as received
	SourceType     string // the sniffed type of the original, e.g. "image/webp"
	Stripped       []byte // the re-encoded copy staff see, without metadata
	ContentType    string // of Stripped: "image/jpeg" or "image/png"
	Width, Height  int    // of Stripped, after EXIF orientation was applied
	// Original is the file as received (the bytes OriginalSHA256 covers),
	// metadata included: evidence to keep sealed, never shown to staff.
	Original []byte
}

// format is one accepted image format.
type format struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// formats maps a sniffed content type to its decoder. Decoders are called
// directly, not through image's registry, so no other package's
// registration widens what is accepted.
var formats = map[string]format{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode}, // first frame only
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// Process checks data and returns a copy safe for staff. The content
// decides the type: declaredType (the provider's or sender's claim) is
// only quoted in errors. Errors wrap ErrTooLarge, ErrTooManyPixels or
// ErrNotImage; their text holds sizes and types, never image content.
func Process(data []byte, declaredType string, lim Limits) (Image, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return Image{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	sniffed := http.DetectContentType(data)
	f, ok := formats[sniffed]
	if !ok {
		return Image{}, fmt.Errorf("%w: content is %s (declared %s)", ErrNotImage, sniffed, cleanType(declaredType))
	}
	cfg, err := f.config(bytes.NewReader(data))
	if err != nil {
		return Image{}, fmt.Errorf("%w: %s header: %w", ErrNotImage, sniffed, err)
	}
	if err := checkSize(cfg.Width, cfg.Height, lim); err != nil {
		return Image{}, err
	}
	m, err := decode(f, data, lim)
	if err != nil {
		return Image{}, fmt.Errorf("%w: %s: %w", ErrNotImage, sniffed, err)
	}
	asJPEG := sniffed == "image/jpeg" || (sniffed == "image/webp" && isYCbCr(m))
	m = orient(m, orientation(sniffed, data))
	out, ctype, err := encode(m, asJPEG)
	if err != nil {
		return Image{}, fmt.Errorf("media: encode: %w", err)
	}
	b := m.Bounds()
	return Image{
		OriginalSHA256: SHA256(data),
		SourceType:     sniffed,
		Stripped:       out,
		ContentType:    ctype,
		Width:          b.Dx(),
		Height:         b.Dy(),
		Original:       data,
	}, nil
}

// SHA256 is the hex SHA-256 of b: how an original's digest is written,
// on receipt and when an export checks it again.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkSize refuses dimensions over the limits, before anything is
// allocated for the pixels.
func checkSize(w, h int, lim Limits) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: empty image %dx%d", ErrNotImage, w, h)
	}
	if w > lim.MaxSide || h > lim.MaxSide {
		return fmt.Errorf("%w: %dx%d, side limit %d", ErrTooManyPixels, w, h, lim.MaxSide)
	}
	if int64(w)*int64(h) > int64(lim.MaxPixels) {
		return fmt.Errorf("%w: %dx%d, limit %d pixels", ErrTooManyPixels, w, h, lim.MaxPixels)
	}
	return nil
}

// decode decodes the full image, turning a decoder panic on hostile input
// into an error, and checks the result against the limits again.
func decode(f format, data []byte, lim Limits) (m image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	m, err = f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := m.Bounds()
	if err := checkSize(b.Dx(), b.Dy(), lim); err != nil {
		return nil, err
	}
	return m, nil
}

// encode writes m as JPEG for photos (JPEG, and lossy WebP without alpha)
// and as PNG otherwise (PNG, GIF, WebP with alpha or lossless), so neither
// transparency nor sharp edges are lost.
func encode(m image.Image, asJPEG bool) ([]byte, string, error) {
	var buf bytes.Buffer
	if asJPEG {
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: JPEGQuality}); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), "image/jpeg", nil
	}
	if err := png.Encode(&buf, m); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "image/png", nil
}

// isYCbCr reports whether m is what a lossy WebP without alpha decodes to.
func isYCbCr(m image.Image) bool {
	_, ok := m.(*image.YCbCr)
	return ok
}

// cleanType returns the media type of a declared Content-Type when it is a
// well-formed short token, so an error quoting it cannot carry free text.
func cleanType(declared string) string {
	if declared == "" {
		return "nothing"
	}
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil || len(mt) > 64 {
		return "an invalid type"
	}
	return mt
}
