package contact

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Segment is a saved advanced search whose members are computed when used.
type Segment struct {
	ID         int64
	Name       string
	Match      string
	Conditions []Condition
	CreatedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Segments lists the firm's segments by name.
func (s *Service) Segments(ctx context.Context) ([]Segment, error) {
	return queryAll(ctx, s.DB, scanSegment, "SELECT "+segmentColumns+" FROM segments ORDER BY name")
}

const segmentColumns = "id, name, match, conditions, created_by, created_at, updated_at"

func scanSegment(row scanner) (Segment, error) {
	var g Segment
	var conds string
	var by sql.NullInt64
	if err := row.Scan(&g.ID, &g.Name, &g.Match, &conds, &by, &g.CreatedAt, &g.UpdatedAt); err != nil {
		return Segment{}, err
	}
	g.CreatedBy = by.Int64
	if err := json.Unmarshal([]byte(conds), &g.Conditions); err != nil {
		return Segment{}, err
	}
	return g, nil
}

// GetSegment reads one segment.
func (s *Service) GetSegment(ctx context.Context, id int64) (*Segment, error) {
	g, err := scanSegment(s.DB.QueryRowContext(ctx, "SELECT "+segmentColumns+" FROM segments WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such segment.")
	}
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// SaveSegment creates (id zero) or replaces a segment after checking its
// conditions against the allow-list.
func (s *Service) SaveSegment(ctx context.Context, v Viewer, id int64, name, match string, conds []Condition) (int64, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	fe := errs.Collector{}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		fe.Add("name", "a segment name has 1 to 100 characters")
	}
	if len(conds) == 0 {
		fe.Add("conditions", "add at least one condition")
	}
	if match == "" {
		match = "all"
	}
	if _, _, err := conditionsSQL(match, conds); err != nil {
		for k, m := range errs.FieldsOf(err) {
			fe.Add(k, m)
		}
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	raw, _ := json.Marshal(conds)
	now := db.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		action := "segment.create"
		if id == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO segments (name, match, conditions, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, name, match, string(raw), db.NullID(v.UserID), now, now).Scan(&id)
		} else {
			action = "segment.update"
			var res sql.Result
			res, err = tx.ExecContext(ctx, "UPDATE segments SET name = ?, match = ?, conditions = ?, updated_at = ? WHERE id = ?",
				name, match, string(raw), now, id)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return errs.E(errs.NotFound, "No such segment.")
				}
			}
		}
		if db.IsUniqueViolation(err) {
			return errs.FieldErrors(map[string]string{"name": "a segment with this name already exists"})
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "segment", EntityID: idStr(id), Action: action,
			Changes: []audit.Change{{Field: "name", New: name}, {Field: "conditions", New: string(raw)}}})
	})
	return id, err
}

// DeleteSegment removes a segment (not its contacts).
func (s *Service) DeleteSegment(ctx context.Context, v Viewer, id int64) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM segments WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "No such segment.")
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "segment", EntityID: idStr(id), Action: "segment.delete"})
	})
}

// resolveSegment loads q.Segment's conditions into q.
func (s *Service) resolveSegment(ctx context.Context, q *Query) error {
	if q.Segment == 0 {
		return nil
	}
	g, err := s.GetSegment(ctx, q.Segment)
	if errs.Is(err, errs.NotFound) {
		return errs.FieldErrors(map[string]string{"segment": "no such segment"})
	}
	if err != nil {
		return err
	}
	q.segment = g
	return nil
}

// SavedView is a user's named list state (the home list's URL query).
type SavedView struct {
	ID    int64
	Name  string
	Query string
}

// SavedViews lists a user's saved views.
func (s *Service) SavedViews(ctx context.Context, v Viewer) ([]SavedView, error) {
	return queryAll(ctx, s.DB, func(r scanner) (sv SavedView, err error) {
		err = r.Scan(&sv.ID, &sv.Name, &sv.Query)
		return sv, err
	}, "SELECT id, name, query FROM saved_views WHERE user_id = ? ORDER BY name", v.UserID)
}

// SaveView stores (or replaces, by name) one of v's saved views. The query
// is kept without its page cursor.
func (s *Service) SaveView(ctx context.Context, v Viewer, name, query string) (int64, error) {
	fe := errs.Collector{}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 60 {
		fe.Add("name", "a view name has 1 to 60 characters")
	}
	vals, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil || len(query) > 4000 {
		fe.Add("query", "this list state cannot be saved")
	}
	if err := fe.Err(); err != nil {
		return 0, err
	}
	vals.Del("cursor")
	vals.Del("partial")
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO saved_views (user_id, name, query, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id`,
			v.UserID, name, vals.Encode(), db.Now()).Scan(&id)
	})
	return id, err
}

// DeleteView removes one of v's saved views.
func (s *Service) DeleteView(ctx context.Context, v Viewer, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM saved_views WHERE id = ? AND user_id = ?", id, v.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "No such saved view.")
		}
		return nil
	})
}
