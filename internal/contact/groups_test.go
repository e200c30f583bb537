package contact_test

import (
	"testing"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestGroupsTagsAndBulk(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.admin)
		a := f.create(f.admin, person("Gia", "One"))
		b := f.create(f.admin, person("Gus", "Two"))
		c := f.create(f.limited, person("Gil", "Three"))
		g, err := f.s.SaveGroup(ctx, f.admin, 0, "Newsletter", "monthly")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SaveGroup(ctx, f.admin, 0, "Newsletter", ""); errs.FieldsOf(err)["name"] == "" {
			t.Errorf("duplicate group name: %v", err)
		}
		n, err := f.s.ApplyBulk(ctx, f.admin, contact.Bulk{Action: "group", GroupID: g, IDs: []int64{a, b, c}})
		if err != nil || n != 3 {
			t.Fatalf("bulk group = %d, %v", n, err)
		}
		if n, _ := f.s.ApplyBulk(ctx, f.admin, contact.Bulk{Action: "group", GroupID: g, IDs: []int64{a}}); n != 0 {
			t.Errorf("re-adding counted %d", n)
		}
		p, _ := f.s.List(ctx, f.admin, contact.Query{Group: g})
		if len(p.Rows) != 3 {
			t.Errorf("group filter: %d rows", len(p.Rows))
		}
		groups, _ := f.s.Groups(ctxAs(f.limited), f.limited)
		if len(groups) != 1 || groups[0].Members != 1 {
			t.Errorf("limited advisor's group counts: %+v", groups)
		}
		if err := f.s.RemoveFromGroup(ctx, f.admin, g, b); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetTags(ctx, f.admin, a, []string{" VIP ", "esg", "vip"}); err != nil {
			t.Fatal(err)
		}
		if got := f.get(f.admin, a); len(got.Tags) != 2 || got.Tags[0] != "esg" || got.Tags[1] != "vip" {
			t.Errorf("tags = %v", got.Tags)
		}
		if n, err := f.s.ApplyBulk(ctx, f.admin, contact.Bulk{Action: "tag", Tag: "vip", IDs: []int64{a, b}}); n != 1 || err != nil {
			t.Errorf("bulk tag = %d, %v", n, err)
		}
		p, _ = f.s.List(ctx, f.admin, contact.Query{Tag: "VIP"})
		if len(p.Rows) != 2 {
			t.Errorf("tag filter: %d rows", len(p.Rows))
		}
		// Bulk owner: the limited advisor may only take contacts they see,
		// and only for themselves.
		if _, err := f.s.ApplyBulk(ctxAs(f.limited), f.limited, contact.Bulk{Action: "owner", OwnerID: f.advisor.UserID, IDs: []int64{c}}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("limited advisor gave away a contact: %v", err)
		}
		n, err = f.s.ApplyBulk(ctx, f.admin, contact.Bulk{Action: "owner", OwnerID: f.advisor.UserID, IDs: []int64{a, b, c}})
		if err != nil || n != 3 {
			t.Fatalf("bulk owner = %d, %v", n, err)
		}
		recs, _, _ := audit.List(sysCtx, d, audit.Filter{Action: "contact.update_owner"})
		if len(recs) != 3 {
			t.Errorf("owner changes logged: %d", len(recs))
		}
		if n, _ := f.s.ApplyBulk(ctx, f.admin, contact.Bulk{Action: "delete", IDs: []int64{a, b}}); n != 2 {
			t.Errorf("bulk delete = %d", n)
		}
		rows, next, err := f.s.Trash(ctx, f.admin, 0, 1)
		if err != nil || len(rows) != 1 || next == 0 || rows[0].ID != b {
			t.Errorf("trash page 1 = %+v next %d %v", rows, next, err)
		}
		rows, next, _ = f.s.Trash(ctx, f.admin, next, 1)
		if len(rows) != 1 || next != 0 || rows[0].ID != a {
			t.Errorf("trash page 2 = %+v next %d", rows, next)
		}
		if _, err := f.s.ApplyBulk(ctx, f.admin, contact.Bulk{Action: "explode", IDs: []int64{a}}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown bulk action: %v", err)
		}
		if err := f.s.DeleteGroup(ctx, f.admin, g); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSegments_membersComputedWhenUsed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.admin)
		f.create(f.admin, person("Seg", "Alpha"))
		id, err := f.s.SaveSegment(ctx, f.admin, 0, "Alphas", "all", []contact.Condition{{Field: "last_name", Op: "equals", Value: "alpha"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SaveSegment(ctx, f.admin, 0, "Bad", "all", []contact.Condition{{Field: "nope", Op: "equals", Value: "x"}}); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad segment saved: %v", err)
		}
		if n, _ := f.s.Count(ctx, f.admin, contact.Query{Segment: id}, 0); n != 1 {
			t.Errorf("count = %d", n)
		}
		f.create(f.admin, person("Seg2", "Alpha"))
		f.create(f.limited, person("Seg3", "Alpha"))
		if n, _ := f.s.Count(ctx, f.admin, contact.Query{Segment: id}, 0); n != 3 {
			t.Errorf("count after adding = %d", n)
		}
		p, err := f.s.List(ctxAs(f.limited), f.limited, contact.Query{Segment: id})
		if err != nil || len(p.Rows) != 1 {
			t.Errorf("limited advisor's segment = %+v, %v", p.Rows, err)
		}
		if _, err := f.s.List(ctx, f.admin, contact.Query{Segment: 999}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown segment: %v", err)
		}
		vid, err := f.s.SaveView(ctx, f.admin, "My alphas", "segment=1&sort=-created&cursor=abc")
		if err != nil {
			t.Fatal(err)
		}
		views, _ := f.s.SavedViews(ctx, f.admin)
		if len(views) != 1 || views[0].Query != "segment=1&sort=-created" {
			t.Errorf("views = %+v", views)
		}
		if other, _ := f.s.SavedViews(ctx, f.advisor); len(other) != 0 {
			t.Errorf("another user sees the view")
		}
		if err := f.s.DeleteView(ctx, f.advisor, vid); !errs.Is(err, errs.NotFound) {
			t.Errorf("another user deleted the view: %v", err)
		}
	})
}
