package importer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/tabular"
)

// claimFor is how long a claim lasts without progress; a worker that stops
// (a crash, a restart) loses its import to the next worker after it.
const claimFor = 2 * time.Minute

// Run claims and runs queued imports until ctx ends; ViewerOf must be set.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			id, err := s.claim(ctx, 0)
			if err != nil {
				if ctx.Err() == nil {
					s.Log.Error("claim an import", "err", err)
				}
				break
			}
			if id == 0 {
				break
			}
			if err := s.run(ctx, id, nil); err != nil && ctx.Err() == nil {
				s.Log.Error("import failed", "import", id, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-t.C:
		}
	}
}

// claim takes a queued import (or a running one whose worker stopped) for
// this instance: the one numbered only when only is not zero.
func (s *Service) claim(ctx context.Context, only int64) (int64, error) {
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.Now()
		q := "SELECT id FROM imports WHERE (status = ? OR (status = ? AND claimed_until < ?))"
		args := []any{StatusQueued, StatusRunning, now}
		if only != 0 {
			q, args = q+" AND id = ?", append(args, only)
		}
		err := tx.QueryRowContext(ctx, q+" ORDER BY id LIMIT 1"+tx.Dialect.SkipLocked(), args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			id = 0
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE imports SET status = ?, claimed_by = ?, claimed_until = ?,
			started_at = COALESCE(started_at, ?) WHERE id = ?`, StatusRunning, s.Instance, now.Add(claimFor), now, id)
		return err
	})
	return id, err
}

// RunNow runs import id in this process, reporting progress to progress
// after each batch, and returns it finished. If another instance runs it,
// RunNow follows it until it ends.
func (s *Service) RunNow(ctx context.Context, id int64, progress func(*Import)) (*Import, error) {
	got, err := s.claim(ctx, id)
	if err != nil {
		return nil, err
	}
	if got == id {
		if err := s.run(ctx, id, progress); err != nil {
			return nil, err
		}
	}
	for {
		im, err := s.get(ctx, s.DB, contact.Viewer{Admin: true}, id)
		if err != nil {
			return nil, err
		}
		if im.Finished() {
			return im, nil
		}
		if progress != nil {
			progress(im)
		}
		select {
		case <-ctx.Done():
			return im, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// errLostClaim stops a worker whose claim another worker took over.
var errLostClaim = errors.New("import: another worker took this import over")

// run imports one claimed import to its end, resuming after the rows it
// already stored.
func (s *Service) run(ctx context.Context, id int64, progress func(*Import)) error {
	im, err := s.get(ctx, s.DB, contact.Viewer{Admin: true}, id)
	if err != nil {
		return err
	}
	err = s.process(ctx, im, progress)
	switch {
	case err == nil, errors.Is(err, errLostClaim):
		return nil
	case ctx.Err() != nil:
		// Shutting down: the claim runs out and a worker resumes it.
		return err
	}
	msg := "The import stopped on an internal error; the rows stored so far stay. Start it again to resume."
	var te *tabular.Error
	if errors.As(err, &te) {
		msg = te.Error()
	} else if c := errs.CodeOf(err); c != errs.Internal {
		msg = errs.MessageOf(err)
	}
	ferr := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE imports SET status = ?, error = ?, finished_at = ? WHERE id = ? AND claimed_by = ?",
			StatusFailed, msg, db.Now(), id, s.Instance); err != nil {
			return err
		}
		return audit.WriteAs(ctx, tx, audit.System, audit.Entry{Entity: "import", EntityID: fmt.Sprint(id), Action: "import.fail",
			Changes: []audit.Change{{Field: "error", New: msg}}})
	})
	return errors.Join(err, ferr)
}

// file writes the stored upload to a temporary file and returns its path.
func (s *Service) file(ctx context.Context, id int64) (string, error) {
	f, err := os.CreateTemp(s.TempDir, "folio-import-*")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		f.Close()
		if !ok {
			os.Remove(f.Name())
		}
	}()
	var n int64
	for seq := 0; ; seq++ {
		var data []byte
		err := s.DB.QueryRowContext(ctx, "SELECT data FROM import_chunks WHERE import_id = ? AND seq = ?", id, seq).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return "", err
		}
		if _, err := f.Write(data); err != nil {
			return "", err
		}
		n += int64(len(data))
	}
	if n == 0 {
		return "", errs.E(errs.Invalid, "The uploaded file is no longer stored; upload it again.")
	}
	ok = true
	return f.Name(), nil
}

func (s *Service) process(ctx context.Context, im *Import, progress func(*Import)) error {
	if s.ViewerOf == nil {
		return errors.New("import: no ViewerOf")
	}
	v, err := s.ViewerOf(ctx, im.CreatedBy)
	if err != nil {
		return err
	}
	if v.ReadOnly {
		return errs.E(errs.Forbidden, "The user who started this import can no longer change contacts.")
	}
	path, err := s.file(ctx, im.ID)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	src, err := tabular.Open(path, im.FileName, im.Options)
	if err != nil {
		return err
	}
	defer src.Close()
	header := src.Header()
	if !slices.Equal(header, im.Header) {
		return errs.E(errs.Invalid, "The stored file's header differs from the one mapped; upload it again.")
	}
	rf, err := loadRefs(ctx, s.DB)
	if err != nil {
		return err
	}
	defCategory := defaultCategory(rf)
	sealRows := false
	for _, m := range im.Mapping {
		if f := FieldByKey(m); f != nil && f.Sensitive {
			sealRows = true
		}
	}
	var seen map[string]int // dry run: keys of earlier batches
	if im.DryRun {
		seen = map[string]int{}
	} else if _, err := s.Contacts.PrepareBulkImport(ctx); err != nil {
		return err
	}
	// Indexes deferred for a first import (or by one that stopped) are
	// built before the import counts as done, so what it stored is
	// searchable when it says so.
	defer func() {
		if rerr := s.Contacts.FinishBulkImport(context.WithoutCancel(ctx)); rerr != nil {
			s.Log.Error("build deferred indexes", "err", rerr)
		}
	}()
	// A reader goroutine reads, builds and validates the next batch while
	// this one stores the current one.
	batches := make(chan *readBatch, 1)
	rctx, stop := context.WithCancel(ctx)
	reader := make(chan struct{})
	defer func() {
		stop()
		<-reader
	}()
	settings := *im // the reader's own copy: storeBatch refreshes im
	go func() {
		defer close(reader)
		defer close(batches)
		s.readBatches(rctx, &settings, v, src, rf, defCategory, seen, batches)
	}()
	// The statistics of the tables matched against are refreshed each time
	// the import has stored as many rows again as the book held (four
	// times as many the next time), so the database keeps looking rows up
	// by index as the tables grow.
	analyzeAt, stored := int64(5000), int64(0)
	analyze := !im.DryRun && s.DB.Dialect.Name() == "postgres"
	if analyze {
		var n int64
		if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM contacts").Scan(&n); err != nil {
			return err
		}
		analyzeAt = max(analyzeAt, n)
	}
	for b := range batches {
		if b.err != nil {
			return b.err
		}
		if len(b.recs) > 0 {
			cancel, err := s.storeBatch(ctx, im, v, header, b, rf, defCategory, sealRows)
			if err != nil {
				return err
			}
			if stored += int64(len(b.recs)); analyze && stored >= analyzeAt {
				analyzeAt *= 4
				if err := s.DB.AnalyzeTables(ctx, "contacts", "contact_emails", "contact_identifiers"); err != nil {
					return err
				}
			}
			if progress != nil {
				progress(im)
			}
			if cancel {
				return s.finish(ctx, im, StatusCancelled)
			}
		}
		if b.eof {
			if !im.DryRun {
				if err := s.Contacts.FinishBulkImport(ctx); err != nil {
					return err
				}
			}
			return s.finish(ctx, im, StatusDone)
		}
	}
	return ctx.Err()
}

// readBatch is a batch of records read from the file, with their rows.
type readBatch struct {
	recs        []tabular.Record
	rows        []*contact.ImportRow
	described   int   // the template's description row: read, not counted
	done, total int64 // the reader's progress after the batch
	eof         bool
	err         error
}

// readBatches reads the file after the rows already done, in batches, and
// sends each with its rows built and prepared to out, until the end of the
// file, an error or ctx's end.
func (s *Service) readBatches(ctx context.Context, im *Import, v contact.Viewer, src tabular.Source, rf *refs, defCategory int64,
	seen map[string]int, out chan<- *readBatch) {
	skip := im.RowsDone
	for {
		b := &readBatch{}
		for len(b.recs) < s.BatchSize {
			if len(b.recs)%64 == 0 {
				// Searches and pages someone waits for go first.
				s.DB.Yield(ctx)
			}
			rec, err := src.Next()
			if err == io.EOF {
				b.eof = true
				break
			}
			if err != nil {
				b.err = err
				break
			}
			if skip > 0 {
				skip--
				continue
			}
			b.recs = append(b.recs, rec)
		}
		if b.err == nil && len(b.recs) > 0 {
			b.done, b.total = src.Progress()
			b.rows, b.described = s.buildRows(im, v, b.recs, src.Header(), rf, defCategory, seen, true)
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return
		}
		if b.eof || b.err != nil {
			return
		}
	}
}

// buildRows turns records into rows to import (prepared for creating
// contacts when prepare is set), and counts the template's description
// rows among them. seen, in a dry run, holds the keys of earlier batches.
func (s *Service) buildRows(im *Import, v contact.Viewer, recs []tabular.Record, header []string, rf *refs, defCategory int64,
	seen map[string]int, prepare bool) ([]*contact.ImportRow, int) {
	rows := make([]*contact.ImportRow, len(recs))
	described := 0
	defaults := &contact.ImportBatch{DefaultCategory: defCategory, DefaultOwner: v.UserID}
	now := db.Now()
	for i, rec := range recs {
		if i%16 == 0 {
			s.DB.Yield(context.Background())
		}
		if isDescriptionRow(rec.Fields) {
			rows[i] = &contact.ImportRow{Line: rec.Line, Outcome: contact.Unchanged}
			described++
			continue
		}
		r := importRow(header, im.Mapping, rec, rf)
		rows[i] = r
		if seen != nil && r.Values != nil {
			if k := s.Contacts.ImportKeyOf(im.Key, r.Values); k != "" {
				if first, ok := seen[k]; ok {
					r.Outcome, r.Reason = contact.Rejected, fmt.Sprintf("it has the same %s as line %d; a contact is imported once per file",
						contact.KeyName(im.Key), first)
					continue
				}
				seen[k] = rec.Line
			}
		}
		if prepare {
			s.Contacts.PrepareCreate(r, defaults, now)
		}
	}
	return rows, described
}

// importRow is a record as a row to import: its values through the
// mapping, or rejected with the reader's or the mapping's reason.
func importRow(header, mapping []string, rec tabular.Record, rf *refs) *contact.ImportRow {
	r := &contact.ImportRow{Line: rec.Line}
	if rec.Err != nil {
		r.Outcome, r.Reason = contact.Rejected, rec.Err.Error()
		return r
	}
	c, reason := build(header, mapping, rec.Fields, rf)
	if reason != "" {
		r.Outcome, r.Reason = contact.Rejected, reason
		return r
	}
	r.Values = c
	return r
}

// storeBatch imports one batch and its progress in one transaction (a dry
// run writes only the progress) and reports whether a cancel was asked.
func (s *Service) storeBatch(ctx context.Context, im *Import, v contact.Viewer, header []string, rb *readBatch,
	rf *refs, defCategory int64, sealRows bool) (bool, error) {
	recs, rows, described, done, total := rb.recs, rb.rows, rb.described, rb.done, rb.total
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			// A contact changed under the batch: build it again.
			rows, described = s.buildRows(im, v, recs, header, rf, defCategory, nil, false)
		}
		b := &contact.ImportBatch{ImportID: im.ID, Key: im.Key, DefaultCategory: defCategory, DefaultOwner: v.UserID, Rows: rows}
		if im.DryRun {
			if err := s.Contacts.ImportRows(ctx, s.DB, nil, v, b); err != nil {
				return false, err
			}
		}
		var cancel bool
		// A transaction the database asks to repeat (busy) starts again
		// from the rows as they were.
		orig := make([]contact.ImportRow, len(rows))
		for i, r := range rows {
			orig[i] = *r
		}
		err := s.DB.InBulkTx(ctx, func(tx *db.Tx) error {
			for i, r := range rows {
				*r = orig[i]
			}
			if !im.DryRun {
				if err := s.Contacts.ImportRows(ctx, tx, tx, v, b); err != nil {
					return err
				}
			}
			var n [5]int64
			n[contact.Unchanged] -= int64(described)
			var errRows [][]any
			for i, r := range rows {
				n[r.Outcome]++
				if r.Outcome == contact.Rejected {
					data, _ := json.Marshal(recs[i].Fields)
					row := string(data)
					if sealRows {
						row = s.Box.Seal(row)
					}
					errRows = append(errRows, []any{im.ID, r.Line, r.Reason, row, sealRows})
				}
			}
			if err := tx.Copy(ctx, "import_errors", []string{"import_id", "line", "reason", "row", "sealed"}, errRows); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE imports SET rows_done = rows_done + ?, created = created + ?,
				updated = updated + ?, unchanged = unchanged + ?, rejected = rejected + ?, progress_done = ?,
				progress_total = ?, claimed_until = ? WHERE id = ? AND claimed_by = ? AND status = ?`,
				len(rows), n[contact.Created], n[contact.Updated], n[contact.Unchanged], n[contact.Rejected], done, total,
				db.Now().Add(claimFor), im.ID, s.Instance, StatusRunning)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return errLostClaim
			}
			return tx.QueryRowContext(ctx, "SELECT cancel_requested FROM imports WHERE id = ?", im.ID).Scan(&cancel)
		})
		if errs.Is(err, errs.Conflict) && attempt < 3 {
			continue // a contact changed under the batch: read it again
		}
		if err != nil {
			return false, err
		}
		fresh, err := s.get(ctx, s.DB, contact.Viewer{Admin: true}, im.ID)
		if err != nil {
			return false, err
		}
		*im = *fresh
		return cancel, nil
	}
}

// finish ends an import with status and writes its one activity-log entry
// with the counts. The uploaded file is dropped once it is imported.
func (s *Service) finish(ctx context.Context, im *Import, status string) error {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE imports SET status = ?, rows_total = rows_done, finished_at = ?, claimed_until = NULL
			WHERE id = ? AND claimed_by = ? AND status = ?`, status, db.Now(), im.ID, s.Instance, StatusRunning)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errLostClaim
		}
		fresh, err := s.get(ctx, tx, contact.Viewer{Admin: true}, im.ID)
		if err != nil {
			return err
		}
		*im = *fresh
		if !im.DryRun && status == StatusDone {
			if _, err := tx.ExecContext(ctx, "DELETE FROM import_chunks WHERE import_id = ?", im.ID); err != nil {
				return err
			}
		}
		action := "import.finish"
		switch {
		case im.DryRun:
			action = "import.dry_run_finish"
		case status == StatusCancelled:
			action = "import.cancelled"
		}
		actor := audit.Actor{Type: audit.ActorImport, ID: fmt.Sprint(im.ID), Name: fmt.Sprintf("Import #%d (%s) by %s", im.ID, im.FileName, im.CreatedByName),
			Channel: audit.ChannelImport}
		return audit.WriteAs(ctx, tx, actor, audit.Entry{Entity: "import", EntityID: fmt.Sprint(im.ID), Action: action,
			Changes: []audit.Change{
				{Field: "file", New: im.FileName}, {Field: "key", New: string(im.Key)},
				{Field: "rows", New: fmt.Sprint(im.RowsDone)}, {Field: "created", New: fmt.Sprint(im.Created)},
				{Field: "updated", New: fmt.Sprint(im.Updated)}, {Field: "unchanged", New: fmt.Sprint(im.Unchanged)},
				{Field: "rejected", New: fmt.Sprint(im.Rejected)},
			}})
	})
	return err
}
