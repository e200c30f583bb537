package db_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/db/dbtest"
)

func TestYield_waitsWhileInteractiveWorkRuns(t *testing.T) {
	d := dbtest.Open(t, dbtest.Kinds()[0].New(t))
	ctx := context.Background()
	d.Yield(ctx) // nothing running: returns at once

	done := d.Foreground()
	var released atomic.Bool
	go func() {
		time.Sleep(3 * time.Millisecond)
		released.Store(true)
		done()
	}()
	d.Yield(ctx)
	if !released.Load() {
		t.Fatal("Yield returned while interactive work was still running")
	}
	done() // a second call is harmless
}

const maxYield = 20 * time.Millisecond

func TestYield_neverStopsBulkWorkForGood(t *testing.T) {
	d := dbtest.Open(t, dbtest.Kinds()[0].New(t))
	defer d.Foreground()() // held for the whole test
	ctx := context.Background()
	start := time.Now()
	waits := 0
	for time.Since(start) < 300*time.Millisecond {
		t0 := time.Now()
		d.Yield(ctx)
		if time.Since(t0) > maxYield/2 { // a wait, not the scheduler's pause
			waits++
		}
	}
	// Bounded waits with runs in between: one wait (20 ms) per 30 ms.
	if waits == 0 || waits > 12 {
		t.Fatalf("%d waits in 300 ms of steady interactive work, want between 1 and 12", waits)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	time.Sleep(15 * time.Millisecond)
	t0 := time.Now()
	d.Yield(cctx)
	if time.Since(t0) > 5*time.Millisecond {
		t.Fatal("Yield kept waiting after its context ended")
	}
}
