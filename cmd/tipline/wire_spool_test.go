package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/config"
	"tipline/seal"
	"tipline/spool"
)

// keys rotate re-seals the spool of the host it runs on; purge deletes
// what it kept longer than the youth retention.
func TestSpoolRotateAndPurge(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "spool")
	oldKey, newKey := seal.GenerateKey(), seal.GenerateKey()
	oldKeys, _ := seal.ParseKeys(oldKey, nil)
	sp, err := spool.Open(dir, oldKeys, 0)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, age := range []time.Duration{time.Hour, 40 * 24 * time.Hour} {
		e := spool.Entry{Inbound: tipline.Inbound{Channel: tipline.ChannelSMS, ProviderID: "SM" + string(rune('a'+i)),
			SenderID: "+12125550100", Text: "x"}, SpooledAt: now.Add(-age)}
		if _, _, err := sp.Put(e); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config.Config{SpoolDir: dir, RetentionYouthDays: 30}
	newKeys, _ := seal.ParseKeys(newKey, []string{oldKey})
	var out bytes.Buffer
	if err := rotateSpool(&out, cfg, newKeys); err != nil || !strings.Contains(out.String(), "2 re-sealed") {
		t.Fatalf("rotate: %v %q", err, out.String())
	}
	out.Reset()
	if err := purgeSpool(&out, cfg, now); err != nil || !strings.Contains(out.String(), "1 purged") {
		t.Fatalf("purge: %v %q", err, out.String())
	}
	onlyNew, _ := seal.ParseKeys(newKey, nil)
	left, _ := spool.Open(dir, onlyNew, 0)
	names, _ := left.Pending()
	if len(names) != 1 {
		t.Fatalf("%d entries left, want 1", len(names))
	}
	if _, err := left.Load(names[0]); err != nil {
		t.Fatalf("the kept entry does not open under the new key alone: %v", err)
	}
	// Unset: nothing to do.
	out.Reset()
	if err := rotateSpool(&out, &config.Config{}, newKeys); err != nil || out.Len() != 0 {
		t.Fatalf("rotate without SPOOL_DIR: %v %q", err, out.String())
	}
	if err := purgeSpool(&out, &config.Config{}, now); err != nil || out.Len() != 0 {
		t.Fatalf("purge without SPOOL_DIR: %v %q", err, out.String())
	}
}
