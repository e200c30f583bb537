package contact

import (
	"context"
	"fmt"

	"github.com/foliocrm/folio/internal/errs"
)

// exportPage is how many contacts Export reads per round trip.
const exportPage = 1000

// Export calls fn with every contact the viewer sees in the list q (its
// search, filters and sort), or — when ids is not empty — with those
// contacts in that order, each with its emails, phones, addresses and
// identifiers. Identifier numbers are in clear only when reveal is set,
// which needs Sensitive Data Access; the caller logs the export. Memory
// stays constant: contacts are read a page at a time.
func (s *Service) Export(ctx context.Context, v Viewer, q Query, ids []int64, reveal bool, fn func(*Contact) error) (int, error) {
	if reveal && !v.Sensitive {
		return 0, errs.E(errs.Forbidden, "Exporting sensitive columns needs Sensitive Data Access.")
	}
	n := 0
	emit := func(page []int64) error {
		cs, err := s.loadMany(ctx, v, page, reveal)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
			n++
		}
		return nil
	}
	if len(ids) > 0 {
		for start := 0; start < len(ids); start += exportPage {
			if err := emit(ids[start:min(start+exportPage, len(ids))]); err != nil {
				return n, err
			}
		}
		return n, nil
	}
	q.Limit, q.Cursor = exportPage, ""
	for {
		p, err := s.list(ctx, v, q)
		if err != nil {
			return n, err
		}
		page := make([]int64, len(p.Rows))
		for i, r := range p.Rows {
			page[i] = r.ID
		}
		if err := emit(page); err != nil {
			return n, err
		}
		if p.NextCursor == "" {
			return n, nil
		}
		q.Cursor = p.NextCursor
	}
}

// loadMany reads the live contacts of ids that v sees, in the order of ids,
// with their lists.
func (s *Service) loadMany(ctx context.Context, v Viewer, ids []int64, reveal bool) ([]*Contact, error) {
	byID := make(map[int64]*Contact, len(ids))
	cond, scopeArgs := v.scope()
	err := inChunks(ids, func(in string, args []any) error {
		cs, err := queryAll(ctx, s.DB, scanContact, "SELECT "+contactColumns+" FROM contacts c WHERE c.deleted_at IS NULL AND c.id IN ("+
			in+")"+cond, append(args, scopeArgs...)...)
		if err != nil {
			return err
		}
		for _, c := range cs {
			byID[c.ID] = c
		}
		rows, err := s.DB.QueryContext(ctx, `
			SELECT contact_id, 1, id, is_primary, label, address, '', '', '', '', '' FROM contact_emails WHERE contact_id IN (`+in+`)
			UNION ALL SELECT contact_id, 2, id, is_primary, label, number, '', '', '', '', '' FROM contact_phones WHERE contact_id IN (`+in+`)
			UNION ALL SELECT contact_id, 3, id, is_primary, label, line1, line2, city, region, postal_code, country
				FROM contact_addresses WHERE contact_id IN (`+in+`)
			UNION ALL SELECT contact_id, 4, id, FALSE, kind, country, last4, expires_on, number_sealed, '', '' FROM contact_identifiers
				WHERE contact_id IN (`+in+`)
			ORDER BY 1, 2, 4 DESC, 3`, append(append(append(append([]any{}, args...), args...), args...), args...)...)
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
					return fmt.Errorf("contact: export: open identifier %d: %w", id, err)
				}
			}
		}
		return rows.Err()
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
	return out, nil
}
