package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tipline/directory"
	"tipline/directory/hsds"
	"tipline/store"
)

func runResources(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintln(e.stderr, "usage: tipline resources import FILE | tipline resources export [--format tipline|hsds-json|hsds-csv|hsds-zip] [--out PATH]")
		return errUsage
	}
	cfg, err := toolConfig(e)
	if err != nil {
		return err
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if args[0] == "import" {
		return importResources(ctx, args[1:], e, pool)
	}
	return exportResources(ctx, args[1:], e, pool)
}

// importResources replaces the directory with the file's records, all or
// nothing: an invalid file leaves the directory unchanged.
func importResources(ctx context.Context, args []string, e env, db interface {
	Begin(context.Context) (pgx.Tx, error)
}) error {
	if len(args) != 1 {
		return errors.New("give one file: tipline resources import FILE")
	}
	rs, warnings, err := hsds.ImportFile(args[0])
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, "warning:", w.String())
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if err := store.ReplaceResources(ctx, tx, rs); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported %d resources from %s\n", len(rs), args[0])
	return nil
}

func exportResources(ctx context.Context, args []string, e env, db store.DBTX) error {
	fs := flag.NewFlagSet("resources export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", hsds.FormatTipline, "tipline, hsds-json, hsds-csv (a folder) or hsds-zip")
	out := fs.String("out", "", "where to write (a file, or a folder for hsds-csv); standard output when empty")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	rs, err := store.ListResources(ctx, db)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := hsds.ExportFile(*out, *format, rs); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "exported %d resources to %s\n", len(rs), *out)
		return nil
	}
	var data []byte
	switch *format {
	case hsds.FormatTipline:
		data, err = directory.EncodeJSON(rs)
	case hsds.FormatJSON:
		data, err = hsds.EncodeJSON(rs)
	default:
		return fmt.Errorf("format %s needs --out", *format)
	}
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(data)
	return err
}
