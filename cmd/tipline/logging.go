package main

import (
	"io"
	"log/slog"

	"tipline/config"
)

// setupLogging installs the process logger from LOG_FORMAT and LOG_LEVEL.
// Log lines never carry message text, identifiers or secrets: callers log
// ids of rows and error classes only.
func setupLogging(w io.Writer, cfg *config.Config) {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	slog.SetDefault(slog.New(h))
}
