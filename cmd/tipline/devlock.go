package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// devLock lets one `tipline dev` run per folder: an exclusive flock on
// ./.tipline/dev.lock, which holds the pid and, once serving, the address.
// The kernel drops the lock of a process that dies, so a crashed dev leaves
// nothing stale behind (the pid in the file is for people, not the check).
type devLock struct{ f *os.File }

// errDevRunning is the refusal of a second dev in the same folder.
type errDevRunning struct{ holder string }

func (e errDevRunning) Error() string {
	who := "another `tipline dev`"
	if e.holder != "" {
		who += " (" + e.holder + ")"
	}
	return who + " is already running in this folder; it was left untouched.\n" +
		"Stop it first (Ctrl-C in its terminal), or use it: the other tipline commands run here\n" +
		"(staff, resources, chat, migrate…) find its database."
}

// lockDev takes the folder's dev lock or explains who holds it.
func lockDev() (*devLock, error) {
	f, err := os.OpenFile(filepath.Join(devDir, "dev.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := io.ReadAll(io.LimitReader(f, 512))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errDevRunning{holder: strings.Join(strings.Fields(string(b)), " ")}
		}
		return nil, fmt.Errorf("dev lock: %w", err)
	}
	l := &devLock{f: f}
	l.write("")
	return l, nil
}

// write records this process (and its address once it serves).
func (l *devLock) write(addr string) {
	s := fmt.Sprintf("pid %d", os.Getpid())
	if addr != "" {
		s += ", http://" + addr + "/staff/"
	}
	_ = l.f.Truncate(0)
	_, _ = l.f.WriteAt([]byte(s+"\n"), 0)
}

// release empties and unlocks the file.
func (l *devLock) release() {
	_ = l.f.Truncate(0)
	l.f.Close()
}

// progress prints one line as each slow step of a start begins and one
// with its duration when it ends, so a cold start (initdb, migrations,
// seeding) is never silent.
type progress struct {
	w     io.Writer
	start time.Time
}

// step prints what starts now; the returned function prints how long it took.
func (p *progress) step(what string) func() {
	fmt.Fprintf(p.w, "dev: %s…\n", what)
	t := time.Now()
	return func() {
		fmt.Fprintf(p.w, "dev:   done in %s\n", time.Since(t).Round(10*time.Millisecond))
	}
}
