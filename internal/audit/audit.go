// Package audit owns the activity log: an append-only, hash-chained record of
// who changed what, from where, written in the same transaction as the change.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/secret"
)

// ActorType says what kind of actor made a change.
type ActorType string

const (
	ActorUser   ActorType = "user"
	ActorToken  ActorType = "token"
	ActorPortal ActorType = "portal"
	ActorImport ActorType = "import"
	ActorSystem ActorType = "system"
)

// Channel says through which door a change came in.
type Channel string

const (
	ChannelUI     Channel = "ui"
	ChannelAPI    Channel = "api"
	ChannelPortal Channel = "portal"
	ChannelImport Channel = "import"
	ChannelSystem Channel = "system"
	// ChannelEmail is mail received by BCC logging.
	ChannelEmail Channel = "email"
)

// Actor is who acts, carried in the request context.
type Actor struct {
	Type    ActorType
	ID      string
	Name    string
	Channel Channel
	IP      string
}

// System is the actor of background work and command-line tools.
var System = Actor{Type: ActorSystem, ID: "", Name: "system", Channel: ChannelSystem}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or System.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// Change is one field's old and new value.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// SensitiveChange records a change of a sensitive field with both values
// masked, so the log never holds them in clear.
func SensitiveChange(field, old, new string) Change {
	return Change{Field: field, Old: secret.Mask(old), New: secret.Mask(new)}
}

// Entry is what a caller records.
type Entry struct {
	Entity   string
	EntityID string
	Action   string
	Changes  []Change
}

// Record is one stored row of the log.
type Record struct {
	ID        int64
	At        time.Time
	ActorType ActorType
	ActorID   string
	ActorName string
	Channel   Channel
	IP        string
	Entity    string
	EntityID  string
	Action    string
	Changes   []Change
	PrevHash  string
	Hash      string
	// ChangesHash is the SHA-256 of the changes as written; the row's Hash
	// covers it, so Erase can mask the changes without breaking the chain.
	// Empty on rows written before erasure existed.
	ChangesHash string
	// Erased is when the changes were masked by Erase (zero if never).
	Erased time.Time
}

// Write appends e, attributed to the actor in ctx, inside tx.
func Write(ctx context.Context, tx *db.Tx, e Entry) error {
	return WriteAs(ctx, tx, ActorFrom(ctx), e)
}

// WriteAs appends e attributed to a inside tx. The chain lock is held until
// tx ends, so rows are chained in commit order even across instances.
func WriteAs(ctx context.Context, tx *db.Tx, a Actor, e Entry) error {
	if err := tx.Dialect.Serialize(ctx, tx, db.LockAuditChain); err != nil {
		return fmt.Errorf("audit: lock chain: %w", err)
	}
	var prev string
	err := tx.QueryRowContext(ctx, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	if e.Changes == nil {
		e.Changes = []Change{}
	}
	r := Record{
		At: db.Now(), ActorType: a.Type, ActorID: a.ID, ActorName: a.Name, Channel: a.Channel, IP: a.IP,
		Entity: e.Entity, EntityID: e.EntityID, Action: e.Action, Changes: e.Changes, PrevHash: prev,
	}
	changes, _ := json.Marshal(r.Changes)
	r.ChangesHash = hashChanges(string(changes))
	r.Hash = r.computeHash(r.ChangesHash)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_type, actor_id, actor_name, channel, ip, entity, entity_id, action, changes, prev_hash, hash, changes_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.At, string(r.ActorType), r.ActorID, r.ActorName, string(r.Channel), r.IP, r.Entity, r.EntityID, r.Action,
		string(changes), r.PrevHash, r.Hash, r.ChangesHash)
	if err != nil {
		return fmt.Errorf("audit: append: %w", err)
	}
	return nil
}

func hashChanges(changesJSON string) string {
	sum := sha256.Sum256([]byte(changesJSON))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// computeHash is SHA-256 over the previous row's hash and this row's content,
// where the changes are represented by their hash (or, on rows written before
// changes_hash existed, by the changes themselves).
func (r *Record) computeHash(changes string) string {
	content, _ := json.Marshal([]string{
		r.At.UTC().Format(time.RFC3339Nano), string(r.ActorType), r.ActorID, r.ActorName, string(r.Channel), r.IP,
		r.Entity, r.EntityID, r.Action, changes,
	})
	h := sha256.New()
	h.Write([]byte(r.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

const columns = `id, at, actor_type, actor_id, actor_name, channel, ip, entity, entity_id, action, changes, prev_hash, hash,
	changes_hash, erased_at`

func scan(rows *sql.Rows) (Record, string, error) {
	var r Record
	var at time.Time
	var erased sql.NullTime
	var changes, actorType, channel string
	err := rows.Scan(&r.ID, &at, &actorType, &r.ActorID, &r.ActorName, &channel, &r.IP, &r.Entity, &r.EntityID,
		&r.Action, &changes, &r.PrevHash, &r.Hash, &r.ChangesHash, &erased)
	if err != nil {
		return r, "", err
	}
	r.At = at.UTC()
	if erased.Valid {
		r.Erased = erased.Time.UTC()
	}
	r.ActorType, r.Channel = ActorType(actorType), Channel(channel)
	if err := json.Unmarshal([]byte(changes), &r.Changes); err != nil {
		r.Changes = nil // verification will flag the row
	}
	return r, changes, nil
}

// Broken describes the first row where the chain does not hold.
type Broken struct {
	ID     int64
	Reason string
}

func (b *Broken) Error() string {
	return fmt.Sprintf("activity log row %d does not match: %s", b.ID, b.Reason)
}

// Verify walks the whole chain in order. It returns how many rows it checked
// and, when the chain is broken, a *Broken error naming the first bad row.
func Verify(ctx context.Context, q db.Queryer) (int, error) {
	prev := ""
	var after int64
	checked := 0
	for {
		rows, err := q.QueryContext(ctx, "SELECT "+columns+" FROM audit_log WHERE id > ? ORDER BY id LIMIT 1000", after)
		if err != nil {
			return checked, err
		}
		n := 0
		for rows.Next() {
			r, changes, err := scan(rows)
			if err != nil {
				rows.Close()
				return checked, err
			}
			n++
			after = r.ID
			if r.PrevHash != prev {
				rows.Close()
				return checked, &Broken{ID: r.ID, Reason: "it does not follow the row before it (a row was deleted or altered)"}
			}
			covered := changes
			if r.ChangesHash != "" {
				covered = r.ChangesHash
				if r.Erased.IsZero() && hashChanges(changes) != r.ChangesHash {
					rows.Close()
					return checked, &Broken{ID: r.ID, Reason: "its changes were altered after it was written"}
				}
				if !r.Erased.IsZero() && !allMasked(r.Changes) {
					rows.Close()
					return checked, &Broken{ID: r.ID, Reason: "it is marked erased but holds values that are not masked"}
				}
			} else if !r.Erased.IsZero() {
				rows.Close()
				return checked, &Broken{ID: r.ID, Reason: "it is marked erased but predates erasure"}
			}
			if r.computeHash(covered) != r.Hash {
				rows.Close()
				return checked, &Broken{ID: r.ID, Reason: "its content was changed after it was written"}
			}
			prev = r.Hash
			checked++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return checked, err
		}
		if n == 0 {
			return checked, nil
		}
	}
}

// Erased is what an erased value reads as.
const Erased = "[erased]"

// Erase masks every old and new value in the rows about one entity (a
// contact erased for good), keeping who did what and when. The chain still
// verifies because each row's hash covers the hash of its original changes.
// It returns how many rows it masked.
func Erase(ctx context.Context, tx *db.Tx, entity, entityID string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, changes FROM audit_log
		WHERE entity = ? AND entity_id = ? AND erased_at IS NULL AND changes_hash <> ''`, entity, entityID)
	if err != nil {
		return 0, fmt.Errorf("audit: erase: %w", err)
	}
	type row struct {
		id      int64
		changes string
	}
	var todo []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.changes); err != nil {
			rows.Close()
			return 0, err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	now := db.Now()
	for _, r := range todo {
		var cs []Change
		_ = json.Unmarshal([]byte(r.changes), &cs)
		for i := range cs {
			if cs[i].Old != "" {
				cs[i].Old = Erased
			}
			if cs[i].New != "" {
				cs[i].New = Erased
			}
		}
		if cs == nil {
			cs = []Change{}
		}
		masked, _ := json.Marshal(cs)
		if _, err := tx.ExecContext(ctx, "UPDATE audit_log SET changes = ?, erased_at = ? WHERE id = ?", string(masked), now, r.id); err != nil {
			return 0, fmt.Errorf("audit: erase row %d: %w", r.id, err)
		}
	}
	return len(todo), nil
}

func allMasked(cs []Change) bool {
	if cs == nil {
		return false // unreadable changes
	}
	for _, c := range cs {
		if (c.Old != "" && c.Old != Erased) || (c.New != "" && c.New != Erased) {
			return false
		}
	}
	return true
}

// Filter selects rows of the log. Zero fields do not filter.
type Filter struct {
	Actor    string // "user:12", "token:3", "system", "import:5" …
	Entity   string
	EntityID string
	// EntityIDs matches any of several ids of Entity (a contact and the
	// contacts merged into it).
	EntityIDs []string
	Action    string
	From, To  time.Time // To is exclusive
	Before    int64     // keyset cursor: rows with id < Before
	Limit     int
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Actor != "" {
		typ, id, _ := strings.Cut(f.Actor, ":")
		conds = append(conds, "actor_type = ?")
		args = append(args, typ)
		if id != "" {
			conds = append(conds, "actor_id = ?")
			args = append(args, id)
		}
	}
	if f.Entity != "" {
		conds = append(conds, "entity = ?")
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		conds = append(conds, "entity_id = ?")
		args = append(args, f.EntityID)
	}
	if len(f.EntityIDs) > 0 {
		conds = append(conds, "entity_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.EntityIDs)), ", ")+")")
		for _, id := range f.EntityIDs {
			args = append(args, id)
		}
	}
	if f.Action != "" {
		conds = append(conds, "action = ?")
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		conds = append(conds, "at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds = append(conds, "at < ?")
		args = append(args, f.To.UTC())
	}
	if f.Before > 0 {
		conds = append(conds, "id < ?")
		args = append(args, f.Before)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List returns rows matching f, newest first, and the cursor of the next page
// ("" when there is none).
func List(ctx context.Context, q db.Queryer, f Filter) ([]Record, string, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	where, args := f.where()
	rows, err := q.QueryContext(ctx, "SELECT "+columns+" FROM audit_log"+where+" ORDER BY id DESC LIMIT ?", append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, _, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = strconv.FormatInt(out[len(out)-1].ID, 10)
	}
	return out, next, nil
}

// Each streams every row matching f, newest first, to fn, in pages, so an
// export of any size runs in constant memory.
func Each(ctx context.Context, q db.Queryer, f Filter, fn func(Record) error) error {
	f.Limit = 500
	for {
		page, next, err := List(ctx, q, f)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		f.Before, _ = strconv.ParseInt(next, 10, 64)
	}
}

// Actions lists the distinct actions recorded, for the filter menu.
func Actions(ctx context.Context, q db.Queryer) ([]string, error) {
	return distinct(ctx, q, "action")
}

// Entities lists the distinct entities recorded, for the filter menu.
func Entities(ctx context.Context, q db.Queryer) ([]string, error) {
	return distinct(ctx, q, "entity")
}

func distinct(ctx context.Context, q db.Queryer, col string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT "+col+" FROM audit_log ORDER BY "+col+" LIMIT 500")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
