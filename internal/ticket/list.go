package ticket

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// Query selects and orders a page of the ticket list.
type Query struct {
	Q        string // words, each found in the title, description or a comment
	Status   string // a status key, "active" (not closed) or "" for all
	Priority string // a priority key or ""
	// Assignee is a user id, "me" (the viewer), "none" (unassigned) or ""
	// for anyone.
	Assignee  string
	ContactID int64
	// Sort is a column key ("updated"), "-" in front for descending;
	// "" is newest change first.
	Sort   string
	Cursor string // from the previous page
	Limit  int    // default 50, at most 200
}

// Page is a page of tickets.
type Page struct {
	Items      []Ticket
	NextCursor string // "" on the last page
}

// MaxLimit is the largest page.
const MaxLimit = 200

// sortKind says how a sort column's cursor value is read back.
type sortKind int

const (
	sortText sortKind = iota
	sortInt
	sortTime
)

type sortColumn struct {
	expr string
	kind sortKind
}

// sorts are the columns the list sorts by: SQL expressions from this
// allow-list only, never from the request.
var sorts = map[string]sortColumn{
	"id":       {"t.id", sortInt},
	"title":    {"t.title_key", sortText},
	"contact":  {"c.sort_name", sortText},
	"status":   {"CASE t.status WHEN 'open' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'on_hold' THEN 2 ELSE 3 END", sortInt},
	"priority": {"CASE t.priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END", sortInt},
	"assignee": {"COALESCE(ua.name, '')", sortText},
	"comments": {"t.comment_count", sortInt},
	"created":  {"t.created_at", sortTime},
	"updated":  {"t.updated_at", sortTime},
}

// DefaultSort is the list's order when none is chosen.
const DefaultSort = "-updated"

// ParseSort splits a sort into its column and direction; an unknown
// column is an Invalid error on "sort".
func ParseSort(s string) (key string, desc bool, err error) {
	if s == "" {
		s = DefaultSort
	}
	key, desc = strings.TrimPrefix(s, "-"), strings.HasPrefix(s, "-")
	if _, ok := sorts[key]; !ok {
		return "", false, errs.FieldErrors(map[string]string{"sort": fmt.Sprintf("Cannot sort by %q; choose one of %s, with - in front for descending.",
			key, strings.Join(ColumnKeys(), ", "))})
	}
	return key, desc, nil
}

type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    int64  `json:"i"`
}

func badCursor() error {
	return errs.FieldErrors(map[string]string{"cursor": "This cursor is not one Folio gave out for this order; start from the first page."})
}

// searchWords are the folded words of a search, as LIKE patterns.
func searchWords(q string) ([]string, error) {
	words := strings.Fields(norm.Fold(q))
	if len(words) > 10 {
		return nil, errs.FieldErrors(map[string]string{"q": "Search for at most 10 words at a time."})
	}
	for i, w := range words {
		words[i] = "%" + likeEscaper.Replace(w) + "%"
	}
	return words, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// List returns a page of the tickets about contacts v sees.
func (s *Service) List(ctx context.Context, v contact.Viewer, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > MaxLimit {
		return Page{}, errs.FieldErrors(map[string]string{"limit": fmt.Sprintf("At most %d tickets per page.", MaxLimit)})
	}
	key, desc, err := ParseSort(q.Sort)
	if err != nil {
		return Page{}, err
	}
	col := sorts[key]
	where, args := "c.erased_at IS NULL", []any{}
	scope, scopeArgs := v.ScopeOn("c.")
	where += scope
	args = append(args, scopeArgs...)
	switch q.Status {
	case "":
	case "active":
		where += " AND t.status <> 'closed'"
	default:
		if err := checkOption("status", "status", Statuses, q.Status); err != nil {
			return Page{}, err
		}
		where += " AND t.status = ?"
		args = append(args, q.Status)
	}
	if q.Priority != "" {
		if err := checkOption("priority", "priority", Priorities, q.Priority); err != nil {
			return Page{}, err
		}
		where += " AND t.priority = ?"
		args = append(args, q.Priority)
	}
	switch q.Assignee {
	case "":
	case "none":
		where += " AND t.assignee_id IS NULL"
	case "me":
		where += " AND t.assignee_id = ?"
		args = append(args, v.UserID)
	default:
		id, err := strconv.ParseInt(q.Assignee, 10, 64)
		if err != nil || id <= 0 {
			return Page{}, errs.FieldErrors(map[string]string{"assignee": "Give a user's id, me or none."})
		}
		where += " AND t.assignee_id = ?"
		args = append(args, id)
	}
	if q.ContactID != 0 {
		where += " AND t.contact_id = ?"
		args = append(args, q.ContactID)
	}
	words, err := searchWords(q.Q)
	if err != nil {
		return Page{}, err
	}
	for _, w := range words {
		where += ` AND (t.search_text LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM ticket_comments cm WHERE cm.ticket_id = t.id AND cm.search_text LIKE ? ESCAPE '\'))`
		args = append(args, w, w)
	}
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	if q.Cursor != "" {
		cur, val, err := decodeCursor(q.Cursor, key, col.kind)
		if err != nil {
			return Page{}, err
		}
		where += fmt.Sprintf(" AND (%s %s ? OR (%s = ? AND t.id %s ?))", col.expr, op, col.expr, op)
		args = append(args, val, val, cur.ID)
	}
	sqlq := "SELECT " + ticketColumns + ", " + col.expr + ticketFrom + " WHERE " + where +
		fmt.Sprintf(" ORDER BY %s %s, t.id %s LIMIT ?", col.expr, dir, dir)
	args = append(args, q.Limit+1)
	rows, err := s.DB.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return Page{}, fmt.Errorf("ticket: list: %w", err)
	}
	defer rows.Close()
	var p Page
	var lastKey any
	for rows.Next() {
		t, sortVal, err := scanListRow(rows)
		if err != nil {
			return Page{}, err
		}
		if len(p.Items) == q.Limit {
			last := p.Items[len(p.Items)-1]
			p.NextCursor = encodeCursor(key, lastKey, last.ID)
			break
		}
		p.Items = append(p.Items, t)
		lastKey = sortVal
	}
	return p, rows.Err()
}

// scanListRow reads a ticket and the value it was sorted by.
func scanListRow(rows interface{ Scan(...any) error }) (Ticket, any, error) {
	var t Ticket
	var closed sql.NullTime
	var sortVal any
	err := rows.Scan(&t.ID, &t.ContactID, &t.ContactName, &t.Title, &t.Description, &t.Priority, &t.Status, &t.AssigneeID, &t.Assignee,
		&t.CreatedByID, &t.CreatedBy, &closed, &t.Comments, &t.Version, &t.CreatedAt, &t.UpdatedAt, &sortVal)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if closed.Valid {
		c := closed.Time.UTC()
		t.ClosedAt = &c
	}
	return t, sortVal, err
}

func encodeCursor(key string, val any, id int64) string {
	var s string
	switch v := val.(type) {
	case time.Time:
		s = v.UTC().Format(time.RFC3339Nano)
	case []byte:
		s = string(v)
	default:
		s = fmt.Sprint(v)
	}
	b, _ := json.Marshal(cursor{Sort: key, Value: s, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c, key string, kind sortKind) (cursor, any, error) {
	var cur cursor
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || json.Unmarshal(raw, &cur) != nil || cur.Sort != key || cur.ID <= 0 {
		return cur, nil, badCursor()
	}
	switch kind {
	case sortInt:
		n, err := strconv.ParseInt(cur.Value, 10, 64)
		if err != nil {
			return cur, nil, badCursor()
		}
		return cur, n, nil
	case sortTime:
		t, err := time.Parse(time.RFC3339Nano, cur.Value)
		if err != nil {
			return cur, nil, badCursor()
		}
		return cur, t, nil
	}
	return cur, cur.Value, nil
}

// CommentQuery selects a page of the comment report.
type CommentQuery struct {
	Q      string // words, each found in the comment
	Cursor string
	Limit  int // default 50, at most 200
}

// CommentPage is a page of the comment report, newest first.
type CommentPage struct {
	Items      []Comment
	NextCursor string
}

// CommentReport lists the comments on tickets about contacts v sees,
// newest first.
func (s *Service) CommentReport(ctx context.Context, v contact.Viewer, q CommentQuery) (CommentPage, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > MaxLimit {
		return CommentPage{}, errs.FieldErrors(map[string]string{"limit": fmt.Sprintf("At most %d comments per page.", MaxLimit)})
	}
	where, args := "c.erased_at IS NULL", []any{}
	scope, scopeArgs := v.ScopeOn("c.")
	where += scope
	args = append(args, scopeArgs...)
	words, err := searchWords(q.Q)
	if err != nil {
		return CommentPage{}, err
	}
	for _, w := range words {
		where += ` AND cm.search_text LIKE ? ESCAPE '\'`
		args = append(args, w)
	}
	if q.Cursor != "" {
		cur, at, err := decodeCursor(q.Cursor, "comments", sortTime)
		if err != nil {
			return CommentPage{}, err
		}
		where += " AND (cm.created_at < ? OR (cm.created_at = ? AND cm.id < ?))"
		args = append(args, at, at, cur.ID)
	}
	args = append(args, q.Limit+1)
	cs, err := queryComments(ctx, s.DB, where+" ORDER BY cm.created_at DESC, cm.id DESC LIMIT ?", args...)
	if err != nil {
		return CommentPage{}, err
	}
	var p CommentPage
	if len(cs) > q.Limit {
		cs = cs[:q.Limit]
		last := cs[len(cs)-1]
		p.NextCursor = encodeCursor("comments", last.CreatedAt, last.ID)
	}
	p.Items = cs
	return p, nil
}

// ContactTickets lists the tickets about one contact v sees (404 when v
// does not see it).
func (s *Service) ContactTickets(ctx context.Context, v contact.Viewer, contactID int64, q Query) (Page, error) {
	if ok, err := sees(ctx, s.DB, v, contactID); err != nil {
		return Page{}, err
	} else if !ok {
		return Page{}, errs.E(errs.NotFound, "No such contact, or it is not one of yours.")
	}
	q.ContactID = contactID
	return s.List(ctx, v, q)
}
