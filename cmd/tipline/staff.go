package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"tipline/password"
	"tipline/store"
)

func runStaff(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "usage: tipline staff add --email E --role admin|reviewer | staff list | staff disable E")
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
	switch args[0] {
	case "add":
		return staffAdd(ctx, args[1:], e, pool)
	case "list":
		list, err := store.ListStaff(ctx, pool)
		if err != nil {
			return err
		}
		for _, s := range list {
			state := "active"
			if s.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(e.stdout, "%-40s %-9s %s\n", s.Email, s.Role, state)
		}
		return nil
	case "disable", "enable":
		if len(args) != 2 {
			return errors.New("give the email: tipline staff " + args[0] + " E")
		}
		if err := store.SetStaffDisabled(ctx, pool, args[1], args[0] == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %sd\n", args[1], args[0])
		return nil
	}
	return fmt.Errorf("unknown staff command %q (add, list, disable)", args[0])
}

func staffAdd(ctx context.Context, args []string, e env, db store.DBTX) error {
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	email := fs.String("email", "", "login email")
	role := fs.String("role", "reviewer", "admin or reviewer")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	pw, generated, err := readPassword(e)
	if err != nil {
		return err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	if _, err := store.CreateStaff(ctx, db, *email, *role, hash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s (%s)\n", *email, *role)
	if generated {
		fmt.Fprintf(e.stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

// readPassword takes the first line of stdin, or generates a password when
// stdin is a terminal or empty.
func readPassword(e env) (pw string, generated bool, err error) {
	if e.stdin != nil && !isTerminal(e.stdin) {
		line, rerr := bufio.NewReader(e.stdin).ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if rerr != nil && line == "" {
			return password.Generate(), true, nil
		}
		if len(line) < password.MinLength {
			return "", false, fmt.Errorf("password must have at least %d characters", password.MinLength)
		}
		return line, false, nil
	}
	return password.Generate(), true, nil
}
