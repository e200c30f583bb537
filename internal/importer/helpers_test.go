package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/tabular"
)

// fixture is an import service on a fresh database with staff users: an
// owner with Sensitive Data Access and the export grant, an advisor
// limited to their own contacts, and an advisor without the grants.
type fixture struct {
	t       *testing.T
	d       *db.DB
	c       *contact.Service
	s       *importer.Service
	admin   contact.Viewer
	limited contact.Viewer
	advisor contact.Viewer
	viewers map[int64]contact.Viewer
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	box, err := secret.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	cs := contact.New(d, box)
	f := &fixture{t: t, d: d, c: cs, viewers: map[int64]contact.Viewer{}}
	f.s = importer.New(d, box, cs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.s.TempDir = t.TempDir()
	f.s.ViewerOf = func(_ context.Context, id int64) (contact.Viewer, error) { return f.viewers[id], nil }
	user := func(name, role string, ownOnly, grants bool) contact.Viewer {
		var id int64
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return tx.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, own_contacts_only,
				grant_sensitive, grant_export, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'x', ?, ?) RETURNING id`,
				strings.ToLower(strings.Fields(name)[0])+"@example.com", name, role, ownOnly, grants, grants, db.Now(), db.Now()).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		v := contact.Viewer{UserID: id, Name: name, Admin: role == "owner", OwnOnly: ownOnly, Sensitive: grants, Export: grants}
		f.viewers[id] = v
		return v
	}
	f.admin = user("Ada Admin", "owner", false, true)
	f.limited = user("Lim Advisor", "advisor", true, false)
	f.advisor = user("Otto Advisor", "advisor", false, false)
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return f
}

func ctxAs(v contact.Viewer) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{Type: audit.ActorUser, ID: strconv.FormatInt(v.UserID, 10),
		Name: v.Name, Channel: audit.ChannelUI})
}

// importFile uploads content as name and runs it to the end with the
// proposed mapping and key.
func (f *fixture) importFile(v contact.Viewer, name, content string, key contact.MatchKey, dry bool) *importer.Import {
	f.t.Helper()
	im, err := f.s.Upload(ctxAs(v), v, name, strings.NewReader(content), tabular.Options{})
	if err != nil {
		f.t.Fatalf("upload %s: %v", name, err)
	}
	return f.run(v, im, im.Mapping, key, dry)
}

func (f *fixture) run(v contact.Viewer, im *importer.Import, mapping []string, key contact.MatchKey, dry bool) *importer.Import {
	f.t.Helper()
	im, err := f.s.Start(ctxAs(v), v, im.ID, importer.Settings{Mapping: mapping, Key: key, DryRun: dry})
	if err != nil {
		f.t.Fatalf("start: %v", err)
	}
	im, err = f.s.RunNow(ctxAs(v), im.ID, nil)
	if err != nil {
		f.t.Fatalf("run: %v", err)
	}
	if im.Status != importer.StatusDone {
		f.t.Fatalf("import ended %s: %s", im.Status, im.Error)
	}
	return im
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

type counts struct{ created, updated, unchanged, rejected int64 }

func countsOf(im *importer.Import) counts {
	return counts{im.Created, im.Updated, im.Unchanged, im.Rejected}
}

// errorsCSV reads an import's rejected-rows file.
func (f *fixture) errorsCSV(v contact.Viewer, id int64) [][]string {
	f.t.Helper()
	var b bytes.Buffer
	if err := f.s.WriteErrors(context.Background(), v, id, &b); err != nil {
		f.t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		f.t.Fatalf("errors.csv: %v\n%s", err, b.String())
	}
	return rows
}

// exportCSV exports what v sees as CSV and returns the rows.
func (f *fixture) exportCSV(v contact.Viewer, req importer.ExportRequest) [][]string {
	f.t.Helper()
	var b bytes.Buffer
	req.Format = importer.FormatCSV
	if _, err := f.s.Export(ctxAs(v), v, &b, req); err != nil {
		f.t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff"))))
	rows, err := r.ReadAll()
	if err != nil {
		f.t.Fatal(err)
	}
	return rows
}

// col returns the values of column name in rows (header first).
func col(rows [][]string, name string) []string {
	i := -1
	for j, h := range rows[0] {
		if h == name {
			i = j
		}
	}
	if i < 0 {
		return nil
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[i])
	}
	return out
}
