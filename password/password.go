// Package password hashes and checks staff passwords with argon2id, in the
// PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Parameters of new hashes: OWASP's argon2id minimum (19 MiB, t=2, p=1).
const (
	memoryKiB = 19 * 1024
	timeCost  = 2
	threads   = 1
	keyLen    = 32
	saltLen   = 16
	// MinLength is the shortest password accepted for a new login.
	MinLength = 12
)

var b64 = base64.RawStdEncoding

// Hash returns the argon2id PHC string of pw. It waits for a hashing slot
// (see maxConcurrent) for as long as it takes.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key, err := idKey(context.Background(), []byte(pw), salt, timeCost, memoryKiB, threads, keyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memoryKiB, timeCost, threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformed means a stored hash could not be parsed.
var ErrMalformed = errors.New("password: malformed hash")

// Verify reports whether pw matches the PHC string hash, in constant time.
// It waits for a hashing slot for as long as it takes.
func Verify(hash, pw string) (bool, error) { return VerifyContext(context.Background(), hash, pw) }

// dummyHash has the parameters of new hashes; no password anyone knows
// matches it. VerifyDummy checks against it.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$QksvTOa5fAzloYvXRP44RA$I+SXbjjoQm1P2KC+o751odPabOQgBf2sDMQJH6zr/zY"

// VerifyDummy costs what VerifyContext costs against a real hash (the same
// work through the same slots) and always reports a mismatch: a login for
// an email no account has takes as long as one for an account.
func VerifyDummy(ctx context.Context, pw string) error {
	_, err := VerifyContext(ctx, dummyHash, pw)
	return err
}

// VerifyContext is Verify, but gives up with ErrBusy when ctx ends before
// a hashing slot comes free.
func VerifyContext(ctx context.Context, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var v, m, t int
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, ErrMalformed
	}
	got, err := idKey(ctx, []byte(pw), salt, uint32(t), uint32(m), p, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// idKey runs argon2id inside a hashing slot, so that the memory of all
// hashes in flight stays within hashBudget. Before the slot is given
// back, a collection frees the hash's working memory: left to the
// collector's pacing, the 19 MiB blocks of a flood of logins pile up as
// garbage between cycles (measured: about 60 MB of resident memory more
// per slot than the block itself), and the next hash would take fresh
// pages instead of reusing these.
func idKey(ctx context.Context, pw, salt []byte, t, m uint32, p uint8, n uint32) ([]byte, error) {
	if err := slots.acquire(ctx); err != nil {
		return nil, err
	}
	defer slots.release()
	key := argon2.IDKey(pw, salt, t, m, p, n)
	runtime.GC()
	return key, nil
}

// Generate returns a random password of about 120 bits, easy to copy.
func Generate() string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("password: crypto/rand failed: " + err.Error())
	}
	out := make([]byte, 0, 29)
	for i, c := range b {
		if i > 0 && i%6 == 0 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}
