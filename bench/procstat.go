package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc CPU times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// procTimes reads a process's CPU time from /proc/<pid>/stat: its own
// (utime+stime) and that of children it has reaped (cutime+cstime), and its
// parent's pid.
func procTimes(pid int) (self, reaped time.Duration, ppid int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, 0, false
	}
	// The command name may hold spaces and parentheses: fields start after
	// the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return 0, 0, 0, false
	}
	num := func(k int) int64 { n, _ := strconv.ParseInt(f[k], 10, 64); return n }
	// f[0] is the state (field 3); utime is field 14, so f[11].
	self = time.Duration(num(11)+num(12)) * clockTick
	reaped = time.Duration(num(13)+num(14)) * clockTick
	return self, reaped, int(num(1)), true
}

// treeCPU is the CPU time of a server process and its children (alive, or
// exited and reaped by it): PostgreSQL's postmaster and its backends.
func treeCPU(root int) time.Duration {
	self, reaped, _, ok := procTimes(root)
	if !ok {
		return 0
	}
	total := self + reaped
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil || pid == root {
			continue
		}
		if s, _, ppid, ok := procTimes(pid); ok && ppid == root {
			total += s
		}
	}
	return total
}

// peakRSS reads VmHWM (peak resident memory) from /proc/<pid>/status.
func peakRSS(pid int) (bytes int64, ok bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, found := strings.CutPrefix(sc.Text(), "VmHWM:"); found {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}

// machineCPU returns the busy and total CPU time of the whole machine
// from /proc/stat (all cores).
func machineCPU() (busy, total time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, 0
	}
	var sum, idle int64
	for i, s := range f[1:] {
		n, _ := strconv.ParseInt(s, 10, 64)
		if i >= 8 { // guest time is already inside user time
			break
		}
		sum += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return time.Duration(sum-idle) * clockTick, time.Duration(sum) * clockTick
}

// cpuSample is the CPU used so far by the service, PostgreSQL, the load
// tool and the whole machine.
type cpuSample struct {
	at      time.Time
	service time.Duration
	pg      time.Duration
	self    time.Duration
	busy    time.Duration
	// balancer is also inside service.
	balancer time.Duration
}

// sampler takes cpuSamples of a service pid and a postmaster pid (0 for
// unknown); with several instances, also of the others and of the load
// balancer (both counted as service CPU).
type sampler struct {
	servicePID, postmaster int
	others                 []int // more instances
	balancer               int   // HAProxy, or nginx's master and workers
}

func (s sampler) sample() cpuSample {
	c := cpuSample{at: time.Now()}
	if s.servicePID > 0 {
		c.service, _, _, _ = procTimes(s.servicePID)
	}
	for _, pid := range s.others {
		t, _, _, _ := procTimes(pid)
		c.service += t
	}
	if s.balancer > 0 {
		c.balancer = treeCPU(s.balancer)
		c.service += c.balancer
	}
	if s.postmaster > 0 {
		c.pg = treeCPU(s.postmaster)
	}
	c.self, _, _, _ = procTimes(os.Getpid())
	c.busy, _ = machineCPU()
	return c
}

// cpuUse is the CPU spent between two samples.
type cpuUse struct {
	wall, service, pg, self, machine, balancer time.Duration
}

func (a cpuSample) to(b cpuSample) cpuUse {
	return cpuUse{wall: b.at.Sub(a.at), service: b.service - a.service, pg: b.pg - a.pg,
		self: b.self - a.self, machine: b.busy - a.busy, balancer: b.balancer - a.balancer}
}
