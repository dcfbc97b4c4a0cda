package bot_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"tipline/telegram/telegramtest"
)

// sgEXIF is a little-endian TIFF block as cameras write it into JPEG APP1
// and PNG eXIf: IFD0 pointing at a GPS IFD with latitude 40°45'7.36" N and
// longitude 73°59'36" W.
func sgEXIF() []byte {
	le := binary.LittleEndian
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	b := append([]byte("II*\x00"), 8, 0, 0, 0)
	b = le.AppendUint16(b, 1)
	b = entry(b, 0x8825, 4, 1, 26) // GPSInfo IFD at 26
	b = le.AppendUint32(b, 0)
	b = le.AppendUint16(b, 4) // GPS IFD: 4 entries, data from 80
	b = entry(b, 1, 2, 2, 'N')
	b = entry(b, 2, 5, 3, 80)
	b = entry(b, 3, 2, 2, 'W')
	b = entry(b, 4, 5, 3, 104)
	b = le.AppendUint32(b, 0)
	for _, v := range []uint32{40, 1, 45, 1, 736, 100, 73, 1, 59, 1, 3600, 100} {
		b = le.AppendUint32(b, v)
	}
	return b
}

func sgPicture(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	return m
}

// sgJPEG is a real JPEG with an EXIF APP1 segment carrying GPS tags.
func sgJPEG(t *testing.T) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, sgPicture(64, 48), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	app1 := append([]byte("Exif\x00\x00"), sgEXIF()...)
	seg := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(len(app1)+2))
	plain := enc.Bytes()
	out := append(append(append([]byte{}, plain[:2]...), seg...), app1...)
	return append(out, plain[2:]...)
}

func sgPNGChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(append(b, typ...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// sgPNG is a real PNG with an eXIf chunk carrying GPS tags.
func sgPNG(t *testing.T) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := png.Encode(&enc, sgPicture(40, 30)); err != nil {
		t.Fatal(err)
	}
	const afterIHDR = 8 + 25
	plain := enc.Bytes()
	out := append(append([]byte{}, plain[:afterIHDR]...), sgPNGChunk("eXIf", sgEXIF())...)
	return append(out, plain[afterIHDR:]...)
}

// sgHugePNG is a small file whose header claims 30000×30000 pixels.
func sgHugePNG(t *testing.T) []byte {
	t.Helper()
	b := sgPNG(t)
	binary.BigEndian.PutUint32(b[16:], 30000)
	binary.BigEndian.PutUint32(b[20:], 30000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func sgSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// assertClean checks a stored copy: decodes, same size, no EXIF or GPS.
func assertClean(t *testing.T, data []byte, w, h int) {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != w || cfg.Height != h {
		t.Fatalf("stored copy: %v %dx%d, want %dx%d", err, cfg.Width, cfg.Height, w, h)
	}
	for _, marker := range [][]byte{[]byte("Exif"), []byte("eXIf"), sgEXIF()[:12], {0xff, 0xe1}} {
		if bytes.Contains(data, marker) {
			t.Errorf("stored copy still holds metadata %q", marker)
		}
	}
}

// toPhotos brings a conversation to the photos question.
func (r *sgRig) smsToPhotos(from string) {
	for _, text := range []string{"SEEN 2026-0142", "2", "1", "1", "Blue jacket, by the river"} {
		r.sms(from, text)
	}
}

func (r *sgRig) tgToPhotos(chat int64) {
	r.tgText(chat, "/start case_"+r.cases["2026-0142"].PublicID)
	for _, v := range []string{"rpt:no", "rpt:now"} {
		r.tgPress(chat, v)
	}
	r.tgText(chat, "Skip")
	r.tgText(chat, "Blue jacket, by the river")
}

// tgDocument sends a file as a Telegram document.
func (r *sgRig) tgDocument(chat int64, fileID, name, mime string, data []byte) {
	r.t.Helper()
	r.tg.AddFile(fileID, "documents/"+name, data)
	id := r.nextID()
	raw, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "date": 1700000000, "chat": map[string]any{"id": chat, "type": "private"},
		"from":     map[string]any{"id": chat, "is_bot": false, "first_name": "Test"},
		"document": map[string]any{"file_id": fileID, "file_unique_id": "u" + fileID, "file_name": name, "mime_type": mime, "file_size": len(data)},
	}})
	r.tgRaw(string(raw))
}

type sgPhoto struct {
	sum, ctype string
	data       []byte
}

func (r *sgRig) photos() []sgPhoto {
	r.t.Helper()
	rows, err := r.pool.Query(context.Background(), `SELECT sha256, content_type, data FROM tip_media ORDER BY id`)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var out []sgPhoto
	for rows.Next() {
		var p sgPhoto
		if err := rows.Scan(&p.sum, &p.ctype, &p.data); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestMMSPhotosStrippedAndHashed: real JPEG and PNG with EXIF GPS sent as
// MMS are stored without metadata, with the original's hash, then deleted at Twilio.
func TestMMSPhotosStrippedAndHashed(t *testing.T) {
	r := newSGRig(t)
	const from = "+12025550148"
	r.smsToPhotos(from)
	jpg, pngb := sgJPEG(t), sgPNG(t)
	u1, u2 := r.tw.AddMedia("", "image/jpeg", jpg), r.tw.AddMedia("", "image/png", pngb)
	r.sms(from, "", u1, u2)
	got := r.photos()
	if len(got) != 2 {
		t.Fatalf("%d photos stored, want 2", len(got))
	}
	if got[0].sum != sgSum(jpg) || got[0].ctype != "image/jpeg" || got[1].sum != sgSum(pngb) || got[1].ctype != "image/png" {
		t.Errorf("hashes or types differ: %s %s / %s %s", got[0].sum, got[0].ctype, got[1].sum, got[1].ctype)
	}
	assertClean(t, got[0].data, 64, 48)
	assertClean(t, got[1].data, 40, 30)
	if texts := r.smsTo(from); !strings.Contains(texts[len(texts)-2], "Photos received: 2") {
		t.Errorf("tipster not told: %q", texts[len(texts)-2:])
	}
	if !r.tw.HasMedia(u1) || !r.tw.HasMedia(u2) {
		t.Fatal("Twilio's copy is deleted after commit, by the janitor, not before")
	}
	if err := r.bot.SightingsJanitorOnce(context.Background(), 30*60e9); err != nil {
		t.Fatal(err)
	}
	if r.tw.HasMedia(u1) || r.tw.HasMedia(u2) {
		t.Error("Twilio still holds the photos after they were stored")
	}
	if r.count(`SELECT count(*) FROM media_deletions`) != 0 {
		t.Error("media deletions left over")
	}
}

// TestTelegramDocumentsStrippedAndHashed: the same files as Telegram documents.
func TestTelegramDocumentsStrippedAndHashed(t *testing.T) {
	r := newSGRig(t)
	const chat = 7700112233
	r.tgToPhotos(chat)
	jpg, pngb := sgJPEG(t), sgPNG(t)
	r.tgDocument(chat, "DOCJPEG1", "IMG_0001.JPG", "image/jpeg", jpg)
	r.tgDocument(chat, "DOCPNG01", "screen.png", "image/png", pngb)
	got := r.photos()
	if len(got) != 2 || got[0].sum != sgSum(jpg) || got[1].sum != sgSum(pngb) {
		t.Fatalf("stored %d photos, hashes wrong or missing", len(got))
	}
	assertClean(t, got[0].data, 64, 48)
	assertClean(t, got[1].data, 40, 30)
	if len(r.tg.CallsTo("getFile")) != 2 {
		t.Errorf("getFile calls: %d", len(r.tg.CallsTo("getFile")))
	}
}

// TestMediaRefusedPolitely: oversize, over-pixel and non-image files are
// refused with a plain answer on both channels, and nothing is stored.
func TestMediaRefusedPolitely(t *testing.T) {
	r := newSGRig(t)
	const from, chat = "+12025550149", 7700112234
	huge := append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, 11<<20)...)
	r.smsToPhotos(from)
	r.tgToPhotos(chat)
	cases := []struct {
		name, ctype string
		data        []byte
		want        string
	}{
		{"big.jpg", "image/jpeg", huge, "too large for us to accept"},
		{"huge.png", "image/png", sgHugePNG(t), "image is too big"},
		{"report.pdf", "application/pdf", []byte("%PDF-1.4 not a photo"), "only accept photos"},
		{"fake.jpg", "image/jpeg", []byte("this is text pretending to be a photo"), "only accept photos"},
		{"clip.mp4", "video/mp4", []byte("\x00\x00\x00\x18ftypmp42"), "only accept photos"},
	}
	for i, c := range cases {
		r.sms(from, "", r.tw.AddMedia("", c.ctype, c.data))
		if texts := r.smsTo(from); !strings.Contains(strings.Join(texts[len(texts)-2:], "\n"), c.want) {
			t.Errorf("MMS %s: answer %q, want %q", c.name, texts[len(texts)-2:], c.want)
		}
		r.tgDocument(chat, "F"+string(rune('A'+i)), c.name, c.ctype, c.data)
		if texts := r.tgTo("7700112234"); !strings.Contains(strings.Join(texts[len(texts)-2:], "\n"), c.want) {
			t.Errorf("Telegram %s: answer %q, want %q", c.name, texts[len(texts)-2:], c.want)
		}
	}
	if n := len(r.photos()); n != 0 {
		t.Errorf("%d refused files stored", n)
	}
}

// TestYouthPhotoNeverDownloaded: attachments outside a report are not fetched.
func TestYouthPhotoNeverDownloaded(t *testing.T) {
	r := newSGRig(t)
	const from = "+12025550150"
	r.sms(from, "hi")
	u := r.tw.AddMedia("", "image/jpeg", sgJPEG(t))
	r.sms(from, "", u)
	if n := r.tw.MediaFetches(u); n != 0 {
		t.Errorf("a photo outside a report was downloaded %d times", n)
	}
	if len(r.photos()) != 0 {
		t.Error("a photo outside a report was stored")
	}
}

// hits lists the text, varchar, jsonb and bytea columns of every table
// that hold needle.
func (r *sgRig) hits(needle string) []string {
	r.t.Helper()
	ctx := context.Background()
	rows, err := r.pool.Query(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'bytea')`)
	if err != nil {
		r.t.Fatal(err)
	}
	type col struct{ table, name, typ string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.name, &c.typ); err != nil {
			r.t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	var out []string
	for _, c := range cols {
		cond := fmt.Sprintf(`strpos(%q::text, $1) > 0`, c.name)
		if c.typ == "bytea" {
			cond = fmt.Sprintf(`position(convert_to($1, 'UTF8') in %q) > 0`, c.name)
		}
		if r.count(fmt.Sprintf(`SELECT count(*) FROM %q WHERE %s`, c.table, cond), needle) > 0 {
			out = append(out, c.table+"."+c.name)
		}
	}
	return out
}

// assertNoIdentifier checks that no column holds any of the sender
// identifiers in clear, after checking the scan finds what is there.
func (r *sgRig) assertNoIdentifier(control string, ids ...string) {
	r.t.Helper()
	if len(r.hits(control)) == 0 {
		r.t.Fatalf("the scan does not find %q, which is stored", control)
	}
	for _, id := range ids {
		if cols := r.hits(id); len(cols) > 0 {
			r.t.Errorf("the identifier %q is stored in clear in %v", id, cols)
		}
	}
}

// TestTelegramReportStoredExactly: a deep-link report with a location, a
// photo and contact details, every field checked.
func TestTelegramReportStoredExactly(t *testing.T) {
	r := newSGRig(t)
	const chat = 7700112235
	c := r.cases["2026-0142"]
	r.tgText(chat, "/start case_"+c.PublicID)
	r.tgPress(chat, "rpt:no")
	r.tgText(chat, "yesterday 15:30")
	r.tgRaw(telegramtest.LocationUpdate(r.nextID(), chat, 40.752123, -73.993456))
	r.tgText(chat, "Food court, with two teenagers, black backpack")
	jpg := sgJPEG(t)
	r.tg.AddFile("PHOTO1", "photos/p1.jpg", jpg)
	r.tgRaw(telegramtest.PhotoUpdate(r.nextID(), chat, "", "PHOTO1"))
	r.tgPress(chat, "rpt:done")
	r.tgPress(chat, "rpt:yes")
	r.tgText(chat, "Sam, evenings only")
	r.tgPress(chat, "rpt:confirm")
	code := tipCode(t, r.tgTo("7700112235"))
	x := r.tip(code)
	switch {
	case x.CaseID == nil || *x.CaseID != c.ID:
		t.Errorf("case %v", x.CaseID)
	case !eqTime(x.SeenAt, time.Date(2026, 3, 13, 19, 30, 0, 0, time.UTC)) || x.SeenText != "yesterday 15:30":
		t.Errorf("seen %v %q", x.SeenAt, x.SeenText)
	case x.Lat == nil || *x.Lat != 40.752123 || x.Lon == nil || *x.Lon != -73.993456 || x.Place != "":
		t.Errorf("where %v %v %q", x.Lat, x.Lon, x.Place)
	case x.Desc != "Food court, with two teenagers, black backpack" || r.contactOf(x) != "Sam, evenings only":
		t.Errorf("description %q contact %q", x.Desc, r.contactOf(x))
	case x.Channel != "telegram" || x.Incomplete || x.Urgent || !x.MayContact || !eqTime(x.SubmittedAt, r.turnAt):
		t.Errorf("flags %+v", x)
	}
	if p := r.photos(); len(p) != 1 || p[0].sum != sgSum(jpg) {
		t.Errorf("photos: %d", len(p))
	}
	r.assertNoIdentifier("black backpack", "7700112235")
}
