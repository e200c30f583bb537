package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/foliocrm/folio/internal/demoload"
)

func demoCmd(ctx context.Context, env Env, args []string) error {
	fs, cf := flags(env, "demo", "[--contacts N] [--seed S] [flags]",
		"Adds realistic demo contacts — persons from many cultures, households, joint accounts, trusts and companies with\n"+
			"their relationships, KYC filled to varying degrees — owned by a few demo staff users. The same seed gives the same data.")
	n := fs.Int("contacts", 1000, "how many contacts to add")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same contacts")
	cfg, err := parse(fs, cf, args)
	if err != nil {
		return err
	}
	if *n < 1 || *n > 10_000_000 {
		return fmt.Errorf("--contacts must be between 1 and 10000000 (got %d)", *n)
	}
	a, ctx, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	res, err := demoload.Load(ctx, a.Auth, a.Contacts, *n, *seed, func(done int) {
		el := time.Since(start).Seconds()
		fmt.Fprintf(env.Stderr, "demo: %d/%d contacts (%.0f/s)\n", done, *n, float64(done)/el)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo: added %d contacts (ids %d–%d) owned by %d demo staff in %s\n",
		res.Added, res.FirstID, res.LastID, len(demoload.Staff), time.Since(start).Round(time.Millisecond))
	return nil
}
