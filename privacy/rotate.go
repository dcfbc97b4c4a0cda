package privacy

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/bot"
	"tipline/seal"
	"tipline/store"
)

// RotateOptions tune a key rotation.
type RotateOptions struct {
	Batch  int           // rows per transaction; default DefaultBatch
	Passes int           // passes over the tables at most; default 5
	Pause  time.Duration // between passes; default 200ms
}

// RotateReport says what a rotation did and what is left.
type RotateReport struct {
	KeyID     string         // the current key's id (safe to print)
	Contacts  int            // contacts re-hashed and re-sealed
	Sealed    map[string]int // values re-sealed, by "table.column"
	Failed    int            // values no configured key opens (or damaged)
	Conflicts int            // contacts whose new hash another contact has
	Passes    int
	Left      store.KeyUsage // what still depends on other keys afterwards
	Took      time.Duration
}

// Complete reports whether nothing but hash-only contacts (which cannot be
// re-hashed: see docs/privacy.md) still depends on another key.
func (r RotateReport) Complete() bool {
	if r.Left.SealedOld > 0 || r.Left.HashOld > 0 {
		return false
	}
	for _, n := range r.Left.Columns {
		if n > 0 {
			return false
		}
	}
	return true
}

// String renders the report for operators.
func (r RotateReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "current key %s: %d contact(s) re-hashed and re-sealed", r.KeyID, r.Contacts)
	for _, k := range sealedNames() {
		fmt.Fprintf(&b, ", %s %d", k, r.Sealed[k])
	}
	fmt.Fprintf(&b, " in %d pass(es), %s\n", r.Passes, r.Took.Round(time.Millisecond))
	fmt.Fprintf(&b, "not opened with the configured keys: %d; hash already taken by another contact: %d\n", r.Failed, r.Conflicts)
	fmt.Fprintf(&b, "left under other keys: %d sealed identifier(s), %d hash(es) with a sealed copy",
		r.Left.SealedOld, r.Left.HashOld)
	for _, k := range sealedNames() {
		fmt.Fprintf(&b, ", %s %d", k, r.Left.Columns[k])
	}
	fmt.Fprintf(&b, "\nhash-only contacts (no sealed copy, cannot be re-hashed): %d\n", r.Left.HashOnly)
	return b.String()
}

// StateFields lists the sealed values kept inside conversations.state.
func StateFields() []store.SealedStateField {
	out := make([]store.SealedStateField, 0, len(bot.SealedStateFields))
	for _, f := range bot.SealedStateFields {
		out = append(out, store.SealedStateField{Field: f, Prefix: bot.SealedStatePrefix, AAD: bot.StateAAD(f)})
	}
	return out
}

// sealedNames names every sealed column and state field, as the report
// keys them.
func sealedNames() []string {
	var out []string
	for _, c := range store.SealedColumns {
		out = append(out, c.Table+"."+c.Column)
	}
	for _, f := range StateFields() {
		out = append(out, "conversations.state."+f.Field)
	}
	return out
}

// Rotate re-hashes and re-seals every contact and re-seals every other
// sealed column under the current key, opening old values with whichever
// configured key made them. It works in short transactions that skip rows
// a turn holds, and makes further passes for those; it is idempotent and
// safe while the service runs (turns accept previous-key hashes and
// re-hash the sender they find: store.StartTurn).
func Rotate(ctx context.Context, pool *pgxpool.Pool, keys *seal.Keys, o RotateOptions) (RotateReport, error) {
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.Passes <= 0 {
		o.Passes = 5
	}
	if o.Pause <= 0 {
		o.Pause = 200 * time.Millisecond
	}
	start := time.Now()
	keyID, err := hex.DecodeString(keys.CurrentID())
	if err != nil {
		return RotateReport{}, fmt.Errorf("rotate: key id: %w", err)
	}
	rep := RotateReport{KeyID: keys.CurrentID(), Sealed: map[string]int{}}
	for rep.Passes < o.Passes {
		rep.Passes++
		pass, err := rotatePass(ctx, pool, keys, keyID, o.Batch)
		if err != nil {
			return rep, err
		}
		rep.add(pass)
		if rep.Left, err = store.KeyUsageOf(ctx, pool, keyID, StateFields()); err != nil {
			return rep, err
		}
		if pass.done() == 0 || pending(rep.Left) <= int64(pass.Failed+pass.Conflicts) {
			break
		}
		time.Sleep(o.Pause)
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// pending counts the values that a later pass could still rotate.
func pending(u store.KeyUsage) int64 {
	n := u.Contacts
	for _, v := range u.Columns {
		n += v
	}
	return n
}

func (r *RotateReport) add(p RotateReport) {
	r.Contacts += p.Contacts
	for k, n := range p.Sealed {
		r.Sealed[k] += n
	}
	r.Failed, r.Conflicts = p.Failed, p.Conflicts // per pass: the same rows fail again
}

func (r RotateReport) done() int {
	n := r.Contacts
	for _, v := range r.Sealed {
		n += v
	}
	return n
}

// rotatePass walks every table once.
func rotatePass(ctx context.Context, pool *pgxpool.Pool, keys *seal.Keys, keyID []byte, batch int) (RotateReport, error) {
	p := RotateReport{Sealed: map[string]int{}}
	res, err := walk(ctx, batch, func(after int64) (store.RotateResult, error) {
		return store.RotateContacts(ctx, pool, keyID, after, batch, func(c store.ContactSeal) ([]byte, []byte, error) {
			return resealContact(keys, c)
		})
	})
	if err != nil {
		return p, err
	}
	p.Contacts, p.Failed, p.Conflicts = res.Rotated, res.Failed, res.Conflicts
	for _, col := range store.SealedColumns {
		res, err := walk(ctx, batch, func(after int64) (store.RotateResult, error) {
			return store.RotateSealed(ctx, pool, col, keyID, after, batch, reseal(keys, col.AAD))
		})
		if err != nil {
			return p, err
		}
		p.Sealed[col.Table+"."+col.Column] += res.Rotated
		p.Failed += res.Failed
	}
	for _, f := range StateFields() {
		res, err := walk(ctx, batch, func(after int64) (store.RotateResult, error) {
			return store.RotateStateField(ctx, pool, f, keyID, after, batch, reseal(keys, f.AAD))
		})
		if err != nil {
			return p, err
		}
		p.Sealed["conversations.state."+f.Field] += res.Rotated
		p.Failed += res.Failed
	}
	return p, nil
}

// reseal opens a value sealed with aad under any configured key and seals
// it under the current one.
func reseal(keys *seal.Keys, aad string) func(old []byte) ([]byte, error) {
	return func(old []byte) ([]byte, error) {
		plain, err := keys.Open(old, aad)
		if err != nil {
			return nil, err
		}
		return keys.Seal(plain, aad)
	}
}

// resealContact opens a contact's identifier and hashes and seals it under
// the current key, exactly as a turn does (bot.turnStart).
func resealContact(keys *seal.Keys, c store.ContactSeal) (hash, sealed []byte, err error) {
	aad := "contact:" + c.Channel
	plain, err := keys.Open(c.Sealed, aad)
	if err != nil {
		return nil, nil, err
	}
	sealed, err = keys.Seal(plain, aad)
	if err != nil {
		return nil, nil, err
	}
	return keys.Hash(c.Channel, string(plain)), sealed, nil
}

// walk runs batches over a table by ascending id, retrying a batch that
// hit a deadlock, a serialization failure or a unique conflict with a
// contact a turn just created, and sums the results.
func walk(ctx context.Context, batch int, step func(after int64) (store.RotateResult, error)) (store.RotateResult, error) {
	var sum store.RotateResult
	var after int64
	retries := 0
	for {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		res, err := step(after)
		if err != nil {
			if (store.IsRetryable(err) || store.IsUniqueViolation(err)) && retries < maxRetries {
				retries++
				time.Sleep(time.Duration(retries*20) * time.Millisecond)
				continue
			}
			return sum, err
		}
		sum.Rotated += res.Rotated
		sum.Failed += res.Failed
		sum.Conflicts += res.Conflicts
		if res.Seen < batch {
			return sum, nil
		}
		after = res.Last
	}
}
