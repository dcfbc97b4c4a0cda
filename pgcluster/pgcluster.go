// Package pgcluster runs a private PostgreSQL server from the binaries on
// the machine: used by `tipline dev` and by the test harness when no server
// is reachable. It listens on loopback on its own port and socket directory,
// and runs as an unprivileged user when Tipline runs as root (PostgreSQL
// refuses to run as root).
package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// ErrNoBinaries means no PostgreSQL server binaries were found.
var ErrNoBinaries = errors.New(`no PostgreSQL server binaries found (looked for initdb, pg_ctl and postgres on PATH and in /usr/lib/postgresql/*/bin).
Install them, then run this again:
    Debian/Ubuntu:  sudo apt-get install -y postgresql
    Fedora/RHEL:    sudo dnf install -y postgresql-server
    macOS:          brew install postgresql@16
Or point Tipline at an existing server: DATABASE_URL=postgres://user:pass@host:5432/db`)

// Binaries locates the directory holding initdb, pg_ctl and postgres.
func Binaries() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			dir = filepath.Dir(resolved)
		}
		if hasAll(dir) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if hasAll(d) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func hasAll(dir string) bool {
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, b)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// runAs says which user the server runs as: nil for the current user, or
// the credential of an unprivileged system user when running as root.
func runAs() (*syscall.Credential, string, error) {
	if os.Geteuid() != 0 {
		return nil, "", nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, u.HomeDir, nil
	}
	return nil, "", errors.New("pgcluster: running as root and no unprivileged user (postgres or nobody) exists to run PostgreSQL; create one with: useradd --system postgres")
}

// command builds an exec.Cmd for a server binary, run as cred when set.
func command(bin string, cred *syscall.Credential, home string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	env := []string{"LC_ALL=C", "LANG=C", "PATH=" + os.Getenv("PATH")}
	// Its own process group: a Ctrl-C in the terminal reaches Tipline, which
	// then stops the server in order, instead of reaching the server too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if cred != nil {
		cmd.SysProcAttr.Credential = cred
		env = append(env, "HOME="+home)
	} else {
		env = append(env, "HOME="+os.Getenv("HOME"))
	}
	cmd.Env = env
	return cmd
}

// chownTree gives path (recursively) to cred's user when running as root.
func chownTree(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	return filepath.Walk(path, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(cred.Uid), int(cred.Gid))
	})
}

// ensureTraversable lets the server's user reach dir through its parents.
func ensureTraversable(dir string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
				return fmt.Errorf("pgcluster: make %s reachable for the server user: %w", d, err)
			}
		}
	}
	return nil
}

func trimOutput(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}
