package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// devFolderCommands are the commands that, in a folder where `tipline dev`
// ran, use its database when DATABASE_URL is unset.
var devFolderCommands = map[string]bool{
	"migrate": true, "staff": true, "resources": true, "purge": true, "keys": true, "chat": true, "audit": true,
}

// inDevFolder returns e with the dev database of this folder filled in
// when DATABASE_URL is unset and ./.tipline/postgres exists: it starts the
// private PostgreSQL, or joins the one a running `tipline dev` keeps, and
// also supplies the dev secret key when TIPLINE_SECRET_KEY is unset.
// release stops the server if this command started it and nobody else
// uses it. Elsewhere it returns e unchanged.
func inDevFolder(ctx context.Context, e env) (env, func(), error) {
	noop := func() {}
	if e.getenv("DATABASE_URL") != "" {
		return e, noop, nil
	}
	if _, err := os.Stat(filepath.Join(devDir, "postgres", "data")); err != nil {
		return e, noop, nil
	}
	url, release, err := acquireDevCluster(ctx, nil)
	if err != nil {
		return e, noop, fmt.Errorf("DATABASE_URL is unset and the dev database in ./%s did not start: %w\n"+
			"Run 'tipline dev' in this folder (and this command again from another terminal), or set DATABASE_URL", devDir, err)
	}
	fmt.Fprintf(e.stderr, "tipline: DATABASE_URL is unset: using the dev database in ./%s\n", devDir)
	vars := map[string]string{"DATABASE_URL": url}
	if e.getenv("TIPLINE_SECRET_KEY") == "" {
		if b, err := os.ReadFile(filepath.Join(devDir, "secret.key")); err == nil {
			vars["TIPLINE_SECRET_KEY"] = strings.TrimSpace(string(b))
		}
	}
	outer := e.getenv
	e.getenv = func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return outer(k)
	}
	return e, func() {
		if _, err := release(); err != nil {
			fmt.Fprintf(e.stderr, "tipline: stopping the dev database: %v\n", err)
		}
	}, nil
}
