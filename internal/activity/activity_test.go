package activity_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/contact/contacttest"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/secret"
)

type fixture struct {
	t                              testing.TB
	d                              *db.DB
	cs                             *contact.Service
	s                              *activity.Service
	admin, advisor, limited, other contact.Viewer
	reader                         contact.Viewer
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	box, _ := secret.New(make([]byte, 32))
	cs := contact.New(d, box)
	f := &fixture{t: t, d: d, cs: cs, s: activity.New(d, cs)}
	user := func(name, role string, ownOnly bool) contact.Viewer {
		return contacttest.User(t, d, name, role, ownOnly, "example.com")
	}
	f.admin = user("Ada Admin", "owner", false)
	f.advisor = user("Otto Advisor", "advisor", false)
	f.limited = user("Lim Ited", "advisor", true)
	f.other = user("Olga Other", "advisor", false)
	f.reader = user("Rea Reader", "readonly", false)
	t.Cleanup(func() {
		if n, err := audit.Verify(context.Background(), d); err != nil {
			t.Errorf("activity log does not verify after %d rows: %v", n, err)
		}
	})
	return f
}

func ctxAs(v contact.Viewer) context.Context { return contacttest.Ctx(v) }

func (f *fixture) contact(owner contact.Viewer, first string) int64 {
	f.t.Helper()
	id, err := f.cs.Create(ctxAs(owner), owner, &contact.Contact{Kind: contact.Person, FirstName: first, LastName: "Client", CategoryID: 1, OwnerID: owner.UserID})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) note(v contact.Viewer, contactID int64, body string, pinned bool) int64 {
	f.t.Helper()
	id, err := f.s.AddNote(ctxAs(v), v, contactID, body, pinned)
	if err != nil {
		f.t.Fatalf("AddNote: %v", err)
	}
	return id
}

func TestNotes_addEditPinDeleteWithHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.contact(f.advisor, "Nora")
		id := f.note(f.advisor, c, "  Called **Nora** about her IRA.\r\n", false)
		n, err := f.s.Note(ctxAs(f.advisor), f.advisor, id)
		if err != nil {
			t.Fatal(err)
		}
		if n.Body != "Called **Nora** about her IRA." || !strings.Contains(string(n.HTML), "<strong>Nora</strong>") || n.Author != "Otto Advisor" {
			t.Errorf("note = %+v", n)
		}
		body := "Called Nora about her IRA and 401(k)."
		if err := f.s.EditNote(ctxAs(f.advisor), f.advisor, id, activity.NoteEdit{Body: &body, Version: n.Version}); err != nil {
			t.Fatal(err)
		}
		// An edit made on the old version is refused, not lost.
		stale := "stale"
		if err := f.s.EditNote(ctxAs(f.advisor), f.advisor, id, activity.NoteEdit{Body: &stale, Version: n.Version}); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale edit: %v, want conflict", err)
		}
		// Another advisor may pin it but not rewrite or delete it.
		other := "mine now"
		if err := f.s.EditNote(ctxAs(f.other), f.other, id, activity.NoteEdit{Body: &other}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("other's edit: %v, want forbidden", err)
		}
		pin := true
		if err := f.s.EditNote(ctxAs(f.other), f.other, id, activity.NoteEdit{Pinned: &pin}); err != nil {
			t.Errorf("other's pin: %v", err)
		}
		if err := f.s.DeleteNote(ctxAs(f.other), f.other, id); !errs.Is(err, errs.Forbidden) {
			t.Errorf("other's delete: %v, want forbidden", err)
		}
		// The history holds every version of the text.
		recs, _, err := audit.List(context.Background(), d, audit.Filter{Entity: "contact", EntityID: strconv.FormatInt(c, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var log []string
		for _, r := range recs {
			for _, ch := range r.Changes {
				log = append(log, r.Action+": "+ch.Old+" -> "+ch.New)
			}
		}
		joined := strings.Join(log, "\n")
		for _, want := range []string{"contact.note_add:  -> Called **Nora** about her IRA.",
			"contact.note_edit: Called **Nora** about her IRA. -> Called Nora about her IRA and 401(k).", "contact.note_edit: no -> yes"} {
			if !strings.Contains(joined, want) {
				t.Errorf("history lacks %q:\n%s", want, joined)
			}
		}
		if err := f.s.DeleteNote(ctxAs(f.admin), f.admin, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Note(ctxAs(f.advisor), f.advisor, id); !errs.Is(err, errs.NotFound) {
			t.Errorf("deleted note: %v", err)
		}
	})
}

func TestNotes_badInputAndAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mine := f.contact(f.limited, "Mina")
		theirs := f.contact(f.advisor, "Theo")
		for _, tt := range []struct {
			body, want string
		}{
			{"   ", "write the note first"},
			{"a\x00b", "not text"},
			{"\xff\xfe", "not text"},
			{strings.Repeat("x", activity.MaxNote+1), "at most 50000 characters"},
		} {
			_, err := f.s.AddNote(ctxAs(f.limited), f.limited, mine, tt.body, false)
			if got := errs.FieldsOf(err)["body"]; !strings.Contains(got, tt.want) {
				t.Errorf("AddNote(%.20q) = %v %q, want %q", tt.body, err, got, tt.want)
			}
		}
		if _, err := f.s.AddNote(ctxAs(f.limited), f.limited, theirs, "peek", false); !errs.Is(err, errs.NotFound) {
			t.Errorf("note on another advisor's contact by a limited advisor: %v, want not found", err)
		}
		if _, err := f.s.AddNote(ctxAs(f.reader), f.reader, mine, "read only", false); !errs.Is(err, errs.Forbidden) {
			t.Errorf("note by a read-only user: %v, want forbidden", err)
		}
		id := f.note(f.advisor, theirs, "private", false)
		if _, err := f.s.Note(ctxAs(f.limited), f.limited, id); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited advisor reads a note on another's contact: %v, want not found", err)
		}
		if _, err := f.s.Timeline(ctxAs(f.limited), f.limited, theirs, activity.TimelineQuery{}); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited advisor reads another's timeline: %v, want not found", err)
		}
		for _, q := range []activity.TimelineQuery{{Kind: "gossip"}, {Cursor: "!!"}, {Limit: 201}} {
			if _, err := f.s.Timeline(ctxAs(f.admin), f.admin, theirs, q); !errs.Is(err, errs.Invalid) {
				t.Errorf("Timeline(%+v) = %v, want invalid", q, err)
			}
		}
	})
}

// The timeline is newest first, paged by cursor without gaps or repeats,
// filterable by kind; pinned notes are listed above it instead of in it.
func TestTimeline_newestFirstPagedFilteredPinnedAbove(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.contact(f.advisor, "Tia")
		for i := range 7 {
			f.note(f.advisor, c, fmt.Sprintf("note %d", i), false)
		}
		f.note(f.advisor, c, "pinned one", true)
		var got []string
		q := activity.TimelineQuery{Limit: 3, Kind: activity.KindNote}
		for pages := 0; ; pages++ {
			p, err := f.s.Timeline(ctxAs(f.advisor), f.advisor, c, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				got = append(got, it.Note.Body)
			}
			if p.NextCursor == "" {
				break
			}
			q.Cursor = p.NextCursor
			if pages > 5 {
				t.Fatal("the cursor does not advance")
			}
		}
		want := "note 6,note 5,note 4,note 3,note 2,note 1,note 0"
		if strings.Join(got, ",") != want {
			t.Errorf("timeline = %v, want %s", got, want)
		}
		pinned, err := f.s.PinnedNotes(ctxAs(f.advisor), f.advisor, c)
		if err != nil || len(pinned) != 1 || pinned[0].Body != "pinned one" {
			t.Errorf("pinned = %+v, %v", pinned, err)
		}
		if p, _ := f.s.Timeline(ctxAs(f.advisor), f.advisor, c, activity.TimelineQuery{Kind: activity.KindTask}); len(p.Items) != 0 {
			t.Errorf("tasks = %+v, want none", p.Items)
		}
	})
}

// Merging moves notes and timeline items to the survivor; erasing a contact
// removes its notes.
func TestNotes_followMergeAndGoWithErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.contact(f.admin, "Ann"), f.contact(f.admin, "Anne")
		f.note(f.admin, a, "on a", false)
		nb := f.note(f.admin, b, "on b", false)
		if err := f.cs.Merge(ctxAs(f.admin), f.admin, a, b, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		p, err := f.s.Timeline(ctxAs(f.admin), f.admin, a, activity.TimelineQuery{})
		if err != nil || len(p.Items) != 2 {
			t.Fatalf("survivor's timeline = %+v, %v", p.Items, err)
		}
		if n, err := f.s.Note(ctxAs(f.admin), f.admin, nb); err != nil || n.ContactID != a {
			t.Errorf("moved note = %+v, %v", n, err)
		}
		if err := f.cs.Erase(ctxAs(f.admin), f.admin, a); err != nil {
			t.Fatal(err)
		}
		var left int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM notes").Scan(&left)
		if left != 0 {
			t.Errorf("%d notes left after erasing their contact", left)
		}
	})
}

// A change of stage, in the UI or by an import, is on the timeline with
// who made it; merges move it and erasure removes it.
func TestTimeline_showsStageChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.contact(f.advisor, "Sam")
		c, err := f.cs.Get(ctxAs(f.advisor), f.advisor, id)
		if err != nil {
			t.Fatal(err)
		}
		base := c.Version
		c.Stage = "invited"
		if err := f.cs.Update(ctxAs(f.advisor), f.advisor, c, base); err != nil {
			t.Fatal(err)
		}
		c.FirstName = "Samuel" // no stage change: nothing more on the timeline
		if err := f.cs.Update(ctxAs(f.advisor), f.advisor, c, base+1); err != nil {
			t.Fatal(err)
		}
		p, err := f.s.Timeline(ctxAs(f.advisor), f.advisor, id, activity.TimelineQuery{Kind: activity.KindStage})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Entry == nil {
			t.Fatalf("stage items = %+v", p.Items)
		}
		it := p.Items[0]
		if it.Entry.Title != "Stage: Not Invited → Invited" || it.Actor != "Otto Advisor" || it.Entry.Detail != "Changed in Folio" {
			t.Errorf("stage item = %+v, %+v", it, *it.Entry)
		}
		other := f.contact(f.advisor, "Samuel")
		if err := f.cs.Merge(ctxAs(f.admin), f.admin, other, id, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		if p, _ := f.s.Timeline(ctxAs(f.admin), f.admin, other, activity.TimelineQuery{Kind: activity.KindStage}); len(p.Items) != 1 {
			t.Errorf("survivor's stage items = %+v, want the merged contact's change", p.Items)
		}
		if err := f.cs.Erase(ctxAs(f.admin), f.admin, other); err != nil {
			t.Fatal(err)
		}
		var left int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM stage_changes").Scan(&left)
		if left != 0 {
			t.Errorf("%d stage changes left after erasing their contact", left)
		}
	})
}

// The notes list gives pinned notes first, then the rest, newest first,
// across pages.
func TestNotes_listPinnedFirstThenNewest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.contact(f.advisor, "Pia")
		for i := range 5 {
			f.note(f.advisor, c, fmt.Sprintf("n%d", i), i == 1 || i == 3)
		}
		var got []string
		cursor := ""
		for range 5 {
			ns, next, err := f.s.Notes(ctxAs(f.advisor), f.advisor, c, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				got = append(got, n.Body)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if want := "n3,n1,n4,n2,n0"; strings.Join(got, ",") != want {
			t.Errorf("notes = %v, want %s", got, want)
		}
		if _, _, err := f.s.Notes(ctxAs(f.advisor), f.advisor, c, "garbage", 2); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad cursor: %v, want invalid", err)
		}
		if _, _, err := f.s.Notes(ctxAs(f.limited), f.limited, c, "", 2); !errs.Is(err, errs.NotFound) {
			t.Errorf("another's contact: %v, want not found", err)
		}
	})
}
