package store_test

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// TestOriginalsRotateInChunks: key rotation re-seals photo originals in
// transactions of a few rows, yet one call still sees a whole batch, so a
// walk over batches does not stop early.
func TestOriginalsRotateInChunks(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	oldKey, newKey := seal.GenerateKey(), seal.GenerateKey()
	before, _ := seal.ParseKeys(oldKey, nil)
	after, _ := seal.ParseKeys(newKey, []string{oldKey})
	var tipID int64
	if err := pool.QueryRow(ctx, `INSERT INTO tips (code, channel) VALUES ('ORIG0001', 'sms') RETURNING id`).Scan(&tipID); err != nil {
		t.Fatal(err)
	}
	const n = 21
	for i := range n {
		plain := []byte{byte(i), 1, 2, 3}
		sealed, _ := before.Seal(plain, store.OriginalAAD)
		err := store.AddTipPhoto(ctx, pool, tipID, store.TipPhoto{SHA256: "x", ContentType: "image/jpeg", Data: []byte{1},
			Original: sealed, OriginalSize: len(plain)}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	col := store.SealedColumns[len(store.SealedColumns)-1]
	if col.Table != "tip_media_originals" || col.Batch <= 0 || col.Batch >= n {
		t.Fatalf("originals column: %+v", col)
	}
	keyID, _ := hex.DecodeString(after.CurrentID())
	res, err := store.RotateSealed(ctx, pool, col, keyID, 0, 200, func(old []byte) ([]byte, error) {
		p, err := after.Open(old, col.AAD)
		if err != nil {
			return nil, err
		}
		return after.Seal(p, col.AAD)
	})
	if err != nil || res.Seen != n || res.Rotated != n {
		t.Fatalf("rotate: %+v %v", res, err)
	}
	onlyNew, _ := seal.ParseKeys(newKey, nil)
	rows, _ := pool.Query(ctx, `SELECT sealed FROM tip_media_originals`)
	defer rows.Close()
	for rows.Next() {
		var b []byte
		_ = rows.Scan(&b)
		if _, err := onlyNew.Open(b, store.OriginalAAD); err != nil {
			t.Errorf("an original not under the new key: %v", err)
		}
	}
}
