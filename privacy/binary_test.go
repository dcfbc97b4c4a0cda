package privacy_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// built is the binary the tests share, built once per test process (two
// tests run it in parallel; building it twice cost a link each).
var built struct {
	once     sync.Once
	dir, bin string
	err      error
	out      []byte
}

// TestMain removes the shared binary when the tests end.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildTipline builds the real binary, once, and returns its path.
func buildTipline(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "tipline-privacy-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "tipline")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, "tipline/cmd/tipline").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// syncBuffer collects a process's output from several writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// environ is the whole environment a child process gets: nothing of the
// test's own, so no outside DATABASE_URL or key leaks in.
func environ(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runTool runs a one-shot command of the binary (staff, purge, keys…)
// with stdin, appending its output to log.
func runTool(t *testing.T, bin string, env map[string]string, log *syncBuffer, stdin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = environ(env)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		t.Fatalf("tipline %s: %v\n%s", strings.Join(args, " "), err, log)
	}
}

// proc is a running `tipline serve`.
type proc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	done chan error
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServe starts `tipline serve` and waits until it is ready.
func startServe(t *testing.T, bin string, env map[string]string, log *syncBuffer) *proc {
	t.Helper()
	addr := freeAddr(t)
	env["LISTEN_ADDR"] = addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = environ(env)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, base: "http://" + addr, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.stop(t) })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			t.Fatalf("serve exited: %v\n%s", err, log)
		default:
		}
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("serve not ready\n%s", log)
	return nil
}

// stop sends SIGTERM and waits for a graceful exit.
func (p *proc) stop(t *testing.T) {
	if p.cmd.ProcessState != nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Error("serve did not stop within 40s of SIGTERM")
	}
}

// post sends a request and returns the status code.
func post(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// dropProxy forwards to target, but closes the connection of the next
// `drops` requests without an answer (a network failure between Tipline
// and the provider).
type dropProxy struct {
	srv   *httptest.Server
	drops atomic.Int32
}

func newDropProxy(t *testing.T, target string) *dropProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &dropProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = nil
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for n := p.drops.Load(); n > 0; n = p.drops.Load() {
			if !p.drops.CompareAndSwap(n, n-1) {
				continue
			}
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
