package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strings"

	"github.com/jackc/pgx/v5"
)

// AuditBreak is the first place the audit chain does not hold.
type AuditBreak struct {
	ID   int64  // the row named (0: none, e.g. rows missing at the end)
	Seq  int64  // its place in the chain (0: none)
	Kind string // edited, deleted, inserted, truncated, unsealed, unverifiable
	Why  string
}

func (b *AuditBreak) String() string {
	return fmt.Sprintf("%s: row id %d (seq %d): %s", b.Kind, b.ID, b.Seq, b.Why)
}

// AuditAnchor is a chain position recorded outside the database (a seq
// and the start of its MAC in hex, as verify prints the head): a later
// verify that does not find it there names the chain truncated.
type AuditAnchor struct {
	Seq    int64
	MACHex string
}

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	Rows      int64            // rows read
	Chained   int64            // rows with a place in the chain
	Checked   int64            // chained rows whose MAC was checked
	Legacy    int64            // rows from before the chain, covered by the seal row
	Unchecked map[string]int64 // chained rows under keys not configured, by key id
	HeadSeq   int64            // the last row's seq, id and MAC
	HeadID    int64
	HeadMAC   []byte
	Break     *AuditBreak // nil when the whole chain holds
}

// auditHead is the chain head row as stored.
type auditHead struct {
	seq, lastID   int64
	hash          []byte
	legacyThrough *int64
}

// auditWalk is the state of one verification.
type auditWalk struct {
	ak      *AuditKeys
	mac     func(id string, h []byte) ([]byte, bool) // ak.macs()
	head    auditHead
	anchor  *AuditAnchor
	rep     AuditReport
	hash    []byte    // chain hash after the last chained row
	legacy  hash.Hash // SHA-256 of the legacy rows so far
	pending int64     // chained rows since the last checked MAC
	sealed  bool      // the audit.seal row was met and matched
	anchorc bool      // the anchor was met
	unseal  int64     // rows without a MAC while nothing is sealed
	buf     []byte
}

// VerifyAudit walks the whole audit log in id order in one snapshot,
// recomputing the chain, and stops at the first row where it breaks.
func VerifyAudit(ctx context.Context, pool *Pool, ak *AuditKeys, anchor *AuditAnchor) (*AuditReport, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("audit verify: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	w := &auditWalk{ak: ak, mac: ak.macs(), anchor: anchor, hash: make([]byte, sha256.Size), legacy: sha256.New(),
		rep: AuditReport{Unchecked: map[string]int64{}}}
	if err := tx.QueryRow(ctx, `SELECT seq, last_id, hash, legacy_through FROM audit_chain`).
		Scan(&w.head.seq, &w.head.lastID, &w.head.hash, &w.head.legacyThrough); err != nil {
		return nil, fmt.Errorf("audit verify: chain head: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT id, seq, at, staff_id, staff_email, action, object_type, object_id,
		detail::text, client_addr, key_id, mac FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	for rows.Next() && w.rep.Break == nil {
		var r chainRow
		var seq *int64
		var keyID *string
		var mac []byte
		if err := rows.Scan(&r.ID, &seq, &r.At, &r.StaffID, &r.StaffEmail, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Detail, &r.ClientAddr, &keyID, &mac); err != nil {
			return nil, fmt.Errorf("audit verify: %w", err)
		}
		w.rep.Rows++
		if seq == nil || keyID == nil || mac == nil {
			w.unsigned(&r)
			continue
		}
		r.Seq, r.KeyID = *seq, *keyID
		w.chained(&r, mac)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit verify: %w", err)
	}
	if w.rep.Break == nil {
		w.finish()
	}
	return &w.rep, nil
}

// fail records the first break.
func (w *auditWalk) fail(id, seq int64, kind, format string, args ...any) {
	if w.rep.Break == nil {
		w.rep.Break = &AuditBreak{ID: id, Seq: seq, Kind: kind, Why: fmt.Sprintf(format, args...)}
	}
}

// unsigned takes a row without a MAC: a legacy row under the seal, a
// legacy row waiting for it, or an insert.
func (w *auditWalk) unsigned(r *chainRow) {
	switch lt := w.head.legacyThrough; {
	case lt == nil:
		w.unseal++
	case r.ID <= *lt && !w.sealed:
		w.rep.Legacy++
		w.buf = r.encode(w.buf[:0])
		w.legacy.Write(w.buf)
	default:
		w.fail(r.ID, 0, "inserted", "a row without a MAC after the chain began (written without the key, or inserted directly)")
	}
}

// chained checks a row's place in the chain and its MAC.
func (w *auditWalk) chained(r *chainRow, mac []byte) {
	want := w.rep.HeadSeq + 1
	switch {
	case r.Seq > want:
		if r.Seq == want+1 {
			w.fail(r.ID, r.Seq, "deleted", "the row at seq %d before it is missing", want)
		} else {
			w.fail(r.ID, r.Seq, "deleted", "the rows at seq %d to %d before it are missing", want, r.Seq-1)
		}
		return
	case r.Seq < want:
		w.fail(r.ID, r.Seq, "inserted", "seq %d comes again or out of order after seq %d", r.Seq, w.rep.HeadSeq)
		return
	}
	w.hash, w.buf = r.next(w.hash, w.buf)
	w.rep.Chained++
	w.rep.HeadSeq, w.rep.HeadID, w.rep.HeadMAC = r.Seq, r.ID, mac
	got, ok := w.mac(r.KeyID, w.hash)
	if !ok {
		w.rep.Unchecked[r.KeyID]++
		w.pending++
	} else if !hmac.Equal(got, mac) {
		if w.pending > 0 {
			w.fail(r.ID, r.Seq, "edited", "its MAC does not match: it or one of the %d rows before it under keys not configured was changed", w.pending)
		} else {
			w.fail(r.ID, r.Seq, "edited", "its MAC does not match: the row was changed (or written with another key under its key id)")
		}
		return
	} else {
		w.rep.Checked++
		w.pending = 0
	}
	if w.anchor != nil && r.Seq == w.anchor.Seq {
		w.anchorc = true
		if !strings.HasPrefix(hex.EncodeToString(mac), strings.ToLower(w.anchor.MACHex)) {
			w.fail(r.ID, r.Seq, "edited", "its MAC is not the anchor's %s", w.anchor.MACHex)
			return
		}
	}
	if r.Action == auditSealAction {
		w.checkSeal(r)
	}
}

// auditSealAction is the chained row that covers the legacy rows.
const auditSealAction = "audit.seal"

// auditSealDetail is the detail of the audit.seal row.
type auditSealDetail struct {
	Through int64  `json:"legacy_through"`
	Rows    int64  `json:"legacy_rows"`
	SHA256  string `json:"legacy_sha256"`
}

// checkSeal compares the legacy rows read so far with the seal row.
func (w *auditWalk) checkSeal(r *chainRow) {
	var d auditSealDetail
	if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
		w.fail(r.ID, r.Seq, "edited", "the seal row's detail does not parse: %v", err)
		return
	}
	sum := hex.EncodeToString(w.legacy.Sum(nil))
	lt := w.head.legacyThrough
	switch {
	case w.sealed:
		w.fail(r.ID, r.Seq, "inserted", "a second seal row")
	case lt == nil || *lt != d.Through:
		w.fail(r.ID, r.Seq, "edited", "the chain head's legacy_through differs from the seal row's %d", d.Through)
	case d.Rows != w.rep.Legacy || d.SHA256 != sum:
		w.fail(r.ID, r.Seq, "edited", "the %d rows before the chain (ids up to %d) are not the %d it sealed: one was edited, deleted or inserted",
			w.rep.Legacy, d.Through, d.Rows)
	}
	w.sealed = true
}

// finish checks what only the end can tell: the head, the seal, the anchor
// and rows no configured key covers.
func (w *auditWalk) finish() {
	rep := &w.rep
	h := w.head
	switch {
	case h.seq > rep.HeadSeq:
		w.fail(0, rep.HeadSeq+1, "truncated", "the chain head is at seq %d, the last row is seq %d (id %d): rows at the end were deleted",
			h.seq, rep.HeadSeq, rep.HeadID)
	case h.seq < rep.HeadSeq || h.lastID != rep.HeadID || !bytes.Equal(h.hash, w.hash):
		w.fail(rep.HeadID, rep.HeadSeq, "edited", "the chain head (seq %d, id %d) does not match the last row", h.seq, h.lastID)
	case w.unseal > 0:
		w.fail(0, 0, "unsealed", "%d rows from before the chain are not sealed yet: run `tipline audit seal` once every instance runs this version", w.unseal)
	case h.legacyThrough != nil && *h.legacyThrough > 0 && !w.sealed:
		w.fail(0, 0, "deleted", "the seal row covering the rows before the chain (ids up to %d) is missing", *h.legacyThrough)
	case w.anchor != nil && !w.anchorc:
		w.fail(0, w.anchor.Seq, "truncated", "the anchor seq %d is not in the chain (last seq %d)", w.anchor.Seq, rep.HeadSeq)
	case w.pending > 0:
		w.fail(rep.HeadID, rep.HeadSeq, "unverifiable", "the last %d rows are under keys not configured (%v): give the key in TIPLINE_PREVIOUS_KEYS", w.pending, keyIDs(rep.Unchecked))
	}
}

// keyIDs lists the key ids of m.
func keyIDs(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// SealAuditLegacy covers the rows from before the chain (no MAC) with one
// chained row, audit.seal, holding their count and SHA-256, and records
// the last of their ids in the chain head. It runs once: later calls, and
// a log with no such rows, change nothing but the head. It returns how
// many rows it sealed.
func SealAuditLegacy(ctx context.Context, pool *Pool, ak *AuditKeys) (int64, error) {
	var n int64
	err := InTx(ctx, pool, func(tx pgx.Tx) error {
		var lt *int64
		if err := tx.QueryRow(ctx, `SELECT legacy_through FROM audit_chain FOR UPDATE`).Scan(&lt); err != nil {
			return fmt.Errorf("audit seal: %w", err)
		}
		if lt != nil {
			return nil
		}
		sum, count, last, err := legacyDigest(ctx, tx)
		if err != nil {
			return err
		}
		n = count
		if count > 0 {
			e := AuditEntry{Action: auditSealAction, ObjectType: "audit",
				Detail: map[string]any{"legacy_through": last, "legacy_rows": count, "legacy_sha256": sum}}
			if err := appendChained(ctx, tx, ak, e); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE audit_chain SET legacy_through = $1`, last)
		return err
	})
	return n, err
}

// legacyDigest hashes every row without a MAC in id order, as verify does.
func legacyDigest(ctx context.Context, tx pgx.Tx) (sum string, n, last int64, err error) {
	rows, err := tx.Query(ctx, `SELECT id, at, staff_id, staff_email, action, object_type, object_id,
		detail::text, client_addr FROM audit_log WHERE mac IS NULL ORDER BY id`)
	if err != nil {
		return "", 0, 0, fmt.Errorf("audit seal: %w", err)
	}
	defer rows.Close()
	h := sha256.New()
	var buf []byte
	for rows.Next() {
		var r chainRow
		if err := rows.Scan(&r.ID, &r.At, &r.StaffID, &r.StaffEmail, &r.Action, &r.ObjectType, &r.ObjectID,
			&r.Detail, &r.ClientAddr); err != nil {
			return "", 0, 0, fmt.Errorf("audit seal: %w", err)
		}
		buf = r.encode(buf[:0])
		h.Write(buf)
		n, last = n+1, r.ID
	}
	if err := rows.Err(); err != nil {
		return "", 0, 0, fmt.Errorf("audit seal: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, last, nil
}
