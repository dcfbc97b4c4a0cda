package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OriginalAAD binds a sealed photo original to its place
// (tip_media_originals.sealed, migration 0022).
const OriginalAAD = "tip-media-original"

// MediaOriginal describes the kept original of one of a tip's photos,
// without its bytes.
type MediaOriginal struct {
	ID         int64     // the photo's id (tip_media.id)
	SHA256     string    // hex SHA-256 recorded when the file was received
	Size       int       // bytes of the original in clear
	ReceivedAt time.Time // when it was stored
}

// TipOriginals lists the kept originals of a tip's photos, oldest first.
// Photos marked as abuse material have none (migration 0022).
func (s *Dashboard) TipOriginals(ctx context.Context, tipID int64) ([]MediaOriginal, error) {
	rows, err := s.pool.Query(ctx, `SELECT m.id, m.sha256, o.size, o.created_at
		FROM tip_media m JOIN tip_media_originals o ON o.id = m.id
		WHERE m.tip_id = $1 AND NOT m.csam ORDER BY m.id`, tipID)
	if err != nil {
		return nil, fmt.Errorf("tip originals: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[MediaOriginal])
}

// OriginalSealed returns the sealed original of a tip's photo (open it
// with OriginalAAD). A photo marked as abuse material, or one whose
// original was not kept, is not found.
func (s *Dashboard) OriginalSealed(ctx context.Context, tipID, mediaID int64) ([]byte, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT o.sealed FROM tip_media_originals o JOIN tip_media m ON m.id = o.id
		WHERE o.id = $1 AND m.tip_id = $2 AND NOT m.csam`, mediaID, tipID).Scan(&b)
	return b, notFound(err, "original")
}
