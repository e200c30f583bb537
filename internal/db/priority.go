package db

import (
	"context"
	"sync/atomic"
	"time"
)

// Interactive work (a search as you type, a page someone waits for) and
// bulk work (an import) share the machine's cores. Bulk work calls Yield
// between small steps; while interactive work runs in this process, Yield
// waits, so a search during an import runs on a core of its own instead of
// taking turns with the import's goroutines. SQLite readers never wait for
// the writer (WAL), so holding a bulk transaction open while it yields
// delays nobody.

// maxYield bounds one wait, and after a wait bulk work runs for at least
// minRun before it waits again, so a steady stream of requests slows bulk
// work down (to a third of its pace at worst) but never stops it.
const (
	maxYield = 20 * time.Millisecond
	minRun   = 10 * time.Millisecond
)

// yieldPoll is how often a waiting Yield looks again.
const yieldPoll = 250 * time.Microsecond

// Foreground marks interactive work as running until the returned function
// is called.
func (db *DB) Foreground() (done func()) {
	db.foreground.Add(1)
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			db.foreground.Add(-1)
		}
	}
}

// Yield waits while interactive work runs, for at most maxYield, or until
// ctx ends. It costs one atomic load when nothing else runs.
func (db *DB) Yield(ctx context.Context) {
	if db.foreground.Load() == 0 {
		return
	}
	now := time.Now()
	if now.UnixNano() < db.yielded.Load()+int64(minRun) {
		return
	}
	defer func() { db.yielded.Store(time.Now().UnixNano()) }()
	deadline := now.Add(maxYield)
	t := time.NewTimer(yieldPoll)
	defer t.Stop()
	for db.foreground.Load() > 0 && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			t.Reset(yieldPoll)
		}
	}
}
