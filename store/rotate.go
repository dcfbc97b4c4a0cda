package store

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The layout of a sealed value (package seal): a version byte, then the
// 4-byte id of the key it was sealed under. SQL reads the key id with
// substring(col FROM 2 FOR 4).

// SealedColumn is a column holding values made by seal.Keys.Seal under a
// fixed aad, other than contacts.id_sealed (whose aad names the channel).
type SealedColumn struct {
	Table, Column, AAD string
	// Batch, when set, caps the rows of one rotation batch (large values).
	Batch int
}

// SealedColumns lists every such column; the key rotation re-seals each.
// A new sealed column must be added here (the rotation test fails when a
// value under an old key survives a rotation anywhere in the schema).
var SealedColumns = []SealedColumn{
	{Table: "tips", Column: "contact_sealed", AAD: "tip-contact"}, // staff/tip_contact.go, the report flow
	{Table: "staff", Column: "totp_secret", AAD: "staff-totp"},    // staff/totp.go
	{Table: "staff", Column: "totp_pending", AAD: "staff-totp"},
	// photo originals, up to media.DefaultMaxBytes each (media_originals.go)
	{Table: "tip_media_originals", Column: "sealed", AAD: OriginalAAD, Batch: 8},
}

// ContactSeal is a contact's lookup hash and sealed identifier.
type ContactSeal struct {
	ID      int64
	Channel string
	Hash    []byte
	Sealed  []byte
}

// RotateResult counts what one rotation batch did.
type RotateResult struct {
	Last      int64 // highest row id looked at; the next batch starts after it
	Seen      int   // rows locked and looked at
	Rotated   int   // rows rewritten under the current key
	Failed    int   // rows fn refused (sealed under an unknown key, or damaged)
	Conflicts int   // contacts whose new hash another contact already has
}

// RotateContacts re-hashes and re-seals, in one short transaction, up to
// limit contacts with id > after whose sealed copy or hash is not under the
// key keyID. fn opens the sealed copy and returns the new hash and sealed
// value (an error leaves the row as it is, counted in Failed). Rows locked
// by a running turn are skipped: run passes until nothing is left.
func RotateContacts(ctx context.Context, pool *pgxpool.Pool, keyID []byte, after int64, limit int,
	fn func(c ContactSeal) (hash, sealed []byte, err error)) (RotateResult, error) {
	res := RotateResult{Last: after}
	err := InTx(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, channel, id_hash, id_sealed FROM contacts
			WHERE id > $1 AND id_sealed IS NOT NULL
			  AND (substring(id_sealed FROM 2 FOR 4) <> $2 OR hash_key IS DISTINCT FROM $2)
			ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`, after, keyID, limit)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ContactSeal])
		if err != nil {
			return err
		}
		res.Seen = len(found)
		b := &pgx.Batch{}
		for _, c := range found {
			res.Last = max(res.Last, c.ID)
			hash, sealed, err := fn(c)
			if err != nil {
				res.Failed++
				continue
			}
			b.Queue(`UPDATE contacts SET id_hash = $2, id_sealed = $3, hash_key = $4 WHERE id = $1
				AND NOT EXISTS (SELECT 1 FROM contacts o WHERE o.channel = contacts.channel AND o.id_hash = $2 AND o.id <> $1)`,
				c.ID, hash, sealed, keyID)
		}
		return runRotateBatch(ctx, tx, b, &res)
	})
	if err != nil {
		return RotateResult{Last: after}, fmt.Errorf("rotate contacts: %w", err)
	}
	return res, nil
}

// runRotateBatch sends the updates and counts rows changed and conflicts.
func runRotateBatch(ctx context.Context, tx pgx.Tx, b *pgx.Batch, res *RotateResult) error {
	if b.Len() == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, b)
	for range b.Len() {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return err
		}
		if tag.RowsAffected() == 1 {
			res.Rotated++
		} else {
			res.Conflicts++
		}
	}
	return br.Close()
}

// RotateSealed re-seals, in one short transaction (a column with Batch
// set: in transactions of at most Batch rows), up to limit values of col
// in rows with id > after that were sealed under a key other than keyID;
// fn turns an old sealed value into a new one.
func RotateSealed(ctx context.Context, pool *pgxpool.Pool, col SealedColumn, keyID []byte, after int64, limit int,
	fn func(old []byte) ([]byte, error)) (RotateResult, error) {
	if col.Batch > 0 && limit > col.Batch {
		return rotateInChunks(limit, col.Batch, after, func(after int64, n int) (RotateResult, error) {
			return RotateSealed(ctx, pool, col, keyID, after, n, fn)
		})
	}
	res := RotateResult{Last: after}
	table, column := pgx.Identifier{col.Table}.Sanitize(), pgx.Identifier{col.Column}.Sanitize()
	err := InTx(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT id, %[2]s FROM %[1]s
			WHERE id > $1 AND %[2]s IS NOT NULL AND substring(%[2]s FROM 2 FOR 4) <> $2
			ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`, table, column), after, keyID, limit)
		if err != nil {
			return err
		}
		type row struct {
			ID    int64
			Value []byte
		}
		found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
		if err != nil {
			return err
		}
		res.Seen = len(found)
		b := &pgx.Batch{}
		for _, r := range found {
			res.Last = max(res.Last, r.ID)
			sealed, err := fn(r.Value)
			if err != nil {
				res.Failed++
				continue
			}
			b.Queue(fmt.Sprintf(`UPDATE %s SET %s = $2 WHERE id = $1`, table, column), r.ID, sealed)
		}
		return runRotateBatch(ctx, tx, b, &res)
	})
	if err != nil {
		return RotateResult{Last: after}, fmt.Errorf("rotate %s.%s: %w", col.Table, col.Column, err)
	}
	return res, nil
}

// SealedStateField is a sealed value kept inside conversations.state:
// data[Field] holds Prefix, then the standard base64 of a value sealed with
// AAD (see bot.SealedStateFields).
type SealedStateField struct {
	Field, Prefix, AAD string
}

// stateValueSQL extracts the sealed bytes of data[$field] ($field, then
// the 1-based position after the prefix, are the last two parameters).
func stateValueSQL(field, from int) string {
	return fmt.Sprintf(`decode(substring(state->'data'->>$%d FROM $%d::int), 'base64')`, field, from)
}

// RotateStateField re-seals, in one short transaction, up to limit
// conversations (id > after) whose state holds f sealed under a key other
// than keyID.
func RotateStateField(ctx context.Context, pool *pgxpool.Pool, f SealedStateField, keyID []byte, after int64, limit int,
	fn func(old []byte) ([]byte, error)) (RotateResult, error) {
	res := RotateResult{Last: after}
	err := InTx(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, `+stateValueSQL(4, 5)+` FROM conversations
			WHERE id > $1 AND starts_with(state->'data'->>$4, $6)
			  AND substring(`+stateValueSQL(4, 5)+` FROM 2 FOR 4) <> $2
			ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`, after, keyID, limit, f.Field, len(f.Prefix)+1, f.Prefix)
		if err != nil {
			return err
		}
		type row struct {
			ID    int64
			Value []byte
		}
		found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
		if err != nil {
			return err
		}
		res.Seen = len(found)
		b := &pgx.Batch{}
		for _, r := range found {
			res.Last = max(res.Last, r.ID)
			sealed, err := fn(r.Value)
			if err != nil {
				res.Failed++
				continue
			}
			b.Queue(`UPDATE conversations SET state = jsonb_set(state, ARRAY['data', $3::text], to_jsonb($2::text)) WHERE id = $1`,
				r.ID, f.Prefix+base64.StdEncoding.EncodeToString(sealed), f.Field)
		}
		return runRotateBatch(ctx, tx, b, &res)
	})
	if err != nil {
		return RotateResult{Last: after}, fmt.Errorf("rotate conversations.state %s: %w", f.Field, err)
	}
	return res, nil
}

// rotateInChunks runs step on chunks of at most chunk rows, each in its own
// transaction, until limit rows were seen or none are left, and adds up
// their results as one batch of limit.
func rotateInChunks(limit, chunk int, after int64, step func(after int64, n int) (RotateResult, error)) (RotateResult, error) {
	sum := RotateResult{Last: after}
	for sum.Seen < limit {
		n := min(chunk, limit-sum.Seen)
		res, err := step(sum.Last, n)
		if err != nil {
			return sum, err
		}
		sum.Seen += res.Seen
		sum.Rotated += res.Rotated
		sum.Failed += res.Failed
		sum.Conflicts += res.Conflicts
		sum.Last = max(sum.Last, res.Last)
		if res.Seen < n {
			break
		}
	}
	return sum, nil
}

// KeyUsage counts what still depends on keys other than the current one.
type KeyUsage struct {
	// SealedOld: contacts whose sealed identifier is under another key.
	SealedOld int64
	// HashOld: contacts whose lookup hash is under another key (or an
	// unknown one) although their sealed copy would allow a re-hash.
	HashOld int64
	// Contacts: contacts a rotation pass looks at (SealedOld or HashOld).
	Contacts int64
	// HashOnly: contacts with no sealed copy left (opted out and erased,
	// or past RETENTION_REPLY_DAYS) whose hash is under another or an
	// unknown key: they cannot be re-hashed, and are found only while
	// that key stays in TIPLINE_PREVIOUS_KEYS.
	HashOnly int64
	// Columns: values of each SealedColumns entry under another key,
	// keyed "table.column", and of each sealed state field, keyed
	// "conversations.state.<field>".
	Columns map[string]int64
}

// KeyUsageOf counts the values not under the key keyID.
func KeyUsageOf(ctx context.Context, db DBTX, keyID []byte, state []SealedStateField) (KeyUsage, error) {
	u := KeyUsage{Columns: map[string]int64{}}
	err := db.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE id_sealed IS NOT NULL AND substring(id_sealed FROM 2 FOR 4) <> $1),
		count(*) FILTER (WHERE id_sealed IS NOT NULL AND hash_key IS DISTINCT FROM $1),
		count(*) FILTER (WHERE id_sealed IS NULL AND hash_key IS DISTINCT FROM $1),
		count(*) FILTER (WHERE id_sealed IS NOT NULL AND (substring(id_sealed FROM 2 FOR 4) <> $1 OR hash_key IS DISTINCT FROM $1))
		FROM contacts`, keyID).Scan(&u.SealedOld, &u.HashOld, &u.HashOnly, &u.Contacts)
	if err != nil {
		return u, fmt.Errorf("key usage: %w", err)
	}
	for _, c := range SealedColumns {
		var n int64
		q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE %[2]s IS NOT NULL AND substring(%[2]s FROM 2 FOR 4) <> $1`,
			pgx.Identifier{c.Table}.Sanitize(), pgx.Identifier{c.Column}.Sanitize())
		if err := db.QueryRow(ctx, q, keyID).Scan(&n); err != nil {
			return u, fmt.Errorf("key usage %s.%s: %w", c.Table, c.Column, err)
		}
		u.Columns[c.Table+"."+c.Column] = n
	}
	for _, f := range state {
		var n int64
		err := db.QueryRow(ctx, `SELECT count(*) FROM conversations WHERE starts_with(state->'data'->>$2, $4)
			AND substring(`+stateValueSQL(2, 3)+` FROM 2 FOR 4) <> $1`, keyID, f.Field, len(f.Prefix)+1, f.Prefix).Scan(&n)
		if err != nil {
			return u, fmt.Errorf("key usage state %s: %w", f.Field, err)
		}
		u.Columns["conversations.state."+f.Field] = n
	}
	return u, nil
}

// HashKeyCounts counts contacts by the id of the key their hash was made
// under ("" when unknown): what `tipline keys status` shows.
func HashKeyCounts(ctx context.Context, db DBTX) (map[string]int64, error) {
	rows, err := db.Query(ctx, `SELECT coalesce(encode(hash_key, 'hex'), ''), count(*) FROM contacts GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("hash keys: %w", err)
	}
	out := map[string]int64{}
	var k string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&k, &n}, func() error { out[k] = n; return nil })
	return out, err
}
