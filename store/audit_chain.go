package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/seal"
)

// The audit chain (migration 0017, docs/design.md section 9): every audit
// row carries seq, its place in one gap-free chain; key_id, the master key
// its MAC is under; and mac = HMAC-SHA256(audit key, chain hash), where
// chain hash = SHA-256(previous chain hash || the row's encoding). The
// audit key is derived from TIPLINE_SECRET_KEY and never stored.

// auditKeyKind names the audit key among the keyed hashes of a master key:
// the audit key of a master key is its seal hash of (auditKeyKind, "v1").
// No identifier is ever hashed under this kind.
const auditKeyKind = "tipline audit chain key"

// AuditKeys holds the audit MAC keys of the current master key, used for
// every new row, and of the previous ones, for verifying older rows. It
// formats as key ids only.
type AuditKeys struct {
	current string            // key id of new rows
	keys    map[string][]byte // key id → audit key
}

// NewAuditKeys derives the audit keys of ks's current and previous keys.
func NewAuditKeys(ks *seal.Keys) *AuditKeys {
	macs := ks.HashAll(auditKeyKind, "v1")
	ids := append([]string{ks.CurrentID()}, ks.PreviousIDs()...)
	ak := &AuditKeys{current: ids[0], keys: make(map[string][]byte, len(ids))}
	for i, id := range ids {
		ak.keys[id] = macs[i]
	}
	return ak
}

// CurrentID is the key id new rows are signed under.
func (ak *AuditKeys) CurrentID() string { return ak.current }

// String names the keys by id only.
func (ak *AuditKeys) String() string { return "store.AuditKeys(current=" + ak.current + ")" }

// mac is HMAC-SHA256 of the chain hash h under key id; ok is false when
// that key is not configured.
func (ak *AuditKeys) mac(id string, h []byte) (sum []byte, ok bool) {
	k, ok := ak.keys[id]
	if !ok {
		return nil, false
	}
	m := hmac.New(sha256.New, k)
	m.Write(h)
	return m.Sum(nil), true
}

// macs returns a MAC function for one goroutine: it keeps a keyed HMAC
// state per key id and resets it, instead of keying a new one per row.
func (ak *AuditKeys) macs() func(id string, h []byte) (sum []byte, ok bool) {
	states := map[string]hash.Hash{}
	var out []byte
	return func(id string, h []byte) ([]byte, bool) {
		m, ok := states[id]
		if !ok {
			k, known := ak.keys[id]
			if !known {
				return nil, false
			}
			m = hmac.New(sha256.New, k)
			states[id] = m
		}
		m.Reset()
		m.Write(h)
		out = m.Sum(out[:0])
		return out, true
	}
}

// auditKeys is the process's audit signer (UseAuditKeys); nil writes rows
// without a MAC, which `tipline audit verify` reports as inserted.
var auditKeys atomic.Pointer[AuditKeys]

// warnUnsigned says once that audit rows are written without a MAC.
var warnUnsigned sync.Once

// UseAuditKeys makes every later Audit call sign its row with ak (nil:
// none). serve and dev call it once, with the keys of TIPLINE_SECRET_KEY.
func UseAuditKeys(ak *AuditKeys) { auditKeys.Store(ak) }

// chainRow is what an audit row's MAC covers, in a fixed encoding.
type chainRow struct {
	ID, Seq    int64
	At         time.Time
	StaffID    *int64
	StaffEmail string
	Action     string
	ObjectType string
	ObjectID   string
	Detail     string // the jsonb as PostgreSQL prints it
	ClientAddr string
	KeyID      string
}

// encode appends the row's encoding to b: fixed-width numbers, and each
// text as its length and bytes, so no two rows encode alike.
func (r *chainRow) encode(b []byte) []byte {
	b = append(b, "audit v1"...)
	b = binary.BigEndian.AppendUint64(b, uint64(r.ID))
	b = binary.BigEndian.AppendUint64(b, uint64(r.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(r.At.UnixMicro()))
	if r.StaffID != nil {
		b = append(b, 1)
		b = binary.BigEndian.AppendUint64(b, uint64(*r.StaffID))
	} else {
		b = append(b, 0)
	}
	for _, s := range []string{r.StaffEmail, r.Action, r.ObjectType, r.ObjectID, r.Detail, r.ClientAddr, r.KeyID} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	return b
}

// next returns the chain hash after r, given the hash before it. buf is
// scratch space, returned for reuse.
func (r *chainRow) next(prev, buf []byte) (sum, scratch []byte) {
	buf = r.encode(append(buf[:0], prev...))
	h := sha256.Sum256(buf)
	return h[:], buf
}

// appendAudit writes e: chained and signed when the process has audit keys,
// else without a MAC. A pool gets its own short transaction; a transaction
// holds the chain head until it ends.
func appendAudit(ctx context.Context, db DBTX, e AuditEntry) error {
	ak := auditKeys.Load()
	if ak == nil {
		warnUnsigned.Do(func() {
			slog.Warn("audit rows are written without a MAC: no audit keys set (store.UseAuditKeys)")
		})
		return insertUnsigned(ctx, db, e)
	}
	return AppendAudit(ctx, db, ak, e)
}

// AppendAudit writes e as the next row of the chain, signed under ak's
// current key. On a transaction the chain head stays locked until it ends,
// so call it late in the transaction; on a pool it runs in its own.
func AppendAudit(ctx context.Context, db DBTX, ak *AuditKeys, e AuditEntry) error {
	if tx, ok := db.(pgx.Tx); ok {
		return appendChained(ctx, tx, ak, e)
	}
	b, ok := db.(interface {
		Begin(context.Context) (pgx.Tx, error)
	})
	if !ok {
		return errors.New("audit: a pool or a transaction is needed")
	}
	tx, err := b.Begin(ctx)
	if err != nil {
		return fmt.Errorf("audit: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after commit it is a no-op
	if err := appendChained(ctx, tx, ak, e); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("audit: commit: %w", err)
	}
	return nil
}

// appendChained locks the chain head, takes the next id, signs the row and
// writes it with the new head, in two statements.
func appendChained(ctx context.Context, tx pgx.Tx, ak *AuditKeys, e AuditEntry) error {
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	r := chainRow{At: e.At, StaffID: e.StaffID, StaffEmail: e.StaffEmail, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, ClientAddr: e.ClientAddr, KeyID: ak.current}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	r.At = r.At.Truncate(time.Microsecond) // what timestamptz keeps
	var prev []byte
	err := tx.QueryRow(ctx, `SELECT c.seq + 1, c.hash, nextval(pg_get_serial_sequence('audit_log', 'id')), $1::jsonb::text
		FROM audit_chain c FOR UPDATE`, e.Detail).Scan(&r.Seq, &prev, &r.ID, &r.Detail)
	if err != nil {
		return fmt.Errorf("audit: chain head: %w", err)
	}
	h, _ := r.next(prev, nil)
	mac, _ := ak.mac(ak.current, h)
	_, err = tx.Exec(ctx, `WITH ins AS (
			INSERT INTO audit_log (id, at, staff_id, staff_email, action, object_type, object_id, detail, client_addr, seq, key_id, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $11, $12))
		UPDATE audit_chain SET seq = $10, last_id = $1, hash = $13`,
		r.ID, r.At, r.StaffID, r.StaffEmail, r.Action, r.ObjectType, r.ObjectID, r.Detail, r.ClientAddr,
		r.Seq, r.KeyID, mac, h)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// insertUnsigned writes e without a place in the chain (no audit keys).
func insertUnsigned(ctx context.Context, db DBTX, e AuditEntry) error {
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err := db.Exec(ctx, `INSERT INTO audit_log (at, staff_id, staff_email, action, object_type, object_id, detail, client_addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		at, e.StaffID, e.StaffEmail, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.ClientAddr)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
