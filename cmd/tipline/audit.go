package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"tipline/store"
)

const auditUsage = `usage: tipline audit verify [--anchor SEQ:MAC]   check the whole audit chain; non-zero at the first broken row
       tipline audit seal                        cover the rows from before the chain (once, after upgrading every instance)`

// runAudit handles the audit trail commands (docs/design.md section 9,
// "The audit chain").
func runAudit(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "seal") {
		fmt.Fprintln(e.stderr, auditUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	anchorText := fs.String("anchor", "", "a head printed by an earlier verify (SEQ:MAC), kept outside the database; verify fails when the chain no longer holds it")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	var anchor *store.AuditAnchor
	if *anchorText != "" {
		a, err := parseAnchor(*anchorText)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			return errUsage
		}
		anchor = &a
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
	ak := store.NewAuditKeys(keys)
	if args[0] == "seal" {
		n, err := store.SealAuditLegacy(ctx, pool, ak)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "sealed %d rows from before the chain\n", n)
		return nil
	}
	start := time.Now()
	rep, err := store.VerifyAudit(ctx, pool, ak, anchor)
	if err != nil {
		return err
	}
	printAuditReport(e.stdout, rep, time.Since(start))
	if rep.Break != nil {
		return fmt.Errorf("the audit chain is broken (%s at row id %d)", rep.Break.Kind, rep.Break.ID)
	}
	return nil
}

// parseAnchor reads SEQ:MAC (MAC in hex, at least 8 digits).
func parseAnchor(s string) (store.AuditAnchor, error) {
	seqText, macText, ok := strings.Cut(s, ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if _, herr := hex.DecodeString(macText); !ok || err != nil || seq <= 0 || herr != nil || len(macText) < 8 {
		return store.AuditAnchor{}, fmt.Errorf("--anchor %q: want SEQ:MAC as verify prints the head (e.g. 1234:9f86d081884c7d65)", s)
	}
	return store.AuditAnchor{Seq: seq, MACHex: macText}, nil
}

// printAuditReport writes what verify read and, when the chain holds, the
// head to keep elsewhere as a later --anchor.
func printAuditReport(w io.Writer, rep *store.AuditReport, took time.Duration) {
	read := "read"
	if rep.Break != nil {
		read = "stopped after"
	}
	fmt.Fprintf(w, "%s %d rows in %s: %d chained (%d MACs checked), %d from before the chain\n",
		read, rep.Rows, took.Round(time.Millisecond), rep.Chained, rep.Checked, rep.Legacy)
	for id, n := range rep.Unchecked {
		fmt.Fprintf(w, "%d rows under key %s, which is not configured: vouched for by the later rows' MACs\n", n, id)
	}
	if rep.Break != nil {
		fmt.Fprintf(w, "BROKEN: %s\n", rep.Break)
		return
	}
	if rep.HeadSeq > 0 {
		fmt.Fprintf(w, "chain holds; head %d:%s (row id %d): keep it outside the database and pass it as --anchor later\n",
			rep.HeadSeq, hex.EncodeToString(rep.HeadMAC)[:16], rep.HeadID)
	} else {
		fmt.Fprintln(w, "chain holds (no chained rows yet)")
	}
}
