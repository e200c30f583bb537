// Package importer imports contacts from files (CSV, XLSX, vCard and other
// CRMs' exports) as durable background jobs, and exports them.
//
// An import is a row of the imports table with the uploaded file stored in
// chunks beside it, so any Folio instance sharing the database can run it.
// The flow: Upload reads the header and proposes a column mapping (or the
// one remembered for the same headers); Preview shows the first rows as
// they would be stored; Start queues the import (or a dry run, which
// writes nothing but the counts and the rejected rows); a worker claims it
// and stores it batch by batch, each batch in one transaction with the
// import's progress, so a restart resumes after the last whole batch.
package importer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/tabular"
)

// DefaultMaxUpload is the largest file accepted unless configured.
const DefaultMaxUpload = 512 << 20

// Statuses of an import.
const (
	StatusUploaded  = "uploaded" // waiting for the mapping
	StatusQueued    = "queued"
	StatusRunning   = "running"
	StatusDone      = "done"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Service runs imports and exports.
type Service struct {
	DB       *db.DB
	Box      *secret.Box
	Contacts *contact.Service
	Log      *slog.Logger
	// MaxUpload is the largest file accepted, in bytes.
	MaxUpload int64
	// TempDir holds files while they are read ("" = the system's).
	TempDir string
	// BatchSize is how many rows one transaction stores.
	BatchSize int
	// Instance names this process in claims.
	Instance string
	// ViewerOf is who a user acts as; the import runs as the user who
	// started it.
	ViewerOf func(ctx context.Context, userID int64) (contact.Viewer, error)
	wake     chan struct{}
}

// New returns a Service.
func New(d *db.DB, box *secret.Box, contacts *contact.Service, log *slog.Logger) *Service {
	host, _ := os.Hostname()
	return &Service{DB: d, Box: box, Contacts: contacts, Log: log, MaxUpload: DefaultMaxUpload, BatchSize: 5000,
		Instance: fmt.Sprintf("%s/%d", host, os.Getpid()), wake: make(chan struct{}, 1)}
}

// Import is one import job.
type Import struct {
	ID              int64
	CreatedBy       int64
	CreatedByName   string
	FileName        string
	FileSize        int64
	Format          string
	Options         tabular.Options
	Header          []string
	Mapping         []string
	Key             contact.MatchKey
	DryRun          bool
	Status          string
	CancelRequested bool
	RowsDone        int64
	RowsTotal       int64 // known when done
	ProgressDone    int64
	ProgressTotal   int64
	Created         int64
	Updated         int64
	Unchanged       int64
	Rejected        int64
	Error           string
	CreatedAt       time.Time
	StartedAt       *time.Time
	FinishedAt      *time.Time
}

// Finished reports whether the import stopped for good.
func (im *Import) Finished() bool {
	return im.Status == StatusDone || im.Status == StatusFailed || im.Status == StatusCancelled
}

// Percent is how far the import got, 0–100.
func (im *Import) Percent() int {
	if im.Status == StatusDone {
		return 100
	}
	if im.ProgressTotal <= 0 {
		return 0
	}
	return int(min(99, im.ProgressDone*100/im.ProgressTotal))
}

// RowsPerSecond is the import's speed so far.
func (im *Import) RowsPerSecond(now time.Time) float64 {
	if im.StartedAt == nil || im.RowsDone == 0 {
		return 0
	}
	end := now
	if im.FinishedAt != nil {
		end = *im.FinishedAt
	}
	secs := end.Sub(*im.StartedAt).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(im.RowsDone) / secs
}

// TimeLeft estimates the time to the end from the bytes read so far.
func (im *Import) TimeLeft(now time.Time) time.Duration {
	if im.Finished() || im.StartedAt == nil || im.ProgressDone <= 0 || im.ProgressTotal <= im.ProgressDone {
		return 0
	}
	spent := now.Sub(*im.StartedAt)
	return time.Duration(float64(spent) * float64(im.ProgressTotal-im.ProgressDone) / float64(im.ProgressDone)).Round(time.Second)
}

// Mapped lists the header with each column's field, for display.
func (im *Import) Mapped() []Column {
	out := make([]Column, len(im.Header))
	for i, h := range im.Header {
		out[i] = Column{Index: i, Header: h}
		if i < len(im.Mapping) {
			out[i].Field = im.Mapping[i]
		}
	}
	return out
}

// Column is one column of a file with the field it maps to.
type Column struct {
	Index  int
	Header string
	Field  string
}

const importColumns = `i.id, i.created_by, u.name, i.file_name, i.file_size, i.format, i.options, i.header, i.mapping,
	i.match_key, i.dry_run, i.status, i.cancel_requested, i.rows_done, i.rows_total, i.progress_done, i.progress_total,
	i.created, i.updated, i.unchanged, i.rejected, i.error, i.created_at, i.started_at, i.finished_at`

func scanImport(row interface{ Scan(...any) error }) (*Import, error) {
	var im Import
	var opts, header, mapping, key string
	var started, finished sql.NullTime
	err := row.Scan(&im.ID, &im.CreatedBy, &im.CreatedByName, &im.FileName, &im.FileSize, &im.Format, &opts, &header,
		&mapping, &key, &im.DryRun, &im.Status, &im.CancelRequested, &im.RowsDone, &im.RowsTotal, &im.ProgressDone,
		&im.ProgressTotal, &im.Created, &im.Updated, &im.Unchanged, &im.Rejected, &im.Error, &im.CreatedAt, &started, &finished)
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(opts), &im.Options)
	_ = json.Unmarshal([]byte(header), &im.Header)
	_ = json.Unmarshal([]byte(mapping), &im.Mapping)
	im.Key = contact.MatchKey(key)
	im.CreatedAt = im.CreatedAt.UTC()
	if started.Valid {
		t := started.Time.UTC()
		im.StartedAt = &t
	}
	if finished.Valid {
		t := finished.Time.UTC()
		im.FinishedAt = &t
	}
	return &im, nil
}

var errNotFound = errs.E(errs.NotFound, "No such import, or it is not one of yours.")

// Get reads one import. Users who may not see every contact see only their
// own imports.
func (s *Service) Get(ctx context.Context, v contact.Viewer, id int64) (*Import, error) {
	return s.get(ctx, s.DB, v, id)
}

func (s *Service) get(ctx context.Context, q db.Queryer, v contact.Viewer, id int64) (*Import, error) {
	cond, args := "", []any{id}
	if v.OwnOnly && !v.Admin {
		cond, args = " AND i.created_by = ?", append(args, v.UserID)
	}
	im, err := scanImport(q.QueryRowContext(ctx, "SELECT "+importColumns+" FROM imports i JOIN users u ON u.id = i.created_by WHERE i.id = ?"+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	return im, err
}

// List returns the latest imports, newest first, before the id before
// (0: from the newest).
func (s *Service) List(ctx context.Context, v contact.Viewer, before int64, limit int) ([]*Import, error) {
	cond, args := "", []any{}
	if before > 0 {
		cond, args = " AND i.id < ?", append(args, before)
	}
	if v.OwnOnly && !v.Admin {
		cond, args = cond+" AND i.created_by = ?", append(args, v.UserID)
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+importColumns+" FROM imports i JOIN users u ON u.id = i.created_by WHERE 1 = 1"+
		cond+" ORDER BY i.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Import
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// TooLarge is the error of an upload over the limit.
func (s *Service) TooLarge() error {
	return errs.E(errs.Invalid, "The file is larger than the %s Folio accepts (FOLIO_IMPORT_MAX_BYTES). Split it, or ask the owner to raise the limit.",
		formatBytes(s.MaxUpload))
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	default:
		return fmt.Sprintf("%d KB", n>>10)
	}
}

// chunkSize is how much of an uploaded file one row of import_chunks holds.
const chunkSize = 4 << 20

// Upload reads a file (at most MaxUpload bytes), checks it can be read,
// stores it and returns the new import with its header and a proposed
// mapping. Nothing is stored when the file cannot be read; the error says
// why in words for the user.
func (s *Service) Upload(ctx context.Context, v contact.Viewer, name string, r io.Reader, opts tabular.Options) (*Import, error) {
	if v.ReadOnly {
		return nil, errs.E(errs.Forbidden, "Your access is read-only.")
	}
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "upload"
	}
	tmp, err := os.CreateTemp(s.TempDir, "folio-upload-*"+strings.ToLower(filepath.Ext(name)))
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(r, s.MaxUpload+1))
	if err != nil {
		return nil, fmt.Errorf("read the upload: %w", err)
	}
	if n > s.MaxUpload {
		return nil, s.TooLarge()
	}
	src, err := tabular.Open(tmp.Name(), name, opts)
	if err != nil {
		return nil, userError(err)
	}
	header, meta := src.Header(), src.Meta()
	_, firstErr := src.Next()
	src.Close()
	if len(header) == 0 {
		return nil, errs.E(errs.Invalid, "The file has no header row: its first row must name the columns.")
	}
	if errors.Is(firstErr, io.EOF) {
		return nil, errs.E(errs.Invalid, "The file has a header row but no rows under it: there is nothing to import.")
	}
	if firstErr != nil {
		return nil, userError(firstErr)
	}
	opts.Format, opts.Sheet = meta.Format, meta.Sheet
	if meta.Format == "csv" {
		opts.Encoding, opts.Delimiter = csvEncoding(meta.Encoding), meta.Delimiter
	}
	mapping, key, ok, err := remembered(ctx, s.DB, header)
	if err != nil {
		return nil, err
	}
	if !ok {
		mapping, key = Propose(header), contact.MatchEmail
	}
	im := &Import{CreatedBy: v.UserID, FileName: name, FileSize: n, Format: meta.Format, Options: opts, Header: header,
		Mapping: mapping, Key: key, Status: StatusUploaded, CreatedAt: db.Now()}
	optJSON, _ := json.Marshal(opts)
	headJSON, _ := json.Marshal(header)
	mapJSON, _ := json.Marshal(mapping)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO imports (created_by, file_name, file_size, format, options, header, mapping,
			match_key, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.UserID, name, n, meta.Format,
			string(optJSON), string(headJSON), string(mapJSON), string(key), StatusUploaded, im.CreatedAt).Scan(&im.ID)
		if err != nil {
			return err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		buf := make([]byte, chunkSize)
		for seq := 0; ; seq++ {
			k, err := io.ReadFull(tmp, buf)
			if k > 0 {
				if _, err := tx.ExecContext(ctx, "INSERT INTO import_chunks (import_id, seq, data) VALUES (?, ?, ?)", im.ID, seq, buf[:k]); err != nil {
					return err
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "import", EntityID: fmt.Sprint(im.ID), Action: "import.upload",
			Changes: []audit.Change{{Field: "file", New: name}, {Field: "bytes", New: fmt.Sprint(n)}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, v, im.ID)
}

func csvEncoding(detected string) string {
	switch detected {
	case "utf-8-bom", "utf-8":
		return "utf-8"
	case "utf-16le", "utf-16be":
		return "utf-16"
	}
	return detected
}

// userError turns a reader's error into an Invalid error with its message.
func userError(err error) error {
	var te *tabular.Error
	if errors.As(err, &te) {
		return errs.E(errs.Invalid, "%s", te.Error())
	}
	return err
}

// Settings are what the user chose before starting an import.
type Settings struct {
	Mapping []string
	Key     contact.MatchKey
	DryRun  bool
}

// Start queues an uploaded (or dry-run, failed or cancelled) import with
// its mapping and key, and remembers the mapping for files with the same
// headers.
func (s *Service) Start(ctx context.Context, v contact.Viewer, id int64, st Settings) (*Import, error) {
	if v.ReadOnly {
		return nil, errs.E(errs.Forbidden, "Your access is read-only.")
	}
	if !st.Key.Valid() {
		return nil, errs.FieldErrors(map[string]string{"key": "choose how rows find the contact they update"})
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		im, err := s.get(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if im.CreatedBy != v.UserID && !v.Admin {
			return errs.E(errs.Forbidden, "Only the user who uploaded the file can start this import.")
		}
		switch {
		case im.Status == StatusQueued || im.Status == StatusRunning:
			return errs.E(errs.Conflict, "This import is already running.")
		case im.Status == StatusDone && !im.DryRun:
			return errs.E(errs.Conflict, "This file was imported already. Upload it again to import it once more.")
		}
		if err := checkMapping(im.Header, st.Mapping); err != nil {
			return err
		}
		mapJSON, _ := json.Marshal(st.Mapping)
		if _, err := tx.ExecContext(ctx, `UPDATE imports SET mapping = ?, match_key = ?, dry_run = ?, status = ?,
			cancel_requested = FALSE, rows_done = 0, rows_total = 0, progress_done = 0, progress_total = 0, created = 0,
			updated = 0, unchanged = 0, rejected = 0, error = '', claimed_by = '', claimed_until = NULL, started_at = NULL,
			finished_at = NULL WHERE id = ?`, string(mapJSON), string(st.Key), st.DryRun, StatusQueued, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM import_errors WHERE import_id = ?", id); err != nil {
			return err
		}
		if err := remember(ctx, tx, im.Header, st.Mapping, st.Key); err != nil {
			return err
		}
		action := "import.start"
		if st.DryRun {
			action = "import.dry_run"
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "import", EntityID: fmt.Sprint(id), Action: action,
			Changes: []audit.Change{{Field: "key", New: string(st.Key)}}})
	})
	if err != nil {
		return nil, err
	}
	s.Wake()
	return s.Get(ctx, v, id)
}

// Cancel stops an import: a queued one at once, a running one after the
// batch it is storing (what was stored stays).
func (s *Service) Cancel(ctx context.Context, v contact.Viewer, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		im, err := s.get(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if im.CreatedBy != v.UserID && !v.Admin {
			return errs.E(errs.Forbidden, "Only the user who started this import or an admin can cancel it.")
		}
		switch im.Status {
		case StatusUploaded, StatusQueued:
			_, err = tx.ExecContext(ctx, "UPDATE imports SET status = ?, finished_at = ? WHERE id = ?", StatusCancelled, db.Now(), id)
		case StatusRunning:
			_, err = tx.ExecContext(ctx, "UPDATE imports SET cancel_requested = TRUE WHERE id = ?", id)
		default:
			return errs.E(errs.Conflict, "This import has finished; there is nothing to cancel.")
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "import", EntityID: fmt.Sprint(id), Action: "import.cancel"})
	})
}

// Wake tells the worker an import was queued.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// KeepFilesFor is how long the file of an import that did not finish (only
// uploaded, a dry run, failed or cancelled) stays stored.
const KeepFilesFor = 7 * 24 * time.Hour

// PurgeFiles deletes the stored files of imports that are not running and
// were created before now minus KeepFilesFor, and returns how many.
func (s *Service) PurgeFiles(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM import_chunks WHERE import_id IN (SELECT id FROM imports
		WHERE status NOT IN (?, ?) AND created_at < ?)`, StatusQueued, StatusRunning, now.Add(-KeepFilesFor).UTC())
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, nil
}
