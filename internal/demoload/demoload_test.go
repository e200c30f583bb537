package demoload_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/demoload"
	"github.com/foliocrm/folio/internal/secret"
)

var sysCtx = audit.WithActor(context.Background(), audit.System)

func load(t *testing.T, d *db.DB, n int, seed int64) []string {
	t.Helper()
	box, _ := secret.New(make([]byte, 32))
	as := auth.NewService(d, box, "http://localhost")
	as.Hasher = auth.NewHasher(auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})
	cs := contact.New(d, box)
	res, err := demoload.Load(sysCtx, as, cs, n, seed, nil)
	if err != nil || res.Added != n {
		t.Fatalf("Load = %+v, %v", res, err)
	}
	rows, err := d.QueryContext(sysCtx, "SELECT display_name, primary_email, kind FROM contacts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b, c string
		_ = rows.Scan(&a, &b, &c)
		out = append(out, a+"|"+b+"|"+c)
	}
	return out
}

func TestLoad_sameSeedSameBookOnBothDatabases(t *testing.T) {
	var books [][]string
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		books = append(books, load(t, d, 400, 3))
		var joint, rels int
		_ = d.QueryRowContext(sysCtx, "SELECT COUNT(*) FROM contacts WHERE kind = 'joint'").Scan(&joint)
		_ = d.QueryRowContext(sysCtx, "SELECT COUNT(*) FROM relationships").Scan(&rels)
		if joint == 0 || rels == 0 {
			t.Errorf("%d joint accounts, %d relationships in 400 demo contacts", joint, rels)
		}
		if n, err := audit.Verify(sysCtx, d); err != nil {
			t.Errorf("audit chain after %d rows: %v", n, err)
		}
	})
	other := dbtest.Open(t, dbtest.Kinds()[0].New(t))
	again := load(t, other, 400, 3)
	if fmt.Sprint(again) != fmt.Sprint(books[0]) {
		t.Error("the same seed gave a different book")
	}
	for i := 1; i < len(books); i++ {
		if fmt.Sprint(books[i]) != fmt.Sprint(books[0]) {
			t.Errorf("database %d holds a different book", i)
		}
	}
}
