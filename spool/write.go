package spool

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// write stores data as file name durably: a temporary file (0600) written
// and fsync'd, renamed over name, then the directory fsync'd. Its
// modification time is at, so that the order and the age of entries
// survive a re-seal. The size bound is checked and reserved first.
func (s *Spool) write(name string, data []byte, at time.Time) error {
	var old int64
	if fi, err := os.Stat(filepath.Join(s.dir, name)); err == nil {
		old = fi.Size()
	}
	if err := s.reserve(int64(len(data)) - old); err != nil {
		return err
	}
	if err := writeFile(s.dir, name, data, at); err != nil {
		s.reserve(old - int64(len(data))) // give the reservation back
		return err
	}
	return nil
}

// reserve adds delta bytes to the spool's size, refusing growth past the
// bound.
func (s *Spool) reserve(delta int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if delta > 0 && s.size+delta > s.max {
		return fmt.Errorf("%w (%d of %d bytes used)", ErrFull, s.size, s.max)
	}
	s.size = max(0, s.size+delta)
	return nil
}

func writeFile(dir, name string, data []byte, at time.Time) (err error) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, tmpPrefix+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(tmp, at, at)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("spool: sync dir: %w", err)
	}
	return nil
}

// Purge deletes the entries kept before cutoff (retention: a message
// that could not be replayed in time is not kept longer than the database
// would have kept it) and returns how many it deleted.
func (s *Spool) Purge(cutoff time.Time) (int, error) {
	if s == nil {
		return 0, nil
	}
	names, err := s.Pending()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		fi, err := os.Stat(filepath.Join(s.dir, name))
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := s.Remove(name); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RotateReport counts what Rotate did.
type RotateReport struct {
	Resealed int // entries sealed again under the current key
	Current  int // entries already under it
	Failed   int // entries no key opens (kept; see the log of the caller)
}

// Rotate seals every entry under the current key and renames it to its
// current-key name (`tipline keys rotate`). An entry no key opens is
// counted and kept, so that a missing previous key loses nothing.
func (s *Spool) Rotate() (RotateReport, error) {
	var rep RotateReport
	if s == nil {
		return rep, nil
	}
	if s.keys == nil {
		return rep, ErrNoKeys
	}
	names, err := s.Pending()
	if err != nil {
		return rep, err
	}
	for _, name := range names {
		done, err := s.reseal(name)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue // replayed meanwhile
		case err != nil:
			rep.Failed++
		case done:
			rep.Resealed++
		default:
			rep.Current++
		}
	}
	return rep, nil
}

// reseal seals one entry again when its key or name is not the current
// one; done reports that it did.
func (s *Spool) reseal(name string) (done bool, err error) {
	data, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		return false, err
	}
	e, err := s.Load(name)
	if err != nil {
		return false, err
	}
	want := s.Name(e.Inbound.Channel, e.Inbound.ProviderID)
	if want == name && !s.keys.NeedsRotation(data) {
		return false, nil
	}
	sealed, err := s.seal(want, e)
	if err != nil {
		return false, err
	}
	if err := s.write(want, sealed, e.SpooledAt); err != nil {
		return false, err
	}
	if want != name {
		return true, s.Remove(name)
	}
	return true, nil
}
