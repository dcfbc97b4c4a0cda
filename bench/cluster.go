package bench

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"tipline/pgcluster"
)

// startAgain starts a stopped private cluster on the port it had, so that
// clients holding its URL reconnect (pgcluster.Start would pick a new
// port). It runs pg_ctl as pgcluster does: as an unprivileged user when
// running as root.
func startAgain(ctx context.Context, c *pgcluster.Cluster) error {
	bin, err := pgcluster.Binaries()
	if err != nil {
		return err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200 -c fsync=on",
		c.Port, filepath.Join(c.Dir, "sock"))
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_ctl"), "start", "-w", "-t", "60",
		"-D", filepath.Join(c.Dir, "data"), "-l", filepath.Join(c.Dir, "server.log"), "-o", opts)
	cmd.Env = []string{"LC_ALL=C", "LANG=C", "PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if os.Geteuid() == 0 {
		cred, err := serverUser()
		if err != nil {
			return err
		}
		cmd.SysProcAttr.Credential = cred
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bench: restart PostgreSQL: %w: %s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(c.Port), time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: PostgreSQL did not come back: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// serverUser is the unprivileged user pgcluster runs PostgreSQL as.
func serverUser() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("bench: no unprivileged user to run PostgreSQL as")
}
