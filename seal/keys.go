// Package seal turns identifiers of people into keyed hashes for lookup and
// authenticated-encrypted copies for replying (docs/design.md section 4). All of
// it hangs off one master key, TIPLINE_SECRET_KEY, with older keys kept in
// TIPLINE_PREVIOUS_KEYS while a rotation runs.
//
// From each 32-byte master key three independent subkeys are derived with
// HKDF-SHA256: one for HMAC-SHA256 hashing, one for AES-256-GCM encryption
// and one that only names the key (its key id). The package does no I/O and
// never prints key material: Keys formats as its key ids only.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/crypto/hkdf"
)

// KeySize is the length in bytes of a master key.
const KeySize = 32

// keyIDSize is the length in bytes of a key id inside sealed values.
const keyIDSize = 4

// HKDF info strings; changing one changes every derived value.
const (
	infoHash = "tipline hash v1"
	infoEnc  = "tipline enc v1"
	infoID   = "tipline id v1"
)

// ErrBadKey is wrapped by every error about a malformed master key. Such
// errors never contain the key text.
var ErrBadKey = errors.New("seal: bad key")

// key is one master key expanded into its subkeys.
type key struct {
	id      [keyIDSize]byte
	hashKey []byte
	hmacs   sync.Pool // of hash.Hash: HMAC-SHA256 under hashKey
	aead    cipher.AEAD
}

// Keys holds the current master key, used for every new hash and seal, and
// the previous ones, still accepted for lookups and opening. It is safe for
// concurrent use. The zero value is not usable; build one with ParseKeys.
type Keys struct {
	current  *key
	previous []*key
}

// GenerateKey returns a new master key: 32 bytes from crypto/rand in
// standard base64, fit for TIPLINE_SECRET_KEY.
func GenerateKey() string {
	b := make([]byte, KeySize)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		// crypto/rand does not fail on supported platforms.
		panic("seal: crypto/rand failed: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(b)
}

// ParseKeys builds Keys from the current master key and the previous ones,
// each 32 bytes in base64 (standard or URL alphabet, padded or not).
// Surrounding spaces are ignored and empty previous entries skipped, so the
// result of splitting an empty TIPLINE_PREVIOUS_KEYS on commas is fine. A
// previous key equal to the current one is dropped. Errors wrap ErrBadKey
// and name the key by position, never by content.
func ParseKeys(current string, previous []string) (*Keys, error) {
	cur, err := parseKey(current)
	if err != nil {
		return nil, fmt.Errorf("current key: %w", err)
	}
	ks := &Keys{current: cur}
	for i, p := range previous {
		if strings.TrimSpace(p) == "" {
			continue
		}
		k, err := parseKey(p)
		if err != nil {
			return nil, fmt.Errorf("previous key %d: %w", i+1, err)
		}
		if same := ks.find(k.id[:]); same != nil {
			if !hmac.Equal(same.hashKey, k.hashKey) {
				// Two different keys with one id: about 2^-32 likely.
				return nil, fmt.Errorf("previous key %d: %w: its id clashes with another key; generate a new key", i+1, ErrBadKey)
			}
			continue // the same key given twice
		}
		ks.previous = append(ks.previous, k)
	}
	return ks, nil
}

// parseKey decodes one base64 master key and derives its subkeys.
func parseKey(s string) (*key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%w: empty", ErrBadKey)
	}
	raw, ok := decodeBase64(s)
	if !ok {
		return nil, fmt.Errorf("%w: not valid base64", ErrBadKey)
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("%w: decodes to %d bytes, want %d", ErrBadKey, len(raw), KeySize)
	}
	return deriveKey(raw)
}

// decodeBase64 tries the standard and URL alphabets, padded and raw.
func decodeBase64(s string) ([]byte, bool) {
	encs := []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	}
	for _, enc := range encs {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// deriveKey expands a master key into its hash, encryption and id subkeys.
func deriveKey(master []byte) (*key, error) {
	prk := hkdf.Extract(sha256.New, master, nil)
	hashKey, err := expand(prk, infoHash)
	if err != nil {
		return nil, err
	}
	encKey, err := expand(prk, infoEnc)
	if err != nil {
		return nil, err
	}
	idKey, err := expand(prk, infoID)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("seal: aes: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: gcm: %w", err)
	}
	k := &key{hashKey: hashKey, aead: aead}
	k.hmacs.New = func() any { return hmac.New(sha256.New, hashKey) }
	sum := sha256.Sum256(idKey)
	copy(k.id[:], sum[:keyIDSize])
	return k, nil
}

// expand derives one 32-byte subkey from the pseudorandom key.
func expand(prk []byte, info string) ([]byte, error) {
	out := make([]byte, KeySize)
	if _, err := io.ReadFull(hkdf.Expand(sha256.New, prk, []byte(info)), out); err != nil {
		return nil, fmt.Errorf("seal: hkdf %q: %w", info, err)
	}
	return out, nil
}

// CurrentID returns the id of the current key: 8 hex digits, safe to log.
func (ks *Keys) CurrentID() string { return hex.EncodeToString(ks.current.id[:]) }

// PreviousIDs returns the ids of the previous keys, in the order given.
func (ks *Keys) PreviousIDs() []string {
	ids := make([]string, len(ks.previous))
	for i, k := range ks.previous {
		ids[i] = hex.EncodeToString(k.id[:])
	}
	return ids
}

// String describes the keys by id only, so printing Keys leaks nothing.
func (ks *Keys) String() string {
	if ks == nil || ks.current == nil {
		return "seal.Keys(none)"
	}
	return fmt.Sprintf("seal.Keys(current=%s previous=%v)", ks.CurrentID(), ks.PreviousIDs())
}

// GoString is String, so %#v leaks nothing either.
func (ks *Keys) GoString() string { return ks.String() }

// find returns the key with the given id among current and previous.
func (ks *Keys) find(id []byte) *key {
	if string(ks.current.id[:]) == string(id) {
		return ks.current
	}
	for _, k := range ks.previous {
		if string(k.id[:]) == string(id) {
			return k
		}
	}
	return nil
}
