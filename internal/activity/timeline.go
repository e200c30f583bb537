package activity

import (
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Item is one entry of a contact's timeline.
type Item struct {
	ID    int64 // the timeline row
	Kind  string
	Ref   int64 // the id of the note, task, event, email, ticket or stage change
	At    time.Time
	Actor string   // who did it ("" for the system or a deleted user)
	Note  *Note    // when Kind is note
	Entry *Summary // for the other kinds, from the kind's Loader
}

// Summary is what a timeline shows of an item that is not a note: a title,
// a line of detail, an optional sanitised body, a status and where to open
// it.
type Summary struct {
	Title  string
	Detail string        // plain text: when, who, where
	Body   template.HTML // sanitised HTML, may be empty
	Status string        // e.g. "done", "queued", "open"; "" for none
	URL    string        // the item's own page, if it has one
}

// Loader reads the summaries of items of one kind by their ids; ids it
// does not return are left off the page (deleted meanwhile).
type Loader func(ctx context.Context, ids []int64) (map[int64]Summary, error)

// RegisterKind tells the timeline how to show items of kind (task, event,
// email, ticket, stage). The package that owns the kind provides the
// Loader; app wires them at start-up.
func (s *Service) RegisterKind(kind string, load Loader) {
	if s.loaders == nil {
		s.loaders = map[string]Loader{}
	}
	s.loaders[kind] = load
}

// TimelineQuery pages a timeline: the items of Kind ("" for all), after
// Cursor (from the previous page), Limit at a time (default 50, at most 200).
type TimelineQuery struct {
	Kind   string
	Cursor string
	Limit  int
}

// TimelinePage is a page of a timeline, newest first.
type TimelinePage struct {
	Items      []Item
	NextCursor string // "" on the last page
}

// Timeline returns a page of a contact's timeline, newest first. Pinned
// notes are not in it: PinnedNotes lists them, to show above it.
func (s *Service) Timeline(ctx context.Context, v contact.Viewer, contactID int64, q TimelineQuery) (TimelinePage, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > 200 {
		return TimelinePage{}, errs.FieldErrors(map[string]string{"limit": "at most 200 items per page"})
	}
	if q.Kind != "" && !validKind(q.Kind) {
		return TimelinePage{}, errs.FieldErrors(map[string]string{"kind": fmt.Sprintf("unknown kind %q; choose note, task, event, email, ticket or stage", q.Kind)})
	}
	if err := s.Contacts.CheckVisible(ctx, s.DB, v, contactID); err != nil {
		return TimelinePage{}, err
	}
	sqlq := `SELECT t.id, t.kind, t.at, t.ref_id, COALESCE(u.name, '') FROM timeline t LEFT JOIN users u ON u.id = t.actor_id
		WHERE t.contact_id = ? AND NOT t.pinned`
	args := []any{contactID}
	if q.Kind != "" {
		sqlq += " AND t.kind = ?"
		args = append(args, q.Kind)
	}
	if q.Cursor != "" {
		at, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return TimelinePage{}, err
		}
		sqlq += " AND (t.at < ? OR (t.at = ? AND t.id < ?))"
		args = append(args, at, at, id)
	}
	sqlq += " ORDER BY t.at DESC, t.id DESC LIMIT ?"
	args = append(args, q.Limit+1)
	rows, err := s.DB.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return TimelinePage{}, fmt.Errorf("activity: timeline: %w", err)
	}
	var p TimelinePage
	refs := map[string][]int64{}
	for rows.Next() {
		var it Item
		var ref int64
		if err := rows.Scan(&it.ID, &it.Kind, &it.At, &ref, &it.Actor); err != nil {
			rows.Close()
			return TimelinePage{}, err
		}
		it.At = it.At.UTC()
		if len(p.Items) == q.Limit {
			last := p.Items[len(p.Items)-1]
			p.NextCursor = encodeCursor(last.At, last.ID)
			break
		}
		it.Ref = ref
		p.Items = append(p.Items, it)
		refs[it.Kind] = append(refs[it.Kind], ref)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return TimelinePage{}, err
	}
	notes := map[int64]*Note{}
	err = db.InChunks(refs[KindNote], func(in string, args []any) error {
		ns, err := queryNotes(ctx, s.DB, "n.id IN ("+in+")", args...)
		for i := range ns {
			notes[ns[i].ID] = &ns[i]
		}
		return err
	})
	if err != nil {
		return TimelinePage{}, err
	}
	summaries := map[string]map[int64]Summary{}
	for kind, ids := range refs {
		if load := s.loaders[kind]; load != nil && kind != KindNote {
			if summaries[kind], err = load(ctx, ids); err != nil {
				return TimelinePage{}, fmt.Errorf("activity: timeline %ss: %w", kind, err)
			}
		}
	}
	kept := p.Items[:0]
	for _, it := range p.Items {
		if it.Kind == KindNote {
			it.Note = notes[it.Ref]
			if it.Note == nil {
				continue
			}
		} else if sum, ok := summaries[it.Kind][it.Ref]; ok {
			it.Entry = &sum
		} else {
			continue
		}
		kept = append(kept, it)
	}
	p.Items = kept
	return p, nil
}

func validKind(k string) bool {
	for _, o := range Kinds {
		if o.Key == k {
			return true
		}
	}
	return false
}

func encodeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (time.Time, int64, error) {
	bad := errs.FieldErrors(map[string]string{"cursor": "this cursor is not one Folio gave out; start from the first page"})
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	if !ok {
		return time.Time{}, 0, bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, 0, bad
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return time.Time{}, 0, bad
	}
	return t, n, nil
}
