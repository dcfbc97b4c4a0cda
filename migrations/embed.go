// Package migrations carries Tipline's schema as numbered plain SQL files,
// embedded in the binary. Files are named NNNN_name.sql and applied in
// order, each in its own transaction, by store.Migrate.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
