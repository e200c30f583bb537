package contact

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Duplicate is a likely duplicate pair, A.ID < B.ID, with why.
type Duplicate struct {
	A, B    Row
	Reasons []string
}

type pairKey struct{ a, b int64 }

func orderPair(a, b int64) pairKey {
	if a > b {
		a, b = b, a
	}
	return pairKey{a, b}
}

// DuplicatesOf lists the likely duplicates of one contact: the same email
// address, phone number or ID number (by its keyed hash), or a very similar
// name (at most two letters apart once folded) with the same date of birth
// or city. Dismissed pairs are left out.
func (s *Service) DuplicatesOf(ctx context.Context, v Viewer, id int64) ([]Duplicate, error) {
	c, err := s.Get(ctx, v, id)
	if err != nil {
		return nil, err
	}
	reasons := map[int64][]string{}
	add := func(q, reason string, args ...any) error {
		rows, err := s.DB.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var other int64
			if err := rows.Scan(&other); err != nil {
				return err
			}
			if other != id && !contains(reasons[other], reason) {
				reasons[other] = append(reasons[other], reason)
			}
		}
		return rows.Err()
	}
	for _, e := range c.Emails {
		if err := add("SELECT contact_id FROM contact_emails WHERE address_key = ?", "same email "+e.Address, norm.EmailKey(e.Address)); err != nil {
			return nil, err
		}
	}
	for _, p := range c.Phones {
		if err := add("SELECT contact_id FROM contact_phones WHERE number = ?", "same phone "+p.Number, p.Number); err != nil {
			return nil, err
		}
	}
	if err := add(`SELECT o.contact_id FROM contact_identifiers o JOIN contact_identifiers m ON m.number_hash = o.number_hash
		WHERE m.contact_id = ?`, "same ID number", id); err != nil {
		return nil, err
	}
	if err := add(`SELECT o.contact_id FROM contact_bank_accounts o JOIN contact_bank_accounts m ON m.iban_hash = o.iban_hash
		WHERE m.contact_id = ? AND m.iban_hash <> ''`, "same IBAN", id); err != nil {
		return nil, err
	}
	name := sortName(c)
	if len([]rune(name)) >= 3 {
		similar := func(q, reason string, args ...any) error {
			rows, err := s.DB.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var other int64
				var otherName string
				if err := rows.Scan(&other, &otherName); err != nil {
					return err
				}
				if other != id && levenshtein(name, otherName, 2) <= 2 && !contains(reasons[other], reason) {
					reasons[other] = append(reasons[other], reason)
				}
			}
			return rows.Err()
		}
		if c.BirthDate != "" {
			if err := similar("SELECT id, sort_name FROM contacts WHERE birth_date = ? AND deleted_at IS NULL LIMIT 500",
				"similar name, same date of birth", c.BirthDate); err != nil {
				return nil, err
			}
		}
		if c.City != "" {
			p := string([]rune(name)[:3])
			if err := similar("SELECT id, sort_name FROM contacts WHERE sort_name >= ? AND sort_name < ? AND city = ? AND deleted_at IS NULL LIMIT 500",
				"similar name, same city", p, prefixEnd(p), c.City); err != nil {
				return nil, err
			}
		}
	}
	return s.pairs(ctx, v, reasons, id)
}

// pairs turns candidate ids into visible, live, undismissed pairs with id.
func (s *Service) pairs(ctx context.Context, v Viewer, reasons map[int64][]string, id int64) ([]Duplicate, error) {
	if len(reasons) == 0 {
		return nil, nil
	}
	var out []Duplicate
	me, err := s.row(ctx, v, id)
	if err != nil {
		return nil, err
	}
	for other, why := range reasons {
		k := orderPair(id, other)
		var dismissed int
		if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM duplicate_dismissals WHERE a_id = ? AND b_id = ?", k.a, k.b).Scan(&dismissed); err != nil {
			return nil, err
		}
		if dismissed > 0 {
			continue
		}
		o, err := s.row(ctx, v, other)
		if err != nil {
			continue // not visible, deleted or merged
		}
		sort.Strings(why)
		d := Duplicate{A: me, B: o, Reasons: why}
		if o.ID < me.ID {
			d.A, d.B = o, me
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		return orderPair(out[i].A.ID, out[i].B.ID).b < orderPair(out[j].A.ID, out[j].B.ID).b
	})
	return out, nil
}

// row reads one live contact as a list row.
func (s *Service) row(ctx context.Context, v Viewer, id int64) (Row, error) {
	cond, args := v.scope()
	var r Row
	var kind, tags string
	err := s.DB.QueryRowContext(ctx, "SELECT "+rowColumns+" FROM contacts c WHERE c.id = ? AND c.deleted_at IS NULL"+cond,
		append([]any{id}, args...)...).Scan(&r.ID, &kind, &r.Name, &r.CategoryID, &r.Stage, &r.OwnerID, &r.Email, &r.Phone,
		&r.City, &tags, &r.Completeness, &r.LastActivity, &r.Created, &r.sortName)
	if err != nil {
		return Row{}, errNotFound
	}
	r.Kind, r.Tags = Kind(kind), splitList(tags)
	return r, nil
}

// Duplicates lists likely duplicate pairs across the whole book: contacts
// sharing an email address, a phone number or an ID number, or the same
// folded name and date of birth. (Similar-but-different names are found
// per contact, by DuplicatesOf, shown on the record.) At most limit pairs.
func (s *Service) Duplicates(ctx context.Context, v Viewer, limit int) ([]Duplicate, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	found := map[pairKey][]string{}
	var order []pairKey
	collect := func(q, reason string) error {
		rows, err := s.DB.QueryContext(ctx, q+" LIMIT ?", limit*4)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a, b int64
			var what string
			if err := rows.Scan(&a, &b, &what); err != nil {
				return err
			}
			k := orderPair(a, b)
			why := strings.TrimSpace(reason + " " + what)
			if _, ok := found[k]; !ok {
				order = append(order, k)
			}
			if !contains(found[k], why) {
				found[k] = append(found[k], why)
			}
		}
		return rows.Err()
	}
	queries := []struct{ q, reason string }{
		{`SELECT MIN(contact_id), MAX(contact_id), MIN(address) FROM contact_emails GROUP BY address_key
			HAVING COUNT(DISTINCT contact_id) > 1`, "same email"},
		{`SELECT MIN(contact_id), MAX(contact_id), MIN(number) FROM contact_phones GROUP BY number
			HAVING COUNT(DISTINCT contact_id) > 1`, "same phone"},
		{`SELECT MIN(contact_id), MAX(contact_id), '' FROM contact_identifiers GROUP BY number_hash
			HAVING COUNT(DISTINCT contact_id) > 1`, "same ID number"},
		{`SELECT MIN(id), MAX(id), '' FROM contacts WHERE birth_date <> '' AND deleted_at IS NULL GROUP BY sort_name, birth_date
			HAVING COUNT(*) > 1`, "same name and date of birth"},
	}
	for _, q := range queries {
		if err := collect(q.q, q.reason); err != nil {
			return nil, err
		}
	}
	var out []Duplicate
	for _, k := range order {
		if len(out) == limit {
			break
		}
		var dismissed int
		if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM duplicate_dismissals WHERE a_id = ? AND b_id = ?", k.a, k.b).Scan(&dismissed); err != nil {
			return nil, err
		}
		if dismissed > 0 {
			continue
		}
		a, errA := s.row(ctx, v, k.a)
		b, errB := s.row(ctx, v, k.b)
		if errA != nil || errB != nil {
			continue
		}
		out = append(out, Duplicate{A: a, B: b, Reasons: found[k]})
	}
	return out, nil
}

// DismissDuplicate records that two contacts are not duplicates.
func (s *Service) DismissDuplicate(ctx context.Context, v Viewer, a, b int64) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	k := orderPair(a, b)
	if k.a == k.b {
		return errs.E(errs.Invalid, "Choose two different contacts.")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range []int64{a, b} {
			if _, err := s.visible(ctx, tx, v, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO duplicate_dismissals (a_id, b_id, dismissed_by, dismissed_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, k.a, k.b, nullID(v.UserID), db.Now()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(k.a), Action: "contact.not_duplicate",
			Changes: []audit.Change{{Field: "not a duplicate of", New: fmt.Sprintf("#%d", k.b)}}})
	})
}

// levenshtein is the edit distance of a and b, giving up (returning max+1)
// once it exceeds max.
func levenshtein(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
