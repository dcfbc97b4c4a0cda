package spool_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/seal"
	"tipline/spool"
)

func keys(t *testing.T, current string, previous ...string) *seal.Keys {
	t.Helper()
	ks, err := seal.ParseKeys(current, previous)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func open(t *testing.T, dir string, ks *seal.Keys, max int64) *spool.Spool {
	t.Helper()
	s, err := spool.Open(dir, ks, max)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func entry(id, text string) spool.Entry {
	return spool.Entry{Inbound: tipline.Inbound{Channel: tipline.ChannelSMS, ProviderID: id,
		SenderID: "+12125550199", Text: text}}
}

func TestPutLoadRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	s := open(t, dir, keys(t, seal.GenerateKey()), 0)
	inline := &tipline.Reply{Text: "If you are in danger, call 911 now."}
	e := entry("SM1", "he hit me")
	e.Inline = inline
	name, added, err := s.Put(e)
	if err != nil || !added {
		t.Fatal(added, err)
	}
	got, err := s.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	if got.Inbound.Text != "he hit me" || got.Inbound.SenderID != "+12125550199" || got.Inline == nil ||
		got.Inline.Text != inline.Text || got.SpooledAt.IsZero() {
		t.Fatalf("loaded %+v", got)
	}
	if names, _ := s.Pending(); len(names) != 1 || names[0] != name {
		t.Fatalf("pending %v, want [%s]", names, name)
	}
	if s.Size() == 0 {
		t.Fatal("size not counted")
	}
	if err := s.Remove(name); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(name); err != nil {
		t.Fatalf("second remove: %v", err)
	}
	if names, _ := s.Pending(); len(names) != 0 || s.Size() != 0 {
		t.Fatalf("after remove: %v, size %d", names, s.Size())
	}
}

// Nothing in the directory reveals the sender, the text or the provider
// id: names are keyed hashes, contents sealed; files 0600, directory 0700.
func TestNothingInClear(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	s := open(t, dir, keys(t, seal.GenerateKey()), 0)
	name, _, err := s.Put(entry("SMsecretid", "secret words"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(name, "SMsecretid") || strings.Contains(name, "sms") {
		t.Errorf("name %q reveals the message", name)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"secret words", "2125550199", "SMsecretid"} {
		if bytes.Contains(data, []byte(clear)) {
			t.Errorf("file holds %q in clear", clear)
		}
	}
	fi, _ := os.Stat(filepath.Join(dir, name))
	di, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Errorf("modes: file %v, dir %v", fi.Mode().Perm(), di.Mode().Perm())
	}
	// A file moved to another name does not open (the name is bound in).
	other := filepath.Join(dir, strings.Repeat("0", 32)+".msg")
	if err := os.WriteFile(other, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(filepath.Base(other)); !errors.Is(err, seal.ErrAuth) {
		t.Errorf("moved entry: %v, want ErrAuth", err)
	}
}

// A provider's retry is kept once; an inline answer's mark replaces an
// entry without one and is never replaced by one without.
func TestPutIdempotent(t *testing.T) {
	s := open(t, t.TempDir(), keys(t, seal.GenerateKey()), 0)
	n1, _, err := s.Put(entry("SM2", "hello"))
	if err != nil {
		t.Fatal(err)
	}
	e := entry("SM2", "hello")
	e.Inline = &tipline.Reply{Text: "call 911"}
	n2, added, err := s.Put(e)
	if err != nil || n2 != n1 || !added {
		t.Fatalf("put again with the mark: %s %v %v", n2, added, err)
	}
	if _, added, err := s.Put(entry("SM2", "hello")); err != nil || added {
		t.Fatal(added, err)
	}
	names, _ := s.Pending()
	got, err := s.Load(n1)
	if len(names) != 1 || err != nil || got.Inline == nil {
		t.Fatalf("pending %v, entry %+v, %v", names, got, err)
	}
}

func TestBounded(t *testing.T) {
	s := open(t, t.TempDir(), keys(t, seal.GenerateKey()), 1200)
	var err error
	n := 0
	for ; n < 100; n++ {
		if _, _, err = s.Put(entry("SM"+string(rune('a'+n)), strings.Repeat("x", 200))); err != nil {
			break
		}
	}
	if !errors.Is(err, spool.ErrFull) || n == 0 || s.Size() > 1200 {
		t.Fatalf("after %d entries: %v, size %d", n, err, s.Size())
	}
	// The size is counted again on Open, and leftovers of a crash go.
	if err := os.WriteFile(filepath.Join(s.Dir(), ".tmp-dead"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	again := open(t, s.Dir(), keys(t, seal.GenerateKey()), 1200)
	if again.Size() != s.Size() {
		t.Errorf("reopened size %d, want %d", again.Size(), s.Size())
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), ".tmp-dead")); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
}

func TestPendingOldestFirstAndPurge(t *testing.T) {
	s := open(t, t.TempDir(), keys(t, seal.GenerateKey()), 0)
	now := time.Now()
	var want []string
	for i, age := range []time.Duration{3 * time.Hour, 2 * time.Hour, time.Minute} {
		e := entry("SM"+string(rune('a'+i)), "m")
		e.SpooledAt = now.Add(-age)
		name, _, err := s.Put(e)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	got, _ := s.Pending()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("pending %v, want %v", got, want)
	}
	n, err := s.Purge(now.Add(-90 * time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if got, _ := s.Pending(); len(got) != 1 || got[0] != want[2] {
		t.Fatalf("left %v", got)
	}
}

// keys rotate re-seals every entry under the new key and renames it to the
// new key's name; the retry of a message kept under the old key is still
// recognised.
func TestRotate(t *testing.T) {
	dir := t.TempDir()
	oldKey, newKey := seal.GenerateKey(), seal.GenerateKey()
	s := open(t, dir, keys(t, oldKey), 0)
	e := entry("SM9", "kept")
	e.SpooledAt = time.Now().Add(-time.Hour).Truncate(time.Second)
	oldName, _, err := s.Put(e)
	if err != nil {
		t.Fatal(err)
	}
	rotated := open(t, dir, keys(t, newKey, oldKey), 0)
	if name, added, err := rotated.Put(entry("SM9", "kept")); err != nil || name != oldName || added {
		t.Fatalf("retry under the new key: %s %v %v", name, added, err)
	}
	rep, err := rotated.Rotate()
	if err != nil || rep.Resealed != 1 || rep.Failed != 0 {
		t.Fatalf("rotate: %+v %v", rep, err)
	}
	names, _ := rotated.Pending()
	if len(names) != 1 || names[0] == oldName {
		t.Fatalf("after rotate: %v (old %s)", names, oldName)
	}
	onlyNew := open(t, dir, keys(t, newKey), 0)
	got, err := onlyNew.Load(names[0])
	if err != nil || got.Inbound.Text != "kept" || !got.SpooledAt.Equal(e.SpooledAt) {
		t.Fatalf("under the new key alone: %+v %v", got, err)
	}
	fi, _ := os.Stat(filepath.Join(dir, names[0]))
	if !fi.ModTime().Equal(e.SpooledAt) {
		t.Errorf("age lost: mtime %v, want %v", fi.ModTime(), e.SpooledAt)
	}
	if rep, _ := onlyNew.Rotate(); rep.Current != 1 || rep.Resealed != 0 {
		t.Errorf("second rotate: %+v", rep)
	}
}

func TestDisabled(t *testing.T) {
	if _, err := spool.Open("", keys(t, seal.GenerateKey()), 0); !errors.Is(err, spool.ErrDisabled) {
		t.Fatalf("open without dir: %v", err)
	}
	var s *spool.Spool
	if _, _, err := s.Put(entry("SM1", "x")); !errors.Is(err, spool.ErrDisabled) {
		t.Fatalf("put on nil: %v", err)
	}
}
