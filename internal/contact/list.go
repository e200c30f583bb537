package contact

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Query is the whole state of the home list: search, filters, advanced
// conditions, sort and page. The web UI keeps it in the URL; the API takes
// the same names.
type Query struct {
	Q        string
	Category int64
	Stage    string
	Owner    int64
	Group    int64
	Tag      string
	// Segment limits to a saved segment's members (its conditions, ANDed
	// with everything else).
	Segment int64
	// Match is "all" or "any" for Conditions.
	Match      string
	Conditions []Condition
	// Sort is a column key, "-" first for descending; "" sorts by name, or
	// by best match when Q is set.
	Sort   string
	Cursor string
	Limit  int

	segment *Segment
}

// Row is one line of the home list.
type Row struct {
	ID           int64
	Kind         Kind
	Name         string
	CategoryID   int64
	Stage        string
	OwnerID      int64
	Email        string
	Phone        string
	City         string
	Tags         []string
	Completeness int
	LastActivity time.Time
	Created      time.Time
	sortName     string
}

// Page is one page of rows and the cursor of the next ("" at the end).
type Page struct {
	Rows       []Row
	NextCursor string
}

// sortColumn is a sortable column of the home list.
type sortColumn struct {
	key   string // as in URLs and the API
	expr  string // SQL
	kind  byte   // 's' string, 'i' integer, 't' time
	label string
	index string // the partial index (column, id) that serves this order
}

// Key is the column's name in URLs and the API.
func (c sortColumn) Key() string { return c.key }

// Label is the column's heading.
func (c sortColumn) Label() string { return c.label }

// SortColumns are the columns the list sorts by, in menu order.
var SortColumns = []sortColumn{
	{"name", "c.sort_name", 's', "Name", "contacts_by_name"},
	{"category", "c.category_id", 'i', "Category", "contacts_by_category_id"},
	{"stage", "c.stage", 's', "Stage", "contacts_by_stage"},
	{"owner", "c.owner_id", 'i', "Owner", "contacts_by_owner_id"},
	{"email", "c.primary_email", 's', "Email", "contacts_by_email"},
	{"phone", "c.primary_phone", 's', "Phone", "contacts_by_phone"},
	{"completeness", "c.completeness", 'i', "Completeness", "contacts_by_completeness"},
	{"tags", "c.tags_text", 's', "Tags", "contacts_by_tags"},
	{"city", "c.city", 's', "City", "contacts_by_city"},
	{"last_activity", "c.last_activity_at", 't', "Last activity", "contacts_by_activity"},
	{"created", "c.created_at", 't', "Created", "contacts_by_created"},
}

// sortAliases are the API's field-style names for the same columns.
var sortAliases = map[string]string{
	"last_name": "name", "sort_name": "name", "display_name": "name", "category_id": "category", "owner_id": "owner",
	"primary_email": "email", "primary_phone": "phone", "last_activity_at": "last_activity", "created_at": "created",
}

func findSort(key string) (sortColumn, bool, error) {
	desc := strings.HasPrefix(key, "-")
	key = strings.TrimPrefix(key, "-")
	if a, ok := sortAliases[key]; ok {
		key = a
	}
	if key == "" {
		key = "name"
	}
	for _, c := range SortColumns {
		if c.key == key {
			return c, desc, nil
		}
	}
	keys := make([]string, len(SortColumns))
	for i, c := range SortColumns {
		keys[i] = c.key
	}
	return sortColumn{}, false, errs.FieldErrors(map[string]string{
		"sort": fmt.Sprintf("unknown sort field %q; sort by one of %s (prefix - for descending)", key, strings.Join(keys, ", ")),
	})
}

// cursor is the keyset position after the last row of a page.
type cursor struct {
	Sort  string `json:"s"`
	Value any    `json:"v"`
	ID    int64  `json:"id"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sortKey string, kind byte) (any, int64, error) {
	bad := errs.FieldErrors(map[string]string{"cursor": "this page link is out of date or damaged; start again from the first page"})
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, 0, bad
	}
	var c cursor
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if err := d.Decode(&c); err != nil || c.Sort != sortKey {
		return nil, 0, bad
	}
	switch kind {
	case 's':
		v, ok := c.Value.(string)
		if !ok {
			return nil, 0, bad
		}
		return v, c.ID, nil
	case 'i':
		n, ok := c.Value.(json.Number)
		if !ok {
			return nil, 0, bad
		}
		v, err := n.Int64()
		if err != nil {
			return nil, 0, bad
		}
		return v, c.ID, nil
	case 't':
		v, ok := c.Value.(string)
		if !ok {
			return nil, 0, bad
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, 0, bad
		}
		return t.UTC(), c.ID, nil
	}
	return nil, 0, bad
}

// MaxLimit is the largest page.
const MaxLimit = 200

const rowColumns = `c.id, c.kind, c.display_name, c.category_id, c.stage, c.owner_id, c.primary_email, c.primary_phone,
	c.city, c.tags_text, c.completeness, c.last_activity_at, c.created_at, c.sort_name`

// scanRow scans the rowColumns of one contact.
func scanRow(row scanner) (Row, error) {
	var r Row
	var kind, tags string
	if err := row.Scan(&r.ID, &kind, &r.Name, &r.CategoryID, &r.Stage, &r.OwnerID, &r.Email, &r.Phone, &r.City, &tags,
		&r.Completeness, &r.LastActivity, &r.Created, &r.sortName); err != nil {
		return Row{}, err
	}
	r.Kind, r.Tags = Kind(kind), splitList(tags)
	return r, nil
}

// searchQuery splits the search box into prefix terms. An email address or
// a phone number is one term.
func searchQuery(q string) []string {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if strings.Contains(q, "@") {
		return []string{norm.Fold(q)}
	}
	digits := 0
	other := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			other++
		}
	}
	if digits >= 3 && other == 0 {
		return []string{strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, q)}
	}
	ts := norm.Terms(q)
	if len(ts) > 4 {
		ts = ts[:4]
	}
	return ts
}

// termsSQL limits contacts c to those with a word starting with each term.
func termsSQL(terms []string) (string, []any) {
	var b strings.Builder
	var args []any
	for _, t := range terms {
		b.WriteString(" AND c.id IN (SELECT t2.contact_id FROM contact_terms t2 WHERE t2.term >= ? AND t2.term < ?)")
		args = append(args, t, prefixEnd(t))
	}
	return b.String(), args
}

// prefixEnd is the smallest string greater than every string starting with p.
func prefixEnd(p string) string { return p + "\U0010FFFF" }

// List returns one page of the contacts v may see that match q.
func (s *Service) List(ctx context.Context, v Viewer, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > MaxLimit {
		return Page{}, errs.FieldErrors(map[string]string{"limit": fmt.Sprintf("at most %d rows per page", MaxLimit)})
	}
	// Someone is waiting for this page: bulk work (an import) pauses.
	defer s.DB.Foreground()()
	return s.list(ctx, v, q)
}

// list is List without the page size limit.
func (s *Service) list(ctx context.Context, v Viewer, q Query) (Page, error) {
	col, desc, err := findSort(q.Sort)
	if err != nil {
		return Page{}, err
	}
	if err := s.resolveSegment(ctx, &q); err != nil {
		return Page{}, err
	}
	where, args, err := s.filters(v, q)
	if err != nil {
		return Page{}, err
	}
	terms := searchQuery(q.Q)
	byMatch := len(terms) > 0 && q.Sort == ""

	var sqlq strings.Builder
	if byMatch {
		// Best match: walk the term index in order from the longest term's
		// prefix, each contact once (at its smallest matching term).
		driver := 0
		for i, t := range terms {
			if len(t) > len(terms[driver]) {
				driver = i
			}
		}
		d := terms[driver]
		sqlq.WriteString("SELECT " + rowColumns + ", t.term FROM contact_terms t JOIN contacts c ON c.id = t.contact_id WHERE t.term >= ? AND t.term < ?")
		a := []any{d, prefixEnd(d)}
		// Each contact once, at its smallest matching word: no smaller
		// word of the same contact matches. (Written as NOT EXISTS, not as
		// "= MIN(…)", so PostgreSQL estimates it well and keeps the ordered
		// index walk.)
		sqlq.WriteString(" AND NOT EXISTS (SELECT 1 FROM contact_terms t3 WHERE t3.contact_id = t.contact_id AND t3.term >= ? AND t3.term < t.term)")
		a = append(a, d)
		for i, t := range terms {
			if i == driver {
				continue
			}
			sqlq.WriteString(" AND EXISTS (SELECT 1 FROM contact_terms t2 WHERE t2.contact_id = c.id AND t2.term >= ? AND t2.term < ?)")
			a = append(a, t, prefixEnd(t))
		}
		if q.Cursor != "" {
			val, id, err := decodeCursor(q.Cursor, "match", 's')
			if err != nil {
				return Page{}, err
			}
			sqlq.WriteString(" AND (t.term > ? OR (t.term = ? AND t.contact_id > ?))")
			a = append(a, val, val, id)
		}
		sqlq.WriteString(where)
		sqlq.WriteString(" ORDER BY t.term, t.contact_id LIMIT ?")
		args = append(append(a, args...), q.Limit+1)
	} else {
		// A deferred join: the inner query walks the order's index and
		// checks the filters there, the outer one reads the page's rows.
		dir := ""
		if desc {
			dir = " DESC"
		}
		order := " ORDER BY " + col.expr + dir + ", c.id" + dir
		sqlq.WriteString("SELECT " + rowColumns + ", '' FROM contacts c JOIN (SELECT c.id FROM contacts c" +
			s.indexFor(v, q, col) + " WHERE 1 = 1")
		w, a := termsSQL(terms)
		sqlq.WriteString(w)
		if q.Cursor != "" {
			val, id, err := decodeCursor(q.Cursor, col.key, col.kind)
			if err != nil {
				return Page{}, err
			}
			op := ">"
			if desc {
				op = "<"
			}
			// A row value comparison is one range seek on the sort index.
			sqlq.WriteString(fmt.Sprintf(" AND (%s, c.id) %s (?, ?)", col.expr, op))
			a = append(a, val, id)
		}
		sqlq.WriteString(where)
		sqlq.WriteString(order + " LIMIT ?) k ON k.id = c.id" + order)
		args = append(append(a, args...), q.Limit+1)
	}
	rows, err := s.DB.QueryContext(ctx, sqlq.String(), args...)
	if err != nil {
		return Page{}, fmt.Errorf("contact: list: %w", err)
	}
	defer rows.Close()
	var p Page
	var lastTerm string
	for rows.Next() {
		var term string
		r, err := scanRow(scanAppend{rows, []any{&term}})
		if err != nil {
			return Page{}, err
		}
		r.LastActivity, r.Created = r.LastActivity.UTC(), r.Created.UTC()
		if len(p.Rows) == q.Limit {
			last := p.Rows[len(p.Rows)-1]
			if byMatch {
				p.NextCursor = encodeCursor(cursor{Sort: "match", Value: lastTerm, ID: last.ID})
			} else {
				p.NextCursor = encodeCursor(cursor{Sort: col.key, Value: sortValue(col, last), ID: last.ID})
			}
			break
		}
		lastTerm = term
		p.Rows = append(p.Rows, r)
	}
	return p, rows.Err()
}

// indexFor picks the index that walks the list in the requested order, so
// the first page costs the same at any size: the sort column's own index,
// or for the name order the owner's or category's when the list is limited
// to one. With a group or tag filter the planner chooses (membership is
// usually the smaller side).
func (s *Service) indexFor(v Viewer, q Query, col sortColumn) string {
	if q.Group != 0 || q.Tag != "" || len(q.Q) > 0 {
		return ""
	}
	ix := col.index
	if col.key == "name" && (len(q.Conditions) > 0 || q.Segment != 0) {
		return s.DB.Dialect.IndexedBy(ix) // it carries the filterable columns
	}
	if col.key == "name" {
		switch {
		case q.Owner != 0 || (v.OwnOnly && !v.Admin):
			ix = "contacts_by_owner"
		case q.Category != 0:
			ix = "contacts_by_category"
		}
	}
	return s.DB.Dialect.IndexedBy(ix)
}

// sortValue is a row's value in the sort column, for the cursor.
func sortValue(col sortColumn, r Row) any {
	switch col.key {
	case "name":
		return r.sortName
	case "category":
		return r.CategoryID
	case "stage":
		return r.Stage
	case "owner":
		return r.OwnerID
	case "email":
		return r.Email
	case "phone":
		return r.Phone
	case "completeness":
		return r.Completeness
	case "tags":
		return strings.Join(r.Tags, ",")
	case "city":
		return r.City
	case "last_activity":
		return r.LastActivity.Format(time.RFC3339Nano)
	case "created":
		return r.Created.Format(time.RFC3339Nano)
	}
	return nil
}

// filters builds the WHERE conditions (each starting with " AND ") shared
// by the list, counts and exports.
func (s *Service) filters(v Viewer, q Query) (string, []any, error) {
	var b strings.Builder
	var args []any
	b.WriteString(" AND c.deleted_at IS NULL")
	cond, a := v.scope()
	b.WriteString(cond)
	args = append(args, a...)
	if q.Category != 0 {
		b.WriteString(" AND c.category_id = ?")
		args = append(args, q.Category)
	}
	if q.Stage != "" {
		if !validOption(Stages, q.Stage) {
			return "", nil, errs.FieldErrors(map[string]string{"stage": fmt.Sprintf("unknown stage %q", q.Stage)})
		}
		b.WriteString(" AND c.stage = ?")
		args = append(args, q.Stage)
	}
	if q.Owner != 0 {
		b.WriteString(" AND c.owner_id = ?")
		args = append(args, q.Owner)
	}
	if q.Group != 0 {
		b.WriteString(" AND c.id IN (SELECT gm.contact_id FROM group_members gm WHERE gm.group_id = ?)")
		args = append(args, q.Group)
	}
	if q.Tag != "" {
		b.WriteString(" AND c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags tg ON tg.id = ct.tag_id WHERE tg.name = ?)")
		args = append(args, strings.ToLower(strings.TrimSpace(q.Tag)))
	}
	if len(q.Conditions) > 0 {
		w, a, err := conditionsSQL(q.Match, q.Conditions)
		if err != nil {
			return "", nil, err
		}
		b.WriteString(" AND (" + w + ")")
		args = append(args, a...)
	}
	if q.segment != nil {
		w, a, err := conditionsSQL(q.segment.Match, q.segment.Conditions)
		if err != nil {
			return "", nil, err
		}
		b.WriteString(" AND (" + w + ")")
		args = append(args, a...)
	}
	return b.String(), args, nil
}

// Count counts the contacts matching q that v may see, up to max (0: no
// limit), for segment sizes and "N selected".
func (s *Service) Count(ctx context.Context, v Viewer, q Query, max int) (int, error) {
	if err := s.resolveSegment(ctx, &q); err != nil {
		return 0, err
	}
	where, args, err := s.filters(v, q)
	if err != nil {
		return 0, err
	}
	terms, termArgs := termsSQL(searchQuery(q.Q))
	inner := "SELECT 1 FROM contacts c WHERE 1 = 1" + terms + where
	args = append(termArgs, args...)
	if max > 0 {
		inner += " LIMIT " + strconv.Itoa(max)
	}
	var n int
	err = s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+inner+") x", args...).Scan(&n)
	return n, err
}
