package staff

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"tipline/media"
	"tipline/store"
)

// gpsJPEG is a real JPEG whose comment segment carries a place, as the
// metadata of a phone's photo would.
func gpsJPEG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 7)
	}
	m.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	com := []byte("GPS 40.7520N 73.9933W taken at the tipster's home")
	seg := append([]byte{0xff, 0xfe, 0, byte(len(com) + 2)}, com...)
	plain := b.Bytes()
	return append(append(append([]byte{}, plain[:2]...), seg...), plain[2:]...)
}

// addPhotoWithOriginal stores a photo on a tip as the bot does: stripped
// copy and sealed original.
func addPhotoWithOriginal(t *testing.T, e *env, tipID int64, orig []byte) int64 {
	t.Helper()
	img, err := media.Process(orig, "image/jpeg", media.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := e.keys.Seal(img.Original, store.OriginalAAD)
	if err != nil {
		t.Fatal(err)
	}
	err = store.AddTipPhoto(context.Background(), e.pool, tipID, store.TipPhoto{SHA256: img.OriginalSHA256, ContentType: img.ContentType,
		Data: img.Stripped, Width: img.Width, Height: img.Height, Original: sealed, OriginalSize: len(orig)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.pool.QueryRow(context.Background(), `SELECT max(id) FROM tip_media WHERE tip_id = $1`, tipID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// readZip returns a package's files by name.
func readZip(t *testing.T, r *http.Response) map[string][]byte {
	t.Helper()
	b := []byte(bodyOf(t, r))
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("package: %d %s: %.200s", r.StatusCode, r.Header.Get("Content-Type"), b)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// TestExportedOriginalMatchesSHA256 (issue 18, acceptance 4): through the
// real export route, after the warning, the package carries the original
// byte for byte; its SHA-256 is the one stored on receipt and the one the
// manifest lists, with who exported it and when. Without the confirmation
// no original leaves; a changed original stops the export.
func TestExportedOriginalMatchesSHA256(t *testing.T) {
	e := newEnv(t)
	admin := e.login(adminEmail)
	orig := gpsJPEG(t)
	mid := addPhotoWithOriginal(t, e, e.fx.tipID, orig)
	tip := "/staff/tips/" + itoa(e.fx.tipID)

	page := bodyOf(t, e.get(admin, tip+"/export.zip"))
	if !strings.Contains(page, `id="originals-warning"`) || !strings.Contains(page, "location") ||
		!strings.Contains(page, media.SHA256(orig)) {
		t.Fatalf("no warning before originals leave:\n%.600s", page)
	}
	files := readZip(t, e.get(admin, tip+"/export.zip?originals=include"))
	name := "originals/" + itoa(mid) + ".jpg"
	got, ok := files[name]
	var stored string
	_ = e.pool.QueryRow(context.Background(), `SELECT sha256 FROM tip_media WHERE id = $1`, mid).Scan(&stored)
	if !ok || !bytes.Equal(got, orig) || media.SHA256(got) != stored {
		t.Fatalf("original %s: present %v, byte-equal %v, SHA-256 %s stored %s", name, ok, bytes.Equal(got, orig), media.SHA256(got), stored)
	}
	if !bytes.Contains(got, []byte("GPS 40.7520N")) || bytes.Contains(files["photos/"+itoa(mid)+".jpg"], []byte("GPS")) {
		t.Error("the original lost its metadata or the stripped copy kept it")
	}
	sums := string(files["SHA256SUMS.txt"])
	for _, want := range []string{stored + "  " + name, "Exported by " + adminEmail, "Chain of custody", "checked equal at export"} {
		if !strings.Contains(sums, want) {
			t.Errorf("manifest lacks %q:\n%s", want, sums)
		}
	}
	for n, b := range files {
		if n != "SHA256SUMS.txt" && !strings.Contains(sums, media.SHA256(b)+"  "+n) {
			t.Errorf("manifest lacks the SHA-256 of %s", n)
		}
	}
	var detail string
	_ = e.pool.QueryRow(context.Background(), `SELECT detail::text FROM audit_log WHERE action = 'export.tip_package' ORDER BY id DESC LIMIT 1`).Scan(&detail)
	if !strings.Contains(detail, `"originals": 1`) {
		t.Errorf("audit detail %s", detail)
	}
	if omit := readZip(t, e.get(admin, tip+"/export.zip?originals=omit")); len(omit) != len(files)-1 {
		t.Errorf("without originals: %d files, want %d", len(omit), len(files)-1)
	}
	// An original that no longer matches its hash is not exported.
	other, _ := e.keys.Seal(append(orig, 0), store.OriginalAAD)
	e.exec(`UPDATE tip_media_originals SET sealed = $2 WHERE id = $1`, mid, other)
	if r := e.get(admin, tip+"/export.zip?originals=include"); r.StatusCode != http.StatusConflict {
		t.Errorf("changed original exported: %d", r.StatusCode)
	}
}

// TestAbuseMaterialOriginalNotKept: marking a photo as abuse material
// drops its original at once; the package then has neither, and asks
// nothing.
func TestAbuseMaterialOriginalNotKept(t *testing.T) {
	e := newEnv(t)
	admin := e.login(adminEmail)
	mid := addPhotoWithOriginal(t, e, e.fx.tipID, gpsJPEG(t))
	tip := "/staff/tips/" + itoa(e.fx.tipID)
	if r := e.post(admin, tip+"/media/"+itoa(mid)+"/csam", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d", r.StatusCode)
	}
	var n int
	_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM tip_media_originals WHERE id = $1`, mid).Scan(&n)
	if n != 0 {
		t.Fatal("the original of abuse material is kept")
	}
	files := readZip(t, e.get(admin, tip+"/export.zip"))
	for name := range files {
		if strings.HasPrefix(name, "originals/") || strings.HasSuffix(name, "/"+itoa(mid)+".jpg") {
			t.Errorf("abuse material exported as %s", name)
		}
	}
}
