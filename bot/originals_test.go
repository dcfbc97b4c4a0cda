package bot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"tipline/store"
)

// TestPhotoOriginalsKeptSealed: the file a tipster sent is kept sealed
// beside the stripped copy, opens to the very bytes sent (their SHA-256 is
// the one recorded), goes when the photo is marked as abuse material (and
// cannot come back), and goes with the tip.
func TestPhotoOriginalsKeptSealed(t *testing.T) {
	r := newSGRig(t)
	ctx := context.Background()
	const from = "+12025550147"
	r.smsToPhotos(from)
	jpg, pngb := sgJPEG(t), sgPNG(t)
	r.sms(from, "", r.tw.AddMedia("", "image/jpeg", jpg), r.tw.AddMedia("", "image/png", pngb))
	rows, err := r.pool.Query(ctx, `SELECT m.id, m.sha256, o.sealed, o.size FROM tip_media m
		JOIN tip_media_originals o ON o.id = m.id ORDER BY m.id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := 0; rows.Next(); i++ {
		var id int64
		var sum string
		var sealed []byte
		var size int
		if err := rows.Scan(&id, &sum, &sealed, &size); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		sent := [][]byte{jpg, pngb}[min(i, 1)]
		if bytes.Contains(sealed, []byte("Exif")) {
			t.Errorf("original %d stored in clear", id)
		}
		plain, err := r.keys.Open(sealed, store.OriginalAAD)
		if err != nil || !bytes.Equal(plain, sent) || sum != sgSum(sent) || size != len(sent) {
			t.Errorf("original %d: open err %v, equal %v, sha %v, size %d/%d", id, err, bytes.Equal(plain, sent), sum == sgSum(sent), size, len(sent))
		}
	}
	rows.Close()
	if len(ids) != 2 {
		t.Fatalf("%d originals kept, want 2", len(ids))
	}
	// Abuse material: marking drops the original, and none can be added.
	if _, err := r.pool.Exec(ctx, `UPDATE tip_media SET csam = true WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if n := r.count(`SELECT count(*) FROM tip_media_originals WHERE id = $1`, ids[0]); n != 0 {
		t.Error("the original of a photo marked as abuse material is kept")
	}
	if n := r.count(`SELECT count(*) FROM tip_media WHERE id = $1 AND octet_length(data) > 0`, ids[0]); n != 1 {
		t.Error("the stripped copy of marked material is not preserved")
	}
	_, err = r.pool.Exec(ctx, `INSERT INTO tip_media_originals (id, sealed, size) VALUES ($1, '\x01', 1)`, ids[0])
	if err == nil || !strings.Contains(err.Error(), "abuse material") {
		t.Errorf("an original of marked material was accepted: %v", err)
	}
	// The tip's deletion (retention, DELETE of a draft) takes the originals.
	if _, err := r.pool.Exec(ctx, `DELETE FROM tips`); err != nil {
		t.Fatal(err)
	}
	if n := r.count(`SELECT count(*) FROM tip_media_originals`); n != 0 {
		t.Errorf("%d originals outlive their tip", n)
	}
}
