// Package contacttest makes staff users and acting contexts for the tests
// of the packages built on contacts (activity, email, tickets).
package contacttest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
)

// User inserts a staff user with role (owner, advisor, readonly, …) and
// an address made of their name at domain ("Otto Advisor" →
// otto.advisor@domain), and returns them as a contact viewer.
func User(t testing.TB, d *db.DB, name, role string, ownOnly bool, domain string) contact.Viewer {
	t.Helper()
	var id int64
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, own_contacts_only, password_hash,
			created_at, updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?) RETURNING id`,
			strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@"+domain, name, role, ownOnly, db.Now(), db.Now()).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return contact.Viewer{UserID: id, Name: name, Admin: role == "owner", OwnOnly: ownOnly, ReadOnly: role == "readonly"}
}

// Ctx is a context in which v acts in the staff UI.
func Ctx(v contact.Viewer) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{Type: audit.ActorUser, ID: strconv.FormatInt(v.UserID, 10), Name: v.Name, Channel: audit.ChannelUI})
}
