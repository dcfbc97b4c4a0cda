package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"golang.org/x/image/webp"
)

// Markers planted in metadata; none may survive in a stripped copy.
var (
	markerDesc  = []byte("TIPLINE-EXIF-DESCRIPTION")
	markerDatum = []byte("TIPLINE-GPS-DATUM")
	markerXMP   = []byte("TIPLINE-XMP-CREATOR")
	markerText  = []byte("TIPLINE-PNG-TEXT")
	markerTrail = []byte("TIPLINE-TRAILING-DATA")
	// gpsLat is GPSLatitude 40° 44' 54.97" as three big-endian RATIONALs.
	gpsLat = rationals(binary.BigEndian, 40, 1, 44, 1, 5497, 100)
	// gpsLon is GPSLongitude 73° 59' 12.34".
	gpsLon = rationals(binary.BigEndian, 73, 1, 59, 1, 1234, 100)
)

// rationals encodes numerator/denominator pairs.
func rationals(bo binary.AppendByteOrder, v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = bo.AppendUint32(b, x)
	}
	return b
}

// ifdEntry appends one 12-byte big-endian IFD entry.
func ifdEntry(b []byte, tag, typ uint16, count, value uint32) []byte {
	be := binary.BigEndian
	b = be.AppendUint16(b, tag)
	b = be.AppendUint16(b, typ)
	b = be.AppendUint32(b, count)
	return be.AppendUint32(b, value)
}

// exifTIFF builds big-endian TIFF data as EXIF carries it: IFD0 with
// Orientation, ImageDescription and a GPSInfo pointer; a GPS IFD with
// latitude, longitude (and their refs) and a map datum.
func exifTIFF(orient uint16) []byte {
	desc := append(bytes.Clone(markerDesc), 0)
	datum := append(bytes.Clone(markerDatum), 0)
	const ifd0 = 8
	const gpsIFD = ifd0 + 2 + 3*12 + 4
	const dataOff = gpsIFD + 2 + 5*12 + 4
	latOff := dataOff + len(desc)
	lonOff := latOff + len(gpsLat)
	datumOff := lonOff + len(gpsLon)

	b := []byte("MM\x00\x2a\x00\x00\x00\x08")
	b = binary.BigEndian.AppendUint16(b, 3)
	b = ifdEntry(b, 0x0112, 3, 1, uint32(orient)<<16) // Orientation, SHORT
	b = ifdEntry(b, 0x010e, 2, uint32(len(desc)), dataOff)
	b = ifdEntry(b, 0x8825, 4, 1, gpsIFD) // GPSInfo IFD pointer
	b = binary.BigEndian.AppendUint32(b, 0)
	b = binary.BigEndian.AppendUint16(b, 5)
	b = ifdEntry(b, 0x0001, 2, 2, 'N'<<24) // GPSLatitudeRef
	b = ifdEntry(b, 0x0002, 5, 3, uint32(latOff))
	b = ifdEntry(b, 0x0003, 2, 2, 'W'<<24) // GPSLongitudeRef
	b = ifdEntry(b, 0x0004, 5, 3, uint32(lonOff))
	b = ifdEntry(b, 0x0012, 2, uint32(len(datum)), uint32(datumOff)) // GPSMapDatum
	b = binary.BigEndian.AppendUint32(b, 0)
	if len(b) != dataOff {
		panic("exifTIFF: layout is off")
	}
	b = append(b, desc...)
	b = append(b, gpsLat...)
	b = append(b, gpsLon...)
	return append(b, datum...)
}

// testPicture is a w×h image with four coloured quadrants: red top-left,
// green top-right, blue bottom-left, white bottom-right, so orientation
// can be checked after lossy coding.
func testPicture(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 0, 0, 255}
			switch {
			case x >= w/2 && y < h/2:
				c = color.RGBA{0, 255, 0, 255}
			case x < w/2 && y >= h/2:
				c = color.RGBA{0, 0, 255, 255}
			case x >= w/2 && y >= h/2:
				c = color.RGBA{255, 255, 255, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// jpegSegment builds one JPEG marker segment.
func jpegSegment(marker byte, payload []byte) []byte {
	b := []byte{0xff, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// jpegWithMetadata encodes a w×h test picture as JPEG and splices in, after
// SOI, an EXIF APP1 (orientation and GPS), an XMP APP1, an ICC APP2 and a
// comment, and appends data after EOI.
func jpegWithMetadata(t testing.TB, w, h int, orient uint16) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, testPicture(w, h), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	plain := enc.Bytes()
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>"), markerXMP...)
	icc := append([]byte("ICC_PROFILE\x00\x01\x01"), bytes.Repeat([]byte{0x42}, 128)...)
	var b []byte
	b = append(b, plain[:2]...) // SOI
	b = append(b, jpegSegment(0xe1, append(bytes.Clone(exifHeader), exifTIFF(orient)...))...)
	b = append(b, jpegSegment(0xe1, xmp)...)
	b = append(b, jpegSegment(0xe2, icc)...)
	b = append(b, jpegSegment(0xfe, []byte("comment by the camera"))...)
	b = append(b, plain[2:]...)
	return append(b, markerTrail...)
}

// pngChunk builds one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngWithMetadata encodes m as PNG and inserts, after IHDR, eXIf (EXIF with
// orientation and GPS), tEXt, iTXt, tIME and iCCP-like chunks.
func pngWithMetadata(t testing.TB, m image.Image, orient uint16) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := png.Encode(&enc, m); err != nil {
		t.Fatal(err)
	}
	plain := enc.Bytes()
	const afterIHDR = 8 + 8 + 13 + 4
	var b []byte
	b = append(b, plain[:afterIHDR]...)
	b = append(b, pngChunk("eXIf", exifTIFF(orient))...)
	b = append(b, pngChunk("tEXt", append([]byte("Comment\x00"), markerText...))...)
	b = append(b, pngChunk("iTXt", append([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"), markerXMP...))...)
	b = append(b, pngChunk("tIME", []byte{0x07, 0xe8, 1, 2, 3, 4, 5})...)
	b = append(b, plain[afterIHDR:]...)
	return b
}

// pngChunkTypes lists the chunk types of a PNG file in order.
func pngChunkTypes(t testing.TB, data []byte) []string {
	t.Helper()
	var types []string
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		types = append(types, string(data[i+4:i+8]))
		i += 12 + n
	}
	return types
}

// pngHeaderOnly is a PNG signature and a valid IHDR claiming w×h RGBA
// pixels, then an IEND: DecodeConfig reports the size, nothing more exists.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, no interlace
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	return append(b, pngChunk("IEND", nil)...)
}

// jpegHeaderOnly is SOI, a JFIF APP0 and a baseline SOF0 claiming w×h
// YCbCr pixels.
func jpegHeaderOnly(w, h uint16) []byte {
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	b := append([]byte{0xff, 0xd8}, jpegSegment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))...)
	return append(b, jpegSegment(0xc0, sof)...)
}

// gifHeaderOnly is a GIF89a header with a w×h logical screen.
func gifHeaderOnly(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, 0x3b)
}

// webpHeaderOnly is an extended WebP with a VP8X chunk claiming w×h.
func webpHeaderOnly(w, h uint32) []byte {
	vp8x := []byte{0, 0, 0, 0}
	vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	vp8x = append(vp8x, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	body := append([]byte("WEBPVP8X\x0a\x00\x00\x00"), vp8x...)
	b := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(b, body...)
}

// riffChunk builds one RIFF chunk, padded to an even size.
func riffChunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// webpWithEXIF rewraps the simple lossy WebP fixture as an extended WebP
// with an EXIF chunk (orientation and GPS) and an XMP chunk.
func webpWithEXIF(t testing.TB, orient uint16) []byte {
	t.Helper()
	src := readFixture(t, "blue-purple-pink.lossy.webp")
	cfg, err := webp.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	w, h := uint32(cfg.Width-1), uint32(cfg.Height-1)
	vp8x := []byte{0x08 | 0x04, 0, 0, 0, byte(w), byte(w >> 8), byte(w >> 16), byte(h), byte(h >> 8), byte(h >> 16)}
	body := []byte("WEBP")
	body = append(body, riffChunk("VP8X", vp8x)...)
	body = append(body, src[12:]...) // the VP8 chunk as it was
	body = append(body, riffChunk("EXIF", append(bytes.Clone(exifHeader), exifTIFF(orient)...))...)
	body = append(body, riffChunk("XMP ", markerXMP)...)
	b := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(b, body...)
}

// gifTwoFrames encodes a 2-frame animation (red, then blue) and inserts a
// comment extension carrying a marker.
func gifTwoFrames(t testing.TB) []byte {
	t.Helper()
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	red := image.NewPaletted(image.Rect(0, 0, 12, 8), pal)
	blue := image.NewPaletted(image.Rect(0, 0, 12, 8), pal)
	for i := range blue.Pix {
		blue.Pix[i] = 1
	}
	var enc bytes.Buffer
	anim := &gif.GIF{Image: []*image.Paletted{red, blue}, Delay: []int{10, 10}}
	if err := gif.EncodeAll(&enc, anim); err != nil {
		t.Fatal(err)
	}
	b := enc.Bytes()
	at := 13
	if b[10]&0x80 != 0 {
		at += 3 << (b[10]&7 + 1)
	}
	comment := append([]byte{0x21, 0xfe, byte(len(markerText))}, markerText...)
	comment = append(comment, 0)
	return append(append(bytes.Clone(b[:at]), comment...), b[at:]...)
}

// readFixture reads a file under testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
