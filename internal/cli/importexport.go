package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/app"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/tabular"
)

// splitFile takes a leading FILE argument off args, so flags may come
// before or after it.
func splitFile(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// actAs finds the user a command acts as (actingUser) and returns ctx
// carrying them as the audit actor on channel.
func actAs(ctx context.Context, a *app.App, email string, channel audit.Channel) (*auth.User, context.Context, error) {
	u, err := actingUser(ctx, a, email)
	if err != nil {
		return nil, ctx, err
	}
	return u, audit.WithActor(ctx, audit.Actor{Type: audit.ActorUser, ID: fmt.Sprint(u.ID), Name: u.Name + " (command line)",
		Channel: channel}), nil
}

// actingUser is the user a command acts as: --user, else the first owner.
func actingUser(ctx context.Context, a *app.App, email string) (*auth.User, error) {
	if email != "" {
		u, err := a.Auth.UserByEmail(ctx, email)
		if err != nil {
			return nil, fmt.Errorf("--user %s: no such user", email)
		}
		if u.DisabledAt != nil {
			return nil, fmt.Errorf("--user %s: the user is disabled", email)
		}
		return u, nil
	}
	users, err := a.Auth.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == auth.RoleOwner && u.DisabledAt == nil {
			return u, nil
		}
	}
	return nil, errors.New("there is no owner account yet: start Folio and create it, or pass --user EMAIL")
}

func importCmd(ctx context.Context, env Env, args []string) error {
	file, args := splitFile(args)
	fs, cf := flags(env, "import", "FILE [--key email|external_id|tax_id|none] [--dry-run] [flags]",
		"Imports contacts from a CSV, XLSX or vCard file, with the columns mapped automatically (or as last mapped in\n"+
			"the web UI for files with the same headers). Shows progress, ends with the counts, and writes the rejected\n"+
			"rows with their reasons to FILE.errors.csv.")
	key := fs.String("key", "email", "how rows find the contact they update: email, external_id, tax_id, or none (create only)")
	dry := fs.Bool("dry-run", false, "report what would happen without storing anything")
	userEmail := fs.String("user", "", "the Folio user the import acts as (default: the owner)")
	sheet := fs.String("sheet", "", "XLSX: the sheet to read (default: the first)")
	encoding := fs.String("encoding", "", "CSV: utf-8, utf-16 or windows-1252 (default: detected)")
	cfg, err := parse(fs, cf, args)
	if err != nil {
		return err
	}
	if file == "" {
		file = fs.Arg(0)
	}
	if file == "" {
		fs.Usage()
		return errUsage
	}
	mk := contact.MatchKey(*key)
	if !mk.Valid() {
		return fmt.Errorf("--key must be email, external_id, tax_id or none (got %q)", *key)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	a, ctx, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	u, ctx, err := actAs(ctx, a, *userEmail, audit.ChannelImport)
	if err != nil {
		return err
	}
	v := contact.ViewerFor(u)
	start := time.Now()
	im, err := a.Imports.Upload(ctx, v, file, f, tabular.Options{Sheet: *sheet, Encoding: *encoding})
	if err != nil {
		return err
	}
	for _, c := range im.Mapped() {
		target := "(ignored)"
		if fd := importer.FieldByKey(c.Field); fd != nil {
			target = fd.Label
		}
		fmt.Fprintf(env.Stderr, "  %-32s → %s\n", c.Header, target)
	}
	if im, err = a.Imports.Start(ctx, v, im.ID, importer.Settings{Mapping: im.Mapping, Key: mk, DryRun: *dry}); err != nil {
		return err
	}
	last := time.Time{}
	im, err = a.Imports.RunNow(ctx, im.ID, func(p *importer.Import) {
		if time.Since(last) < 500*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(env.Stderr, "\r%s", progressLine(p, time.Now()))
	})
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return err
	}
	if im.Status == importer.StatusFailed {
		return errors.New(im.Error)
	}
	if im.Rejected > 0 {
		path := file + ".errors.csv"
		if werr := writeErrors(ctx, a, v, im.ID, path); werr != nil {
			fmt.Fprintf(env.Stderr, "could not write the rejected rows: %v\n", werr)
		} else {
			fmt.Fprintf(env.Stderr, "rejected rows with their reasons: %s\n", path)
		}
	}
	prefix := "imported"
	if *dry {
		prefix = "dry run"
	}
	fmt.Fprintf(env.Stderr, "%d rows in %s (%.0f rows/s)\n", im.RowsDone, time.Since(start).Round(time.Millisecond),
		float64(im.RowsDone)/time.Since(start).Seconds())
	fmt.Fprintf(env.Stdout, "%s: created=%d updated=%d unchanged=%d rejected=%d\n", prefix, im.Created, im.Updated, im.Unchanged, im.Rejected)
	return nil
}

func writeErrors(ctx context.Context, a *app.App, v contact.Viewer, id int64, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := a.Imports.WriteErrors(ctx, v, id, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// progressLine is a terminal progress bar: percent, rows, speed, time left.
func progressLine(p *importer.Import, now time.Time) string {
	const width = 30
	pct := p.Percent()
	bar := strings.Repeat("█", pct*width/100) + strings.Repeat("░", width-pct*width/100)
	left := ""
	if d := p.TimeLeft(now); d > 0 {
		left = ", " + d.String() + " left"
	}
	return fmt.Sprintf("%s %3d%%  %d rows, %.0f rows/s%s   ", bar, pct, p.RowsDone, p.RowsPerSecond(now), left)
}

func exportCmd(ctx context.Context, env Env, args []string) error {
	fs, cf := flags(env, "export", "--format csv|xlsx|vcard [--output FILE] [--q SEARCH] [--sensitive] [flags]",
		"Exports contacts to a file (or standard output): every contact the user sees, or those a search finds. ID\n"+
			"numbers are included only with --sensitive, which needs Sensitive Data Access; every export is logged.")
	format := fs.String("format", "csv", "csv, xlsx or vcard")
	output := fs.String("output", "", "file to write (default: standard output)")
	q := fs.String("q", "", "only contacts this search finds")
	sensitive := fs.Bool("sensitive", false, "include ID numbers in clear (needs Sensitive Data Access)")
	userEmail := fs.String("user", "", "the Folio user the export acts as (default: the owner)")
	cfg, err := parse(fs, cf, args)
	if err != nil {
		return err
	}
	switch *format {
	case importer.FormatCSV, importer.FormatXLSX, importer.FormatVCard:
	default:
		return fmt.Errorf("--format must be csv, xlsx or vcard (got %q)", *format)
	}
	a, ctx, err := open(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	u, ctx, err := actAs(ctx, a, *userEmail, audit.ChannelSystem)
	if err != nil {
		return err
	}
	var w io.Writer = env.Stdout
	var f *os.File
	if *output != "" {
		if f, err = os.Create(*output); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	start := time.Now()
	n, err := a.Imports.Export(ctx, contact.ViewerFor(u), w, importer.ExportRequest{Format: *format,
		Query: contact.Query{Q: *q}, Sensitive: *sensitive})
	if err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stderr, "exported %d contacts in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
