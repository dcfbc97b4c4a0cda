package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
)

// exifHeader starts the APP1 segment (and sometimes the WebP EXIF chunk)
// that carries EXIF.
var exifHeader = []byte("Exif\x00\x00")

// orientation returns the EXIF orientation (1-8) recorded in a JPEG's APP1
// segment, a PNG's eXIf chunk or a WebP's EXIF chunk; 1 when there is none
// or it cannot be read.
func orientation(sniffed string, data []byte) int {
	var tiff []byte
	switch sniffed {
	case "image/jpeg":
		tiff = jpegEXIF(data)
	case "image/png":
		tiff = pngEXIF(data)
	case "image/webp":
		tiff = webpEXIF(data)
	}
	return tiffOrientation(bytes.TrimPrefix(tiff, exifHeader))
}

// jpegEXIF returns the TIFF data of the first EXIF APP1 segment before the
// scan starts.
func jpegEXIF(data []byte) []byte {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return nil
		}
		marker := data[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, exifHeader) {
			return seg[len(exifHeader):]
		}
		i += 2 + n
	}
	return nil
}

// pngEXIF returns the data of the eXIf chunk, if one comes before IDAT.
func pngEXIF(data []byte) []byte {
	for i := 8; i+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 || typ == "IDAT" {
			return nil
		}
		if typ == "eXIf" {
			return data[i+8 : i+8+n]
		}
		i += 12 + n
	}
	return nil
}

// webpEXIF returns the data of the EXIF chunk of an extended WebP file.
func webpEXIF(data []byte) []byte {
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || n > len(data)-i-8 {
			return nil
		}
		if string(data[i:i+4]) == "EXIF" {
			return data[i+8 : i+8+n]
		}
		i += 8 + n + n&1 // chunks are padded to even sizes
	}
	return nil
}

// tiffOrientation reads tag 0x0112 (Orientation) from IFD0 of TIFF data.
func tiffOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > int64(len(tiff)) {
		return 1
	}
	count := int(bo.Uint16(tiff[ifd:]))
	for e := int(ifd) + 2; count > 0 && e+12 <= len(tiff); e, count = e+12, count-1 {
		tag, typ := bo.Uint16(tiff[e:]), bo.Uint16(tiff[e+2:])
		if tag == 0x0112 && typ == 3 { // SHORT
			if o := int(bo.Uint16(tiff[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 1
		}
	}
	return 1
}

// orient returns m turned upright for EXIF orientation o, as a new RGBA
// image; orientation 1 (or unknown) returns m itself.
func orient(m image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return m
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	px := pixels(m)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := mapPoint(o, x, y, w, h)
			i := dst.PixOffset(dx, dy)
			c := px(b.Min.X+x, b.Min.Y+y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	return dst
}

// mapPoint is where source pixel (x, y) of a w×h image lands for EXIF
// orientation o (2-8).
func mapPoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored horizontally
		return w - 1 - x, y
	case 3: // rotated 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored vertically
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // needs 90° clockwise
		return h - 1 - y, x
	case 7: // transversed
		return h - 1 - y, w - 1 - x
	default: // 8: needs 90° counter-clockwise
		return y, w - 1 - x
	}
}

// pixels returns a fast reader of premultiplied RGBA pixels of m: direct
// for YCbCr (JPEG, lossy WebP) and RGBA, through one conversion otherwise.
func pixels(m image.Image) func(x, y int) color.RGBA {
	switch s := m.(type) {
	case *image.YCbCr:
		return func(x, y int) color.RGBA {
			yi, ci := s.YOffset(x, y), s.COffset(x, y)
			r, g, b := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
			return color.RGBA{r, g, b, 0xff}
		}
	case *image.RGBA:
		return func(x, y int) color.RGBA {
			i := s.PixOffset(x, y)
			return color.RGBA{s.Pix[i], s.Pix[i+1], s.Pix[i+2], s.Pix[i+3]}
		}
	}
	rgba := image.NewRGBA(m.Bounds())
	draw.Draw(rgba, rgba.Bounds(), m, m.Bounds().Min, draw.Src)
	return pixels(rgba)
}
