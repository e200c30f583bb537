package contact

import (
	"context"
	"fmt"
	"slices"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// exportPage is how many contacts Export reads per round trip.
const exportPage = 1000

// Export calls fn with every contact the viewer sees in the list q (its
// search and filters), or — when ids is not empty — with those contacts in
// that order, each with its emails, phones, addresses and identifiers.
// Identifier numbers are in clear only when reveal is set, which needs
// Sensitive Data Access; the caller logs the export. Memory stays constant:
// contacts are read a page at a time.
//
// A search is exported in the list's best-match order and a list sorted by
// a chosen column in that order. Anything else comes in the order the
// contacts were added (by id): walking the contacts and then their lists
// by id, each page one range of each index, is four times faster than
// fetching each page of a sorted list by id (docs/decisions.md).
func (s *Service) Export(ctx context.Context, v Viewer, q Query, ids []int64, reveal bool, fn func(*Contact) error) (int, error) {
	if reveal && !v.Sensitive {
		return 0, errs.E(errs.Forbidden, "Exporting sensitive columns needs Sensitive Data Access.")
	}
	// Ends the page readers when the export does.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next func() ([]*Contact, error) // the next page, nil after the last
	switch {
	case len(ids) > 0:
		next = func() ([]*Contact, error) {
			if len(ids) == 0 {
				return nil, nil
			}
			page := ids[:min(exportPage, len(ids))]
			ids = ids[len(page):]
			// Never nil, even when none of the page is visible: more may follow.
			return s.loadMany(ctx, v, page, reveal)
		}
	case searchQuery(q.Q) != nil || q.Sort != "":
		q.Limit, q.Cursor = exportPage, ""
		done := false
		next = func() ([]*Contact, error) {
			if done {
				return nil, nil
			}
			p, err := s.list(ctx, v, q)
			if err != nil {
				return nil, err
			}
			page := make([]int64, len(p.Rows))
			for i, r := range p.Rows {
				page[i] = r.ID
			}
			q.Cursor, done = p.NextCursor, p.NextCursor == ""
			return s.loadMany(ctx, v, page, reveal)
		}
	default:
		if err := s.resolveSegment(ctx, &q); err != nil {
			return 0, err
		}
		where, args, err := s.filters(v, q)
		if err != nil {
			return 0, err
		}
		query := "SELECT " + contactColumns + " FROM contacts c WHERE c.id > ?" + where + " ORDER BY c.id LIMIT ?"
		var last int64
		contacts := func() ([]*Contact, error) {
			cs, err := queryAll(ctx, s.DB, scanContact, query, append(append([]any{last}, args...), exportPage)...)
			if err != nil || len(cs) == 0 {
				return nil, err
			}
			last = cs[len(cs)-1].ID
			return cs, nil
		}
		// The contacts of a page are read while the lists of the one
		// before are.
		next = pipe(ctx, contacts, func(cs []*Contact) error { return s.loadLists(ctx, cs, reveal) })
	}
	return exportPages(ctx, next, fn)
}

// pipe returns a function that returns next's pages after then has run on
// them; next runs ahead on a goroutine of its own, one page in advance.
// The goroutine ends after the last page, an error or ctx's end.
func pipe(ctx context.Context, next func() ([]*Contact, error), then func([]*Contact) error) func() ([]*Contact, error) {
	type page struct {
		cs  []*Contact
		err error
	}
	pages := make(chan page, 1)
	go func() {
		defer close(pages)
		for {
			cs, err := next()
			select {
			case pages <- page{cs, err}:
			case <-ctx.Done():
				return
			}
			if cs == nil || err != nil {
				return
			}
		}
	}()
	return func() ([]*Contact, error) {
		p, ok := <-pages
		if !ok {
			return nil, ctx.Err()
		}
		if p.err != nil || p.cs == nil {
			return nil, p.err
		}
		return p.cs, then(p.cs)
	}
}

// exportPages reads pages with next on a goroutine of its own, so the next
// page is read while fn writes this one, and returns how many contacts fn
// took. ctx must end when the export does.
func exportPages(ctx context.Context, next func() ([]*Contact, error), fn func(*Contact) error) (int, error) {
	next = pipe(ctx, next, func([]*Contact) error { return nil })
	n := 0
	for {
		cs, err := next()
		if err != nil {
			return n, fmt.Errorf("contact: export: %w", err)
		}
		if cs == nil {
			return n, nil
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return n, err
			}
			n++
		}
	}
}

// loadMany reads the live contacts of ids that v sees, in the order of ids,
// with their lists. The slice is never nil.
func (s *Service) loadMany(ctx context.Context, v Viewer, ids []int64, reveal bool) ([]*Contact, error) {
	byID := make(map[int64]*Contact, len(ids))
	cond, scopeArgs := v.scope()
	err := db.InChunks(ids, func(in string, args []any) error {
		cs, err := queryAll(ctx, s.DB, scanContact, "SELECT "+contactColumns+" FROM contacts c WHERE c.deleted_at IS NULL AND c.id IN ("+
			in+")"+cond, append(args, scopeArgs...)...)
		if err != nil {
			return err
		}
		for _, c := range cs {
			byID[c.ID] = c
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Contact, 0, len(ids))
	for _, id := range ids {
		if c := byID[id]; c != nil {
			out = append(out, c)
		}
	}
	return out, s.loadLists(ctx, out, reveal)
}

// loadLists reads the emails, phones, addresses and identifiers of cs
// (identifier numbers in clear when reveal is set). Contacts in id order
// whose ids lie close together are read as one range of each list's
// contact_id index; others by their ids.
func (s *Service) loadLists(ctx context.Context, cs []*Contact, reveal bool) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*Contact, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	readList := func(query string, args []any) error {
		rows, err := s.DB.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cid, id int64
			var src int
			var primary bool
			var f [7]string
			if err := rows.Scan(&cid, &src, &id, &primary, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]); err != nil {
				return err
			}
			c := byID[cid]
			if c == nil {
				continue
			}
			c.appendChild(src, id, primary, f)
			if src == 4 && reveal {
				i := &c.Identifiers[len(c.Identifiers)-1]
				if i.Number, err = s.Box.Open(f[4]); err != nil {
					return fmt.Errorf("open identifier %d: %w", id, err)
				}
			}
		}
		return rows.Err()
	}
	// One query per list, each a walk of its contact_id index (a union
	// would sort them all together).
	lists := []string{
		"SELECT contact_id, 1, id, is_primary, label, address, '', '', '', '', '' FROM contact_emails",
		"SELECT contact_id, 2, id, is_primary, label, number, '', '', '', '', '' FROM contact_phones",
		"SELECT contact_id, 3, id, is_primary, label, line1, line2, city, region, postal_code, country FROM contact_addresses",
		"SELECT contact_id, 4, id, FALSE, kind, country, last4, expires_on, number_sealed, '', '' FROM contact_identifiers",
	}
	read := func(cond string, args []any) error {
		for _, list := range lists {
			if err := readList(list+" WHERE "+cond+" ORDER BY contact_id, id", args); err != nil {
				return err
			}
		}
		return nil
	}
	lo, hi := slices.Min(ids), slices.Max(ids)
	var err error
	if hi-lo < int64(4*len(ids)) {
		err = read("contact_id BETWEEN ? AND ?", []any{lo, hi})
	} else {
		err = db.InChunks(ids, func(in string, args []any) error { return read("contact_id IN ("+in+")", args) })
	}
	if err != nil {
		return err
	}
	for _, c := range cs {
		primaryFirst(c)
	}
	return nil
}

// primaryFirst puts the primary email, phone and address first in their
// lists, as they are when a contact is read alone.
func primaryFirst(c *Contact) {
	slices.SortStableFunc(c.Emails, func(a, b Email) int { return cmpPrimary(a.Primary, b.Primary) })
	slices.SortStableFunc(c.Phones, func(a, b Phone) int { return cmpPrimary(a.Primary, b.Primary) })
	slices.SortStableFunc(c.Addresses, func(a, b Address) int { return cmpPrimary(a.Primary, b.Primary) })
}

func cmpPrimary(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
