package seal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"hash"
)

// Kinds of identifier. Hashes of the same value under different kinds never
// match, so a phone number and a Telegram id cannot be confused.
const (
	KindSMS      = "sms"      // a phone number, E.164
	KindTelegram = "telegram" // a Telegram user or chat id, decimal
	KindContact  = "contact"  // contact details a tipster chose to give
)

// version is the first byte of every sealed value.
const version byte = 1

// Layout of a sealed value: version | key id | nonce | ciphertext and tag.
const (
	nonceSize  = 12
	headerSize = 1 + keyIDSize
	// Overhead is how many bytes Seal adds to the plaintext.
	Overhead = headerSize + nonceSize + 16
)

// Errors from Open, for errors.Is. None of them carries the plaintext.
var (
	// ErrMalformed: too short, or an unknown format version.
	ErrMalformed = errors.New("seal: malformed sealed value")
	// ErrUnknownKey: sealed under a key that is neither current nor previous.
	ErrUnknownKey = errors.New("seal: sealed under an unknown key")
	// ErrAuth: authentication failed (tampered, wrong aad, or wrong key).
	ErrAuth = errors.New("seal: authentication failed")
)

// Hash returns HMAC-SHA256, under the current hash key, of kind, a zero
// byte and value: the lookup key for an identifier. value must already be
// in its canonical form (E.164 for phone numbers), since "+1 555" and
// "+1555" hash differently. kind must not contain a zero byte.
func (ks *Keys) Hash(kind, value string) []byte {
	return ks.current.hash(kind, value)
}

// HashAll returns the hash of kind and value under the current key first,
// then under each previous key: look a sender up with any of them while a
// rotation runs, then store Hash.
func (ks *Keys) HashAll(kind, value string) [][]byte {
	out := make([][]byte, 0, 1+len(ks.previous))
	out = append(out, ks.current.hash(kind, value))
	for _, k := range ks.previous {
		out = append(out, k.hash(kind, value))
	}
	return out
}

// hash computes the keyed hash under one key. HMAC states are pooled: a
// reset HMAC keeps its keyed state, which saves rehashing the key.
func (k *key) hash(kind, value string) []byte {
	m := k.hmacs.Get().(hash.Hash)
	defer k.hmacs.Put(m)
	m.Reset()
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(make([]byte, 0, sha256.Size))
}

// Seal encrypts plaintext with AES-256-GCM under the current key. aad binds
// the value to its place (for example "contacts.reply_to:sms") and must be
// given again to Open. The result is: version byte, key id, random nonce,
// ciphertext with tag; it is Overhead bytes longer than plaintext.
func (ks *Keys) Seal(plaintext []byte, aad string) ([]byte, error) {
	if ks == nil || ks.current == nil {
		return nil, errors.New("seal: no keys")
	}
	k := ks.current
	out := make([]byte, headerSize+nonceSize, Overhead+len(plaintext))
	out[0] = version
	copy(out[1:headerSize], k.id[:])
	if _, err := rand.Read(out[headerSize:]); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	nonce := out[headerSize : headerSize+nonceSize]
	return k.aead.Seal(out, nonce, plaintext, fullAAD(out[:headerSize], aad)), nil
}

// Open decrypts a value made by Seal with the same aad, using whichever of
// the current and previous keys its key id names. Errors wrap ErrMalformed,
// ErrUnknownKey or ErrAuth.
func (ks *Keys) Open(sealed []byte, aad string) ([]byte, error) {
	if ks == nil || ks.current == nil {
		return nil, errors.New("seal: no keys")
	}
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("%w: %d bytes", ErrMalformed, len(sealed))
	}
	if sealed[0] != version {
		return nil, fmt.Errorf("%w: version %d", ErrMalformed, sealed[0])
	}
	k := ks.find(sealed[1:headerSize])
	if k == nil {
		return nil, fmt.Errorf("%w: key id %x", ErrUnknownKey, sealed[1:headerSize])
	}
	nonce := sealed[headerSize : headerSize+nonceSize]
	pt, err := k.aead.Open(nil, nonce, sealed[headerSize+nonceSize:], fullAAD(sealed[:headerSize], aad))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAuth, err)
	}
	return pt, nil
}

// NeedsRotation reports whether a well-formed sealed value names a key
// other than the current one: a previous key, or an unknown one (which Open
// will refuse, so a rotation job reports it instead of skipping it).
// Malformed values report false.
func (ks *Keys) NeedsRotation(sealed []byte) bool {
	if len(sealed) < Overhead || sealed[0] != version {
		return false
	}
	return string(sealed[1:headerSize]) != string(ks.current.id[:])
}

// fullAAD authenticates the header together with the caller's aad.
func fullAAD(header []byte, aad string) []byte {
	b := make([]byte, 0, len(header)+len(aad))
	b = append(b, header...)
	return append(b, aad...)
}

// aliasChars is how many base32 characters follow "R-". 7 characters give
// 35 bits: among 100,000 reporters a given one shares its alias with
// another with probability about 3e-6 (expected colliding pairs about 0.15).
const aliasChars = 7

// aliasEncoding is Crockford's base32: digits and letters without I, L, O
// and U, so an alias reads back unambiguously over the phone.
var aliasEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Alias returns the staff-facing name of a reporter, such as "R-7KQ4M2X",
// derived from the keyed hash (never from the raw identifier) through a
// separate domain, so it reveals nothing usable for lookup. Because the hash
// changes when the key rotates, compute the alias once and store it with
// the sender; do not recompute it from a re-hashed value.
func Alias(hash []byte) string {
	m := sha256.New()
	m.Write([]byte("tipline alias v1\x00"))
	m.Write(hash)
	sum := m.Sum(nil)
	return "R-" + aliasEncoding.EncodeToString(sum[:5])[:aliasChars]
}
