package contact_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// An export gives each contact the same lists as opening it does, whether
// the contacts lie close together (read as one range of ids) or far apart
// (read by their ids), with the primary entries first.
func TestExport_givesEachContactItsOwnLists(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var ids []int64
		for i := range 30 {
			c := person(fmt.Sprintf("First%d", i), "Export")
			c.Emails = []contact.Email{{Label: "work", Address: fmt.Sprintf("work%d@example.com", i)},
				{Label: "home", Address: fmt.Sprintf("home%d@example.com", i), Primary: true}}
			c.Phones = []contact.Phone{{Label: "mobile", Number: fmt.Sprintf("+1 212 736 %04d", 1000+i), Primary: true}}
			if i%3 == 0 {
				c.Addresses = []contact.Address{{Label: "home", Line1: fmt.Sprintf("%d Main St", i), City: "Boston", Country: "US", Primary: true}}
			}
			ids = append(ids, f.create(f.admin, c))
		}
		check := func(name string, got []*contact.Contact, want []int64) {
			t.Helper()
			var gotIDs []int64
			for _, c := range got {
				gotIDs = append(gotIDs, c.ID)
				open := f.get(f.admin, c.ID)
				if !slices.EqualFunc(c.Emails, open.Emails, func(a, b contact.Email) bool { return a.Address == b.Address && a.Primary == b.Primary }) ||
					!slices.Equal(c.Phones, open.Phones) || !slices.Equal(c.Addresses, open.Addresses) {
					t.Errorf("%s: contact %d exported with %+v %+v %+v, opened with %+v %+v %+v", name, c.ID,
						c.Emails, c.Phones, c.Addresses, open.Emails, open.Phones, open.Addresses)
				}
				if len(c.Emails) != 2 || !c.Emails[0].Primary {
					t.Errorf("%s: contact %d emails %+v, want the primary first", name, c.ID, c.Emails)
				}
			}
			if !slices.Equal(gotIDs, want) {
				t.Errorf("%s: exported %v, want %v", name, gotIDs, want)
			}
		}
		collect := func(q contact.Query, sel []int64) []*contact.Contact {
			var out []*contact.Contact
			if _, err := f.s.Export(ctxAs(f.admin), f.admin, q, sel, false, func(c *contact.Contact) error {
				out = append(out, c)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		check("whole book", collect(contact.Query{}, nil), ids)
		scattered := []int64{ids[29], ids[0], ids[14]}
		check("scattered selection", collect(contact.Query{}, scattered), scattered)
		got := collect(contact.Query{Sort: "-name"}, nil)
		if len(got) != len(ids) {
			t.Errorf("sorted export: %d contacts, want %d", len(got), len(ids))
		}
		for i := 1; i < len(got); i++ {
			if got[i-1].Name() < got[i].Name() {
				t.Errorf("sorted export: %q before %q, want name descending", got[i-1].Name(), got[i].Name())
			}
		}
	})
}
