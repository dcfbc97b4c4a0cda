// Package spool keeps inbound messages on local disk while PostgreSQL is
// unreachable, until the same instance replays them (docs/design.md rule
// 16, section 9 "Degraded mode").
//
// Each message is one file in the spool directory (mode 0700): its name is
// a keyed hash of the channel and the provider's message id (the only thing
// ever matched), its content the whole entry sealed with the secret key
// (package seal), file mode 0600. A file is written to a temporary name,
// fsync'd, renamed and the directory fsync'd, so a crash leaves either the
// whole entry or none. The directory's total size is bounded: a Put that
// would pass the bound fails with ErrFull.
//
// The spool knows nothing of the database or the turn: package bot decides
// what to keep and replays it.
package spool

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"tipline"
	"tipline/seal"
)

// DefaultMaxBytes bounds the spool's total size when Options.MaxBytes is
// zero: about 16,000 messages of a typical size, far more than a 30 s
// outage brings, small enough for any disk.
const DefaultMaxBytes = 64 << 20

// maxEntryBytes bounds one sealed entry (a webhook body is at most 1 MiB).
const maxEntryBytes = 2 << 20

// suffix names spool files; temporary files start with tmpPrefix.
const (
	suffix    = ".msg"
	tmpPrefix = ".tmp-"
)

// hashKind keeps the name hashes apart from every other keyed hash.
const hashKind = "spool"

// Errors of Put.
var (
	// ErrFull: the entry would take the spool past its bound.
	ErrFull = errors.New("spool: full")
	// ErrDisabled: there is no spool (SPOOL_DIR unset).
	ErrDisabled = errors.New("spool: disabled")
	// ErrNoKeys: the spool was opened without keys.
	ErrNoKeys = errors.New("spool: opened without keys")
)

// Entry is one kept message.
type Entry struct {
	// Inbound is the message as the webhook parsed it (cleaned).
	Inbound tipline.Inbound `json:"inbound"`
	// Inline is the reply already given in the webhook's HTTP response (a
	// danger answer), nil when none was: the replay records it as sent
	// instead of sending it again.
	Inline *tipline.Reply `json:"inline,omitempty"`
	// SpooledAt is when the message was kept.
	SpooledAt time.Time `json:"spooled_at"`
}

// Spool is one instance's spool directory. It is safe for concurrent use
// within a process; two processes must not share a directory while both
// write (keys rotate may run beside serve: a rename is atomic).
type Spool struct {
	dir  string
	keys *seal.Keys
	max  int64

	mu   sync.Mutex
	size int64 // bytes of the entries in dir
}

// Open opens (creating it, mode 0700) the spool directory dir. maxBytes
// bounds its total size; 0 means DefaultMaxBytes. Leftover temporary files
// of an earlier crash are removed. A spool opened without keys can only be
// listed and purged (`tipline purge`).
func Open(dir string, keys *seal.Keys, maxBytes int64) (*Spool, error) {
	if dir == "" {
		return nil, ErrDisabled
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	s := &Spool{dir: dir, keys: keys, max: maxBytes}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	for _, de := range des {
		switch name := de.Name(); {
		case strings.HasPrefix(name, tmpPrefix):
			_ = os.Remove(filepath.Join(dir, name))
		case strings.HasSuffix(name, suffix):
			if fi, err := de.Info(); err == nil {
				s.size += fi.Size()
			}
		}
	}
	return s, nil
}

// Dir is the spool directory.
func (s *Spool) Dir() string { return s.dir }

// Size is the spool's total size in bytes.
func (s *Spool) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Name is the file name of a message: a keyed hash (current key) of its
// channel and provider id, so the name reveals neither.
func (s *Spool) Name(ch tipline.Channel, providerID string) string {
	return s.nameUnder(s.keys.Hash(hashKind, string(ch)+"\x00"+providerID))
}

func (s *Spool) nameUnder(h []byte) string { return hex.EncodeToString(h[:16]) + suffix }

// has reports whether the message is kept already, under any key.
func (s *Spool) has(ch tipline.Channel, providerID string) (string, bool) {
	for _, h := range s.keys.HashAll(hashKind, string(ch)+"\x00"+providerID) {
		name := s.nameUnder(h)
		if _, err := os.Stat(filepath.Join(s.dir, name)); err == nil {
			return name, true
		}
	}
	return "", false
}

// aad binds a sealed entry to its file name.
func aad(name string) string { return "spool:" + name }

// Put keeps e durably (fsync'd file and directory) and returns its name;
// added is false when the message was kept before (same channel and
// provider id): a provider's retry changes nothing, except that an entry
// answered inline replaces one that was not, so the mark is never lost.
func (s *Spool) Put(e Entry) (name string, added bool, err error) {
	if s == nil {
		return "", false, ErrDisabled
	}
	if s.keys == nil {
		return "", false, ErrNoKeys
	}
	in := e.Inbound
	if !in.Channel.Valid() || in.ProviderID == "" {
		return "", false, errors.New("spool: entry lacks channel or provider id")
	}
	if name, ok := s.has(in.Channel, in.ProviderID); ok {
		if e.Inline == nil {
			return name, false, nil
		}
		if old, err := s.Load(name); err == nil && old.Inline != nil {
			return name, false, nil
		}
		if err := s.Remove(name); err != nil {
			return "", false, err
		}
	}
	if e.SpooledAt.IsZero() {
		e.SpooledAt = time.Now()
	}
	name = s.Name(in.Channel, in.ProviderID)
	data, err := s.seal(name, e)
	if err != nil {
		return "", false, err
	}
	if err := s.write(name, data, e.SpooledAt); err != nil {
		return "", false, err
	}
	return name, true, nil
}

// seal encodes and seals an entry for file name.
func (s *Spool) seal(name string, e Entry) ([]byte, error) {
	plain, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("spool: encode: %w", err)
	}
	data, err := s.keys.Seal(plain, aad(name))
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if len(data) > maxEntryBytes {
		return nil, fmt.Errorf("spool: entry of %d bytes: %w", len(data), ErrFull)
	}
	return data, nil
}

// Load opens the entry in file name.
func (s *Spool) Load(name string) (Entry, error) {
	var e Entry
	if s.keys == nil {
		return e, ErrNoKeys
	}
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.Base(name)))
	if err != nil {
		return e, fmt.Errorf("spool: %w", err)
	}
	plain, err := s.keys.Open(data, aad(filepath.Base(name)))
	if err != nil {
		return e, fmt.Errorf("spool: %s: %w", name, err)
	}
	if err := json.Unmarshal(plain, &e); err != nil {
		return e, fmt.Errorf("spool: %s: decode: %w", name, err)
	}
	return e, nil
}

// Remove deletes the entry in file name (after its replay). An entry
// already gone is not an error.
func (s *Spool) Remove(name string) error {
	p := filepath.Join(s.dir, filepath.Base(name))
	s.mu.Lock()
	fi, err := os.Stat(p)
	if err == nil {
		err = os.Remove(p)
	}
	if err == nil {
		s.size = max(0, s.size-fi.Size())
	}
	s.mu.Unlock()
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return syncDir(s.dir)
}

// Pending lists the kept entries' names, oldest first (by the time they
// were kept, then by name).
func (s *Spool) Pending() ([]string, error) {
	if s == nil {
		return nil, nil
	}
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	type item struct {
		name string
		at   time.Time
	}
	var items []item
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), suffix) || strings.HasPrefix(de.Name(), tmpPrefix) {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		items = append(items, item{de.Name(), fi.ModTime()})
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].at.Equal(items[j].at) {
			return items[i].at.Before(items[j].at)
		}
		return items[i].name < items[j].name
	})
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.name
	}
	return names, nil
}
