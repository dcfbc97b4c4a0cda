package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// call is what every grouped call has (turn_group.go, stmt_group.go): the
// caller's context, whether it waits, was taken into a group or left, and
// where its outcome is answered.
type call struct {
	ctx   context.Context
	state atomic.Int32 // reqWaiting, reqTaken or reqAbandoned
	done  chan error
}

const (
	reqWaiting int32 = iota
	reqTaken
	reqAbandoned
)

func newCall(ctx context.Context) call {
	return call{ctx: ctx, done: make(chan error, 1)}
}

// member is a call that a line holds.
type member interface{ base() *call }

// line is where calls wait for a group: leaders (at most maxLeaders, each
// started when a call joins and none is idle) take up to maxSize waiting
// calls at a time. A leader with nothing to take parks until a call
// joins, and stays for the life of the line (a pool's, so the process's):
// a group then runs on a goroutine whose stack has already grown to what
// the turn's flows need, instead of a new goroutine growing its stack
// (copying it four or five times) for every group.
type line[R member] struct {
	mu         sync.Mutex
	waiting    []R
	leaders    int
	idle       int           // leaders parked on wake
	wake       chan struct{} // one token per parked leader a join counted on
	maxLeaders int
	maxSize    int
}

// join queues r, wakes a parked leader or starts one (which runs each
// group it takes with run) if fewer run than allowed, and waits for r's
// outcome. A caller whose ctx ends while its call still waits
// leaves (what names the call in that error); once the call is in a
// group it waits for the group's end, so that its answer says what was
// stored.
func (l *line[R]) join(r R, run func([]R), what string) error {
	l.mu.Lock()
	l.waiting = append(l.waiting, r)
	switch {
	case l.idle > 0:
		l.idle-- // a token per counted leader: the buffer never fills
		l.wake <- struct{}{}
	case l.leaders < l.maxLeaders:
		if l.wake == nil {
			l.wake = make(chan struct{}, l.maxLeaders)
		}
		l.leaders++
		go l.lead(run)
	}
	l.mu.Unlock()
	c := r.base()
	select {
	case err := <-c.done:
		return err
	case <-c.ctx.Done():
		if c.state.CompareAndSwap(reqWaiting, reqAbandoned) {
			return fmt.Errorf("store: %s not started: %w", what, c.ctx.Err())
		}
		return <-c.done
	}
}

// lead runs groups, and parks while no call waits.
func (l *line[R]) lead(run func([]R)) {
	for {
		if group := l.next(); len(group) > 0 {
			run(group)
			continue
		}
		<-l.wake
	}
}

// next takes the next group. When none waits it returns nothing and
// counts the leader that asked as parked.
func (l *line[R]) next() []R {
	l.mu.Lock()
	defer l.mu.Unlock()
	var group []R
	n := 0
	for _, r := range l.waiting {
		c := r.base()
		if len(group) < l.maxSize && c.state.CompareAndSwap(reqWaiting, reqTaken) {
			group = append(group, r)
		} else if c.state.Load() == reqWaiting {
			l.waiting[n] = r
			n++
		}
	}
	clear(l.waiting[n:])
	l.waiting = l.waiting[:n]
	if len(group) == 0 {
		l.idle++
	}
	return group
}
