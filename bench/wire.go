package bench

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// wire is one load worker's keep-alive HTTP/1.1 connection to a target.
// The worker writes each request and reads its answer on its own
// goroutine, with the standard library's Request.Write and ReadResponse:
// net/http's Transport hands every request to a writer and a reader
// goroutine of the connection and back, hand-offs that cost the load tool
// about a fifth of its CPU, which the service's side of the machine then
// lacks. A request that fails drops the connection; the next one dials
// again.
type wire struct {
	base string // the target's base URL
	addr string // its host:port
	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
}

func newWire(base string) *wire {
	w := &wire{base: base}
	if u, err := url.Parse(base); err == nil {
		w.addr = u.Host
	}
	return w
}

// do sends req and reads the answer's status and body.
func (w *wire) do(req *http.Request) (code int, status string, err error) {
	if w.conn == nil {
		c, err := net.DialTimeout("tcp", w.addr, 5*time.Second)
		if err != nil {
			return 0, "", err
		}
		w.conn, w.br, w.bw = c, bufio.NewReader(c), bufio.NewWriter(c)
	}
	if err := w.conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		w.close()
		return 0, "", err
	}
	if err := req.Write(w.bw); err != nil {
		w.close()
		return 0, "", err
	}
	if err := w.bw.Flush(); err != nil {
		w.close()
		return 0, "", err
	}
	resp, err := http.ReadResponse(w.br, req)
	if err != nil {
		w.close()
		return 0, "", err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.Close {
		w.close()
	}
	return resp.StatusCode, resp.Status, nil
}

func (w *wire) close() {
	if w.conn != nil {
		_ = w.conn.Close()
		w.conn = nil
	}
}
