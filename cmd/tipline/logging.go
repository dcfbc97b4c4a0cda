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

// toolConfig loads the configuration of a one-shot command (a database is
// all it needs) and sets up logging.
func toolConfig(e env) (*config.Config, error) {
	cfg, err := config.Load(e.getenv, config.ModeTool)
	if err != nil {
		return nil, err
	}
	setupLogging(e.stderr, cfg)
	return cfg, nil
}
