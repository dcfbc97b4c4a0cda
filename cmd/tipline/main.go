// Command tipline is the whole of Tipline in one binary: the service, the
// local development mode and the operator tools (docs/design.md section 1).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"tipline/config"
	"tipline/migrations"
)

// migrationsFS is the schema this binary applies; tests may extend it.
var migrationsFS fs.FS = migrations.FS

const usage = `Usage: tipline <command> [options]

Commands:
  dev                      run everything locally with nothing configured
  serve                    run the service (configuration from the environment)
  migrate [--status]       apply pending migrations (or list them) and exit
  staff add --email E --role admin|reviewer
                           create a staff login (password from stdin, or generated)
  staff list               list staff logins
  staff disable E          disable a login and end its sessions
  resources import FILE    load the resource directory (Tipline JSON, HSDS JSON/CSV)
  resources export         dump the resource directory
  chat [--as sms|telegram] talk to the bot in the terminal as a simulated user
  purge                    apply the retention rules now
  keys rotate              re-seal every identifier under the current key
  bench                    load test: signed webhook traffic on loopback
  eval danger [--split test|dev|all] [--file F]
                           score the risk screen on the labelled corpus
  audit verify [--anchor SEQ:MAC]
                           check the audit trail's chain; names the first broken row
  audit seal               cover audit rows from before the chain (once, after upgrading)

Run 'tipline <command> --help' for a command's options.
`

type command func(ctx context.Context, args []string, env env) error

// env is what a command sees of the process: its streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = map[string]command{
	"dev":       runDev,
	"serve":     runServe,
	"migrate":   runMigrate,
	"staff":     runStaff,
	"resources": runResources,
	"chat":      runChat,
	"purge":     runPurge,
	"keys":      runKeys,
	"bench":     runBench,
	"eval":      runEval,
	"audit":     runAudit,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "tipline: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := runIn(ctx, cmd, args, e)
	if err != nil {
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintf(e.stderr, "tipline %s: %v\n", args[0], err)
		if config.IsConfigError(err) {
			if devFolderCommands[args[0]] && e.getenv("DATABASE_URL") == "" {
				fmt.Fprintln(e.stderr, "(in a folder where 'tipline dev' ran, DATABASE_URL may stay unset: the dev database is used)")
			}
			return 78 // EX_CONFIG
		}
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

// runIn runs cmd, in a dev folder against its database (inDevFolder).
func runIn(ctx context.Context, cmd command, args []string, e env) error {
	if !devFolderCommands[args[0]] || (len(args) > 1 && (args[1] == "-h" || args[1] == "--help")) {
		return cmd(ctx, args[1:], e)
	}
	e, release, err := inDevFolder(ctx, e)
	if err != nil {
		return err
	}
	defer release()
	return cmd(ctx, args[1:], e)
}
