package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"sort"

	"tipline/config"
	"tipline/privacy"
	"tipline/seal"
	"tipline/store"
)

const keysUsage = `usage: tipline keys rotate [--batch N]   re-hash and re-seal everything under TIPLINE_SECRET_KEY
       tipline keys status               count what still depends on TIPLINE_PREVIOUS_KEYS
       tipline keys generate             print a new random key (for TIPLINE_SECRET_KEY)`

// runKeys handles the key commands (docs/privacy.md, "Rotating the key").
func runKeys(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, keysUsage)
		return errUsage
	}
	switch args[0] {
	case "generate":
		fmt.Fprintln(e.stdout, seal.GenerateKey())
		return nil
	case "rotate", "status":
	default:
		fmt.Fprintln(e.stderr, keysUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	batch := fs.Int("batch", privacy.DefaultBatch, "rows per transaction")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	cfg, keys, err := loadKeys(e)
	if err != nil {
		return err
	}
	pool, err := openCurrent(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if args[0] == "status" {
		return keyStatus(ctx, e, pool, keys)
	}
	rep, err := privacy.Rotate(ctx, pool, keys, privacy.RotateOptions{Batch: *batch})
	fmt.Fprint(e.stdout, rep)
	if err != nil {
		return err
	}
	if err := rotateSpool(e.stdout, cfg, keys); err != nil {
		return err
	}
	if !rep.Complete() {
		return errors.New("some values are still under other keys: keep TIPLINE_PREVIOUS_KEYS and see docs/privacy.md")
	}
	fmt.Fprintln(e.stdout, "rotation complete")
	return nil
}

// loadKeys reads the configuration of a key command and its keys.
func loadKeys(e env) (*config.Config, *seal.Keys, error) {
	cfg, err := config.Load(e.getenv, config.ModeTool)
	if err != nil {
		return nil, nil, err
	}
	if cfg.SecretKey == "" {
		return nil, nil, &config.Error{Problems: []string{"TIPLINE_SECRET_KEY: required (the new key; the old one goes in TIPLINE_PREVIOUS_KEYS)"}}
	}
	setupLogging(e.stderr, cfg)
	keys, err := seal.ParseKeys(cfg.SecretKey, cfg.PrevKeys)
	return cfg, keys, err
}

// keyStatus prints, by key id, what depends on which key.
func keyStatus(ctx context.Context, e env, pool store.DBTX, keys *seal.Keys) error {
	keyID, err := hex.DecodeString(keys.CurrentID())
	if err != nil {
		return err
	}
	u, err := store.KeyUsageOf(ctx, pool, keyID, privacy.StateFields())
	if err != nil {
		return err
	}
	byKey, err := store.HashKeyCounts(ctx, pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "current key %s, previous %v\n", keys.CurrentID(), keys.PreviousIDs())
	ids := make([]string, 0, len(byKey))
	for k := range byKey {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	for _, k := range ids {
		name := k
		if name == "" {
			name = "unknown"
		}
		fmt.Fprintf(e.stdout, "contact hashes under key %s: %d\n", name, byKey[k])
	}
	fmt.Fprintf(e.stdout, "under other keys: %d sealed identifier(s), %d re-hashable hash(es), %d hash-only contact(s)\n",
		u.SealedOld, u.HashOld, u.HashOnly)
	cols := make([]string, 0, len(u.Columns))
	for k := range u.Columns {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	for _, k := range cols {
		fmt.Fprintf(e.stdout, "under other keys: %s %d\n", k, u.Columns[k])
	}
	return nil
}
