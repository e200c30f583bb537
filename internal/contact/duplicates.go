package contact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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

// DuplicatesOf lists the likely duplicates of one contact, among contacts of
// its kind: the same email address, ID number or IBAN (by keyed hash), the
// same phone number with a similar name, or a similar name (at most two
// letters apart once folded) with the same date of birth or city.
// Dismissed pairs are left out.
func (s *Service) DuplicatesOf(ctx context.Context, v Viewer, id int64) ([]Duplicate, error) {
	c, err := s.load(ctx, s.DB, v, id)
	if err != nil {
		return nil, err
	}
	name := sortName(c)
	reasons := map[int64][]string{}
	// collect runs q, which lists (contact id, folded name), and records
	// reason for each other contact (with a similar name, if asked).
	collect := func(q, reason string, similarName bool, args ...any) error {
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
			if other == id || slices.Contains(reasons[other], reason) || similarName && !similarNames(name, otherName) {
				continue
			}
			reasons[other] = append(reasons[other], reason)
		}
		return rows.Err()
	}
	type search struct {
		q, reason   string
		similarName bool
		args        []any
	}
	var searches []search
	for _, e := range c.Emails {
		searches = append(searches, search{`SELECT e.contact_id, c.sort_name FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
			WHERE e.address_key = ?`, "same email " + e.Address, false, []any{norm.EmailKey(e.Address)}})
	}
	for _, p := range c.Phones {
		searches = append(searches, search{`SELECT p.contact_id, c.sort_name FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
			WHERE p.number = ?`, "same phone " + p.Number, true, []any{p.Number}})
	}
	searches = append(searches,
		search{`SELECT o.contact_id, c.sort_name FROM contact_identifiers o JOIN contact_identifiers m ON m.number_hash = o.number_hash
			JOIN contacts c ON c.id = o.contact_id WHERE m.contact_id = ?`, "same ID number", false, []any{id}},
		search{`SELECT o.contact_id, c.sort_name FROM contact_bank_accounts o JOIN contact_bank_accounts m ON m.iban_hash = o.iban_hash
			JOIN contacts c ON c.id = o.contact_id WHERE m.contact_id = ? AND m.iban_hash <> ''`, "same IBAN", false, []any{id}})
	if len([]rune(name)) >= 3 {
		if c.BirthDate != "" {
			searches = append(searches, search{"SELECT id, sort_name FROM contacts WHERE birth_date = ? AND deleted_at IS NULL LIMIT 500",
				"similar name, same date of birth", true, []any{c.BirthDate}})
		}
		if c.City != "" {
			p := string([]rune(name)[:3])
			searches = append(searches, search{"SELECT id, sort_name FROM contacts WHERE sort_name >= ? AND sort_name < ? AND city = ? AND deleted_at IS NULL LIMIT 500",
				"similar name, same city", true, []any{p, prefixEnd(p), c.City}})
		}
	}
	for _, q := range searches {
		if err := collect(q.q, q.reason, q.similarName, q.args...); err != nil {
			return nil, err
		}
	}
	return s.pairs(ctx, v, reasons, id)
}

// pairs turns candidate ids into visible, live, undismissed pairs with id.
func (s *Service) pairs(ctx context.Context, v Viewer, reasons map[int64][]string, id int64) ([]Duplicate, error) {
	if len(reasons) == 0 {
		return nil, nil
	}
	me, err := s.row(ctx, v, id)
	if err != nil {
		return nil, err
	}
	others := make([]int64, 0, len(reasons))
	for other := range reasons {
		others = append(others, other)
	}
	// Leaves out the contacts v may not see, deleted or merged ones and
	// dismissed pairs.
	cond, args := v.scope()
	byID, err := s.rowsByID(ctx, others, ` AND c.deleted_at IS NULL`+cond+`
		AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a_id = c.id AND d.b_id = ?)
		AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a_id = ? AND d.b_id = c.id)`, append(args, id, id)...)
	if err != nil {
		return nil, err
	}
	var out []Duplicate
	for other, why := range reasons {
		o, ok := byID[other]
		if !ok {
			continue
		}
		if o.Kind != me.Kind {
			continue // a household shares its members' phone by nature
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

// row reads one live contact that v may see as a list row.
func (s *Service) row(ctx context.Context, v Viewer, id int64) (Row, error) {
	cond, args := v.scope()
	r, err := scanRow(s.DB.QueryRowContext(ctx, "SELECT "+rowColumns+" FROM contacts c WHERE c.id = ? AND c.deleted_at IS NULL"+cond,
		append([]any{id}, args...)...))
	if err != nil {
		return Row{}, errNotFound
	}
	return r, nil
}

// DuplicatePage is one page of the whole book's likely duplicates.
type DuplicatePage struct {
	Pairs []Duplicate
	// Next is the cursor of the next page; empty on the last one.
	Next string
	// ScannedAt is when ScanDuplicates last ran; zero if never.
	ScannedAt time.Time
}

const (
	settingDuplicatesScanned = "contacts.duplicates_scanned_at"
	settingDuplicatesClaim   = "contacts.duplicates_scan_claim"
	// dupGroupCap is how many contacts of one shared value are paired: a
	// firm's switchboard number shared by hundreds is not hundreds of
	// thousands of pairs.
	dupGroupCap = 20
	// settingTime orders as text.
	settingTime = "2006-01-02T15:04:05.000000Z"
)

// Duplicates lists a page of the likely duplicate pairs the last
// ScanDuplicates found, the strongest signs first (a shared email, ID
// number, IBAN or phone; then a similar name and date of birth; then a
// similar name in the same city), each the pairs with the newest contacts
// first, leaving out
// pairs dismissed since, contacts deleted or merged since, and contacts v
// may not see. after is a page's Next.
func (s *Service) Duplicates(ctx context.Context, v Viewer, after string, limit int) (DuplicatePage, error) {
	var page DuplicatePage
	if limit <= 0 || limit > MaxLimit {
		return page, errs.FieldErrors(map[string]string{"limit": fmt.Sprintf("between 1 and %d pairs per page", MaxLimit)})
	}
	var err error
	if page.ScannedAt, err = s.DuplicatesScannedAt(ctx); err != nil {
		return page, err
	}
	q := `SELECT p.strength, p.a_id, p.b_id, p.reasons FROM duplicate_pairs p
		JOIN contacts a ON a.id = p.a_id AND a.deleted_at IS NULL
		JOIN contacts c ON c.id = p.b_id AND c.deleted_at IS NULL
		WHERE NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a_id = p.a_id AND d.b_id = p.b_id)`
	var args []any
	for _, alias := range []string{"c.", "a."} {
		cond, cargs := v.ScopeOn(alias)
		q += cond
		args = append(args, cargs...)
	}
	if after != "" {
		var st, b, a int64
		if n, _ := fmt.Sscanf(after, "%d.%d.%d", &st, &b, &a); n != 3 || fmt.Sprintf("%d.%d.%d", st, b, a) != after {
			return page, errs.FieldErrors(map[string]string{"cursor": "not a cursor from this list; start from the first page"})
		}
		q += " AND (p.strength > ? OR (p.strength = ? AND (p.b_id < ? OR (p.b_id = ? AND p.a_id < ?))))"
		args = append(args, st, st, b, b, a)
	}
	q += " ORDER BY p.strength, p.b_id DESC, p.a_id DESC LIMIT ?"
	args = append(args, limit+1)
	type found struct {
		strength, a, b int64
		reasons        string
	}
	pairs, err := queryAll(ctx, s.DB, func(r scanner) (f found, err error) {
		err = r.Scan(&f.strength, &f.a, &f.b, &f.reasons)
		return f, err
	}, q, args...)
	if err != nil {
		return page, err
	}
	if len(pairs) > limit {
		pairs = pairs[:limit]
		last := pairs[limit-1]
		page.Next = fmt.Sprintf("%d.%d.%d", last.strength, last.b, last.a)
	}
	ids := make([]int64, 0, 2*len(pairs))
	for _, p := range pairs {
		ids = append(ids, p.a, p.b)
	}
	byID, err := s.rowsByID(ctx, ids, "")
	if err != nil {
		return page, err
	}
	for _, p := range pairs {
		a, okA := byID[p.a]
		b, okB := byID[p.b]
		if okA && okB {
			page.Pairs = append(page.Pairs, Duplicate{A: a, B: b, Reasons: strings.Split(p.reasons, "\n")})
		}
	}
	return page, nil
}

// rowsByID reads contacts as list rows; where (" AND …", with args) leaves
// out more of them.
func (s *Service) rowsByID(ctx context.Context, ids []int64, where string, args ...any) (map[int64]Row, error) {
	out := make(map[int64]Row, len(ids))
	err := db.InChunks(ids, func(in string, idArgs []any) error {
		rows, err := queryAll(ctx, s.DB, scanRow, "SELECT "+rowColumns+" FROM contacts c WHERE c.id IN ("+in+")"+where,
			append(idArgs, args...)...)
		for _, r := range rows {
			out[r.ID] = r
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DuplicatesScannedAt is when ScanDuplicates last finished; zero if never.
func (s *Service) DuplicatesScannedAt(ctx context.Context) (time.Time, error) {
	var v string
	err := s.DB.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", settingDuplicatesScanned).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(settingTime, v)
}

// dupSources find contacts sharing a value: each lists (value, contact,
// value as shown, kind, folded name) for the values more than one contact
// has. Only contacts of the same kind are paired: a household shares its
// members' phone number by nature. A shared phone number also needs
// similar names, or every family sharing a landline would be listed.
var dupSources = []struct {
	reason, q   string
	similarName bool
}{
	{"same email", `SELECT e.address_key, e.contact_id, e.address, c.kind, c.sort_name FROM contact_emails e
		JOIN contacts c ON c.id = e.contact_id AND c.deleted_at IS NULL
		WHERE e.address_key IN (SELECT address_key FROM contact_emails GROUP BY address_key HAVING MIN(contact_id) <> MAX(contact_id))`, false},
	{"same phone", `SELECT p.number, p.contact_id, p.number, c.kind, c.sort_name FROM contact_phones p
		JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
		WHERE p.number IN (SELECT number FROM contact_phones GROUP BY number HAVING MIN(contact_id) <> MAX(contact_id))`, true},
	{"same ID number", `SELECT i.number_hash, i.contact_id, '', c.kind, c.sort_name FROM contact_identifiers i
		JOIN contacts c ON c.id = i.contact_id AND c.deleted_at IS NULL
		WHERE i.number_hash IN (SELECT number_hash FROM contact_identifiers GROUP BY number_hash HAVING MIN(contact_id) <> MAX(contact_id))`, false},
	{"same IBAN", `SELECT b.iban_hash, b.contact_id, '', c.kind, c.sort_name FROM contact_bank_accounts b
		JOIN contacts c ON c.id = b.contact_id AND c.deleted_at IS NULL
		WHERE b.iban_hash <> '' AND b.iban_hash IN (SELECT iban_hash FROM contact_bank_accounts WHERE iban_hash <> ''
			GROUP BY iban_hash HAVING MIN(contact_id) <> MAX(contact_id))`, false},
}

// dupNeighbours find similar names among contacts sharing a date of birth
// or a city: each lists (value, kind, folded name, contact) of the
// contacts with that value, in that order. Names a letter or two apart sort
// close together, so each name is compared with the few before it
// (dupWindow) rather than with every contact of a city.
var dupNeighbours = []struct{ reason, q string }{
	{"similar name, same date of birth", `SELECT c.birth_date, c.kind, c.sort_name, c.id FROM contacts c
		WHERE c.deleted_at IS NULL AND c.birth_date <> '' ORDER BY c.birth_date, c.kind, c.sort_name, c.id`},
	{"similar name, same city", `SELECT c.city, c.kind, c.sort_name, c.id FROM contacts c
		WHERE c.deleted_at IS NULL AND c.city <> '' ORDER BY c.city, c.kind, c.sort_name, c.id`},
}

// dupWindow is how many preceding names of the same value and kind each
// name is compared with: a typo that sorts more than this many other names
// away (in a city with many people of the same surname) is found only on
// the record.
const dupWindow = 32

// similarNames says whether two folded names look like one name typed
// twice: the same in short names, at most one letter apart from seven
// letters, two from thirteen ("smyth jonathan" and "smyth jonathon" are;
// "ma bin" and "ma lin", or "吴 勇" and "吴 晨", are not — in a short name,
// or one written in Han characters, one letter makes another name).
func similarNames(a, b string) bool {
	limit := min(2, (min(utf8.RuneCountInString(a), utf8.RuneCountInString(b))-1)/6)
	return levenshtein(a, b, limit) <= limit
}

// ScanDuplicates finds the likely duplicate pairs of the whole book — the
// same email address, ID number or IBAN (by keyed hash), the same phone
// number with similar names, or similar names with the same date of birth
// or city, between contacts of the same kind: the rules of DuplicatesOf —
// and replaces the stored list with them. It returns how many pairs it found.
// It reads the whole book (seconds at a million contacts), so it runs in
// the background (ScanDuplicatesIfDue) or when a user asks.
func (s *Service) ScanDuplicates(ctx context.Context) (int, error) {
	return s.scanDuplicates(ctx)
}

// ScanDuplicatesFor runs ScanDuplicates for a user who asked: one who sees
// the whole book and may change it.
func (s *Service) ScanDuplicatesFor(ctx context.Context, v Viewer) (int, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	if v.OwnOnly && !v.Admin {
		return 0, errs.E(errs.Forbidden, "Checking the whole book for duplicates is for users who see every contact.")
	}
	return s.scanDuplicates(ctx)
}

func (s *Service) scanDuplicates(ctx context.Context) (int, error) {
	found := map[pairKey][]string{}
	for _, src := range dupSources {
		if err := s.scanShared(ctx, src.q+" ORDER BY 1, 4, 2", src.reason, src.similarName, found); err != nil {
			return 0, fmt.Errorf("scan for duplicates (%s): %w", src.reason, err)
		}
	}
	for _, src := range dupNeighbours {
		if err := s.scanNeighbours(ctx, src.q, src.reason, found); err != nil {
			return 0, fmt.Errorf("scan for duplicates (%s): %w", src.reason, err)
		}
	}
	keys := make([]pairKey, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].b < keys[j].b || keys[i].b == keys[j].b && keys[i].a < keys[j].a })
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM duplicate_pairs"); err != nil {
			return err
		}
		const per = 300
		for start := 0; start < len(keys); start += per {
			chunk := keys[start:min(start+per, len(keys))]
			args := make([]any, 0, 4*len(chunk))
			for _, k := range chunk {
				why := found[k]
				sort.Strings(why)
				args = append(args, k.a, k.b, strings.Join(why, "\n"), strength(why))
			}
			q := "INSERT INTO duplicate_pairs (a_id, b_id, reasons, strength) VALUES " + db.Placeholders("(?, ?, ?, ?)", len(chunk))
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return putSetting(ctx, tx, settingDuplicatesScanned, db.Now().UTC().Format(settingTime))
	})
	if err != nil {
		return 0, err
	}
	return len(keys), nil
}

// strength ranks a pair by its strongest reason: 1 a shared email, ID
// number, IBAN or phone, 2 a similar name with the same date of birth, 3 a
// similar name in the same city.
func strength(reasons []string) int {
	best := 3
	for _, r := range reasons {
		switch r {
		case "similar name, same city":
		case "similar name, same date of birth":
			best = min(best, 2)
		default:
			best = 1
		}
	}
	return best
}

// scanShared reads one source's rows (ordered by value, kind, contact) and
// pairs up the contacts of each value and kind.
func (s *Service) scanShared(ctx context.Context, q, reason string, similarName bool, found map[pairKey][]string) error {
	rows, err := s.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	type member struct {
		id   int64
		name string
	}
	var curKey, curKind, shown string
	var members []member
	flush := func() {
		why := strings.TrimSpace(reason + " " + shown)
		for i := 0; i < len(members); i++ {
			for j := i + 1; j < len(members); j++ {
				if similarName && !similarNames(members[i].name, members[j].name) {
					continue
				}
				k := orderPair(members[i].id, members[j].id)
				if !slices.Contains(found[k], why) {
					found[k] = append(found[k], why)
				}
			}
		}
	}
	for rows.Next() {
		var key, show, kind, name string
		var id int64
		if err := rows.Scan(&key, &id, &show, &kind, &name); err != nil {
			return err
		}
		if key != curKey || kind != curKind {
			flush()
			curKey, curKind, shown, members = key, kind, show, members[:0]
		}
		if len(members) < dupGroupCap && (len(members) == 0 || members[len(members)-1].id != id) {
			members = append(members, member{id, name})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

// scanNeighbours reads one neighbourhood source and pairs each contact
// with the preceding ones of the same value and kind whose names are
// similar.
func (s *Service) scanNeighbours(ctx context.Context, q, reason string, found map[pairKey][]string) error {
	rows, err := s.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	type member struct {
		id    int64
		name  string
		runes int
	}
	var curValue, curKind string
	var window []member
	for rows.Next() {
		var value, kind, name string
		var id int64
		if err := rows.Scan(&value, &kind, &name, &id); err != nil {
			return err
		}
		if value != curValue || kind != curKind {
			curValue, curKind, window = value, kind, window[:0]
		}
		n := utf8.RuneCountInString(name)
		if n < 3 {
			continue
		}
		for _, m := range window {
			if m.runes-n <= 2 && n-m.runes <= 2 && similarNames(m.name, name) {
				k := orderPair(m.id, id)
				if !slices.Contains(found[k], reason) {
					found[k] = append(found[k], reason)
				}
			}
		}
		if len(window) == dupWindow {
			window = append(window[:0], window[1:]...)
		}
		window = append(window, member{id, name, n})
	}
	return rows.Err()
}

// ScanDuplicatesIfDue scans for duplicates when the book was never scanned
// or a contact changed since the last scan, and no other instance started a
// scan in the last ten minutes. It reports whether it scanned.
func (s *Service) ScanDuplicatesIfDue(ctx context.Context) (bool, error) {
	last, err := s.DuplicatesScannedAt(ctx)
	if err != nil {
		return false, err
	}
	if !last.IsZero() {
		var changed int
		err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM contacts WHERE updated_at > ? LIMIT 1) x", last).Scan(&changed)
		if err != nil || changed == 0 {
			return false, err
		}
	}
	// Claim the scan, so several instances sharing the database do not all
	// run it: the claim is taken only if the last one is ten minutes old.
	now := db.Now().UTC()
	res, err := s.DB.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value < ?`,
		settingDuplicatesClaim, now.Format(settingTime), now.Add(-10*time.Minute).Format(settingTime))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	_, err = s.ScanDuplicates(ctx)
	return err == nil, err
}

func putSetting(ctx context.Context, tx *db.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
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
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, k.a, k.b, db.NullID(v.UserID), db.Now()); err != nil {
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
