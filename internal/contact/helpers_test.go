package contact_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
)

var sysCtx = audit.WithActor(context.Background(), audit.System)

// fixture is a contact service on a fresh database with three staff users:
// an admin with Sensitive Data Access, an advisor limited to their own
// contacts, and a second advisor.
type fixture struct {
	t        *testing.T
	d        *db.DB
	s        *contact.Service
	admin    contact.Viewer
	limited  contact.Viewer
	advisor  contact.Viewer
	readOnly contact.Viewer
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	box, err := secret.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, d: d, s: contact.New(d, box)}
	user := func(name, role string, ownOnly, sensitive bool) contact.Viewer {
		var id int64
		err := d.InTx(sysCtx, func(tx *db.Tx) error {
			return tx.QueryRowContext(sysCtx, `INSERT INTO users (email, name, role, own_contacts_only, grant_sensitive,
				password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', ?, ?) RETURNING id`,
				name+"@example.com", name, role, ownOnly, sensitive, db.Now(), db.Now()).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		admin := role == "owner" || role == "admin"
		return contact.Viewer{UserID: id, Name: name, Admin: admin, OwnOnly: ownOnly, Sensitive: sensitive, ReadOnly: role == "readonly"}
	}
	f.admin = user("Ada Admin", "owner", false, true)
	f.limited = user("Lim Advisor", "advisor", true, false)
	f.advisor = user("Otto Advisor", "advisor", false, false)
	f.readOnly = user("Rea Reader", "readonly", false, false)
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return f
}

// ctx is a request context acting as v.
func ctxAs(v contact.Viewer) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{Type: audit.ActorUser, ID: strconv.FormatInt(v.UserID, 10), Name: v.Name, Channel: audit.ChannelUI, IP: "203.0.113.9"})
}

// person returns a valid new person.
func person(first, last string) *contact.Contact {
	return &contact.Contact{Kind: contact.Person, FirstName: first, LastName: last, CategoryID: 1}
}

func (f *fixture) create(v contact.Viewer, c *contact.Contact) int64 {
	f.t.Helper()
	id, err := f.s.Create(ctxAs(v), v, c)
	if err != nil {
		f.t.Fatalf("Create %s: %v %v", c.Name(), err, errs.FieldsOf(err))
	}
	return id
}

func (f *fixture) get(v contact.Viewer, id int64) *contact.Contact {
	f.t.Helper()
	c, err := f.s.Get(ctxAs(v), v, id)
	if err != nil {
		f.t.Fatalf("Get %d: %v", id, err)
	}
	return c
}
