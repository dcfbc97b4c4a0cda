package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Service is a `tipline serve` child process on a loopback port.
type Service struct {
	Binary string
	Env    []string // KEY=value, the whole environment of the child
	Addr   string   // 127.0.0.1:port
	Log    *tailBuffer

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// freePort returns a loopback port nothing listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL is the service's base URL.
func (s *Service) URL() string { return "http://" + s.Addr }

// PID is the child's process id (0 when not running).
func (s *Service) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Start runs the child and waits until /readyz answers 200.
func (s *Service) Start(ctx context.Context) error {
	if s.Log == nil {
		s.Log = &tailBuffer{max: 64 << 10}
	}
	cmd := exec.Command(s.Binary, "serve")
	cmd.Env = s.Env
	cmd.Stdout, cmd.Stderr = s.Log, s.Log
	// Its own process group: a Ctrl-C reaches the bench, which then stops
	// the service in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("bench: start %s serve: %w", s.Binary, err)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	go func() {
		err := cmd.Wait()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(done)
	}()
	return s.waitReady(ctx, done)
}

func (s *Service) waitReady(ctx context.Context, done chan struct{}) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if ready(ctx, s.URL()) {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("bench: the service exited while starting:\n%s", s.Log.String())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("bench: the service did not become ready in 2 minutes")
		}
	}
}

// ready reports whether base/readyz answers 200.
func ready(ctx context.Context, base string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Stop sends SIGTERM (graceful shutdown) and waits; after grace it kills.
func (s *Service) Stop(grace time.Duration) error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
		return errors.New("bench: the service did not stop on SIGTERM")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmd = nil
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return fmt.Errorf("bench: the service exited with %v:\n%s", ee, s.Log.String())
	}
	return nil
}

// Kill ends the service with SIGKILL, as a crash would, and waits.
func (s *Service) Kill() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
}

// tailBuffer keeps the last max bytes written to it (the child's log).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

// Write implements io.Writer.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

// String returns what was kept.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// Tail returns the last 20 lines kept.
func (t *tailBuffer) Tail() string {
	lines := strings.Split(strings.TrimRight(t.String(), "\n"), "\n")
	return strings.Join(lines[max(len(lines)-20, 0):], "\n")
}

// envList renders settings as KEY=value, with PATH and HOME kept.
func envList(settings map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range settings {
		out = append(out, k+"="+v)
	}
	return out
}
