package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

var sysCtx = audit.WithActor(context.Background(), audit.System)

// write appends n entries, one transaction each, and returns their ids in
// order.
func write(t *testing.T, ctx context.Context, d *db.DB, n int) []int64 {
	t.Helper()
	for i := range n {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: strconv.Itoa(i), Action: "contact.update",
				Changes: []audit.Change{{Field: "name", Old: fmt.Sprintf("old %d", i), New: fmt.Sprintf("new %d", i)}}})
		})
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	return ids(t, d)
}

// ids lists every row id of the log, oldest first.
func ids(t *testing.T, d *db.DB) []int64 {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), "SELECT id FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dropAppendOnlyTriggers removes what makes the database refuse edits, as an
// attacker with direct database access could.
func dropAppendOnlyTriggers(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	var stmts []string
	switch d.Dialect.Name() {
	case "sqlite":
		stmts = []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	case "postgres":
		stmts = []string{"DROP TRIGGER audit_log_no_change ON audit_log"}
	default:
		t.Fatalf("unknown dialect %q", d.Dialect.Name())
	}
	for _, s := range stmts {
		if _, err := d.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestWrite_appendsRowsThatVerify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		n, err := audit.Verify(sysCtx, d)
		if n != 0 || err != nil {
			t.Fatalf("empty log: Verify = %d, %v; want 0, nil", n, err)
		}
		got := write(t, sysCtx, d, 20)
		if len(got) != 20 {
			t.Fatalf("rows = %d, want 20", len(got))
		}
		n, err = audit.Verify(sysCtx, d)
		if n != 20 || err != nil {
			t.Fatalf("Verify = %d, %v; want 20, nil", n, err)
		}
	})
}

func TestWrite_chainsEachRowToThePreviousOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 5)
		recs, _, err := audit.List(sysCtx, d, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 5 {
			t.Fatalf("List returned %d rows, want 5", len(recs))
		}
		// List is newest first.
		for i := 0; i < len(recs)-1; i++ {
			if recs[i].PrevHash != recs[i+1].Hash {
				t.Errorf("row %d prev_hash = %q, want hash of row %d %q", recs[i].ID, recs[i].PrevHash, recs[i+1].ID, recs[i+1].Hash)
			}
		}
		first := recs[len(recs)-1]
		if first.PrevHash != "" {
			t.Errorf("first row prev_hash = %q, want empty", first.PrevHash)
		}
		seen := map[string]bool{}
		for _, r := range recs {
			if len(r.Hash) != 64 {
				t.Errorf("row %d hash %q is not a hex SHA-256", r.ID, r.Hash)
			}
			if seen[r.Hash] {
				t.Errorf("row %d repeats hash %q", r.ID, r.Hash)
			}
			seen[r.Hash] = true
		}
	})
}

func TestWrite_recordsTheActorFromTheContext(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		alice := audit.Actor{Type: audit.ActorUser, ID: "7", Name: "Alice <alice@example.com>", Channel: audit.ChannelUI, IP: "203.0.113.9"}
		cases := []struct {
			name string
			ctx  context.Context
			want audit.Actor
		}{
			{"actor in context", audit.WithActor(context.Background(), alice), alice},
			{"no actor falls back to system", context.Background(), audit.System},
		}
		for _, c := range cases {
			err := d.InTx(c.ctx, func(tx *db.Tx) error {
				return audit.Write(c.ctx, tx, audit.Entry{Entity: "contact", EntityID: "1", Action: "contact.view." + c.name})
			})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			recs, _, err := audit.List(sysCtx, d, audit.Filter{Action: "contact.view." + c.name})
			if err != nil || len(recs) != 1 {
				t.Fatalf("%s: List = %d rows, %v", c.name, len(recs), err)
			}
			r := recs[0]
			got := audit.Actor{Type: r.ActorType, ID: r.ActorID, Name: r.ActorName, Channel: r.Channel, IP: r.IP}
			if got != c.want {
				t.Errorf("%s: actor = %+v, want %+v", c.name, got, c.want)
			}
			if time.Since(r.At) > time.Minute || r.At.Location() != time.UTC {
				t.Errorf("%s: at = %v, want a recent UTC time", c.name, r.At)
			}
		}
		if n, err := audit.Verify(sysCtx, d); n != 2 || err != nil {
			t.Fatalf("Verify = %d, %v", n, err)
		}
	})
}

func TestWrite_rolledBackTransactionLeavesNoRow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 2)
		boom := errors.New("boom")
		err := d.InTx(sysCtx, func(tx *db.Tx) error {
			if err := audit.Write(sysCtx, tx, audit.Entry{Entity: "contact", EntityID: "9", Action: "contact.delete"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		write(t, sysCtx, d, 1)
		if n, err := audit.Verify(sysCtx, d); n != 3 || err != nil {
			t.Fatalf("Verify = %d, %v; want 3, nil", n, err)
		}
		recs, _, err := audit.List(sysCtx, d, audit.Filter{Action: "contact.delete"})
		if err != nil || len(recs) != 0 {
			t.Fatalf("rolled back row is visible: %d rows, %v", len(recs), err)
		}
	})
}

const rehash = "edit the action and recompute the row's own hash"

// editAndRehash is a careful forger: it edits a row and gives it the hash
// its new content would have had, so only the next row's link betrays it.
func editAndRehash(t *testing.T, d *db.DB, id int64) {
	t.Helper()
	var r audit.Record
	var at time.Time
	var changes, actorType, channel string
	err := d.QueryRowContext(sysCtx, `SELECT at, actor_type, actor_id, actor_name, channel, ip, entity, entity_id, action, changes_hash, prev_hash
		FROM audit_log WHERE id = ?`, id).Scan(&at, &actorType, &r.ActorID, &r.ActorName, &channel, &r.IP, &r.Entity, &r.EntityID,
		&r.Action, &changes, &r.PrevHash)
	if err != nil {
		t.Fatal(err)
	}
	action := "contact.view"
	content, _ := json.Marshal([]string{at.UTC().Format(time.RFC3339Nano), actorType, r.ActorID, r.ActorName, channel, r.IP,
		r.Entity, r.EntityID, action, changes})
	h := sha256.New()
	h.Write([]byte(r.PrevHash + "\n"))
	h.Write(content)
	if _, err := d.ExecContext(sysCtx, "UPDATE audit_log SET action = ?, hash = ? WHERE id = ?", action, hex.EncodeToString(h.Sum(nil)), id); err != nil {
		t.Fatal(err)
	}
}

// TestVerify_detectsTampering edits or deletes rows after removing the
// append-only triggers; Verify names the first row that no longer holds.
func TestVerify_detectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		sql    string // applied to the row with id ?
		target int    // index (of 10 rows) the SQL is applied to
		wantAt int    // index of the row Verify must name
	}{
		{"edited action", "UPDATE audit_log SET action = 'contact.view' WHERE id = ?", 4, 4},
		{"edited actor", "UPDATE audit_log SET actor_name = 'somebody else' WHERE id = ?", 4, 4},
		{"edited changes", `UPDATE audit_log SET changes = '[{"field":"name","old":"a","new":"b"}]' WHERE id = ?`, 4, 4},
		{"edited entity id", "UPDATE audit_log SET entity_id = '999' WHERE id = ?", 4, 4},
		{"edited ip", "UPDATE audit_log SET ip = '198.51.100.1' WHERE id = ?", 4, 4},
		{"edited first row", "UPDATE audit_log SET action = 'x' WHERE id = ?", 0, 0},
		{"edited last row", "UPDATE audit_log SET action = 'x' WHERE id = ?", 9, 9},
		{"hash overwritten", "UPDATE audit_log SET hash = 'ffff' WHERE id = ?", 4, 4},
		{"prev_hash overwritten", "UPDATE audit_log SET prev_hash = '' WHERE id = ?", 4, 4},
		{"edited and rehashed", rehash, 4, 5},
		{"deleted middle row", "DELETE FROM audit_log WHERE id = ?", 4, 5},
		{"deleted first row", "DELETE FROM audit_log WHERE id = ?", 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, d *db.DB) {
				rows := write(t, sysCtx, d, 10)
				dropAppendOnlyTriggers(t, d)
				if c.sql == rehash {
					editAndRehash(t, d, rows[c.target])
				} else if _, err := d.ExecContext(sysCtx, c.sql, rows[c.target]); err != nil {
					t.Fatalf("tamper: %v", err)
				}
				n, err := audit.Verify(sysCtx, d)
				var b *audit.Broken
				if !errors.As(err, &b) {
					t.Fatalf("Verify = %d, %v; want *audit.Broken", n, err)
				}
				if b.ID != rows[c.wantAt] {
					t.Errorf("Broken.ID = %d, want %d (%s)", b.ID, rows[c.wantAt], b.Reason)
				}
				wantChecked := c.wantAt // every row before the bad one
				if strings.HasPrefix(c.sql, "DELETE") {
					wantChecked-- // one of which is gone
				}
				if n != wantChecked {
					t.Errorf("rows checked before the break = %d, want %d", n, wantChecked)
				}
				if b.Reason == "" || !strings.Contains(b.Error(), strconv.FormatInt(b.ID, 10)) {
					t.Errorf("Broken error %q does not name the row or give a reason", b.Error())
				}
			})
		})
	}
}

func TestVerify_stillHoldsAfterTriggersAreDroppedWithoutEdits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 3)
		dropAppendOnlyTriggers(t, d)
		if n, err := audit.Verify(sysCtx, d); n != 3 || err != nil {
			t.Fatalf("Verify = %d, %v; want 3, nil", n, err)
		}
	})
}

func TestAuditLog_databaseRefusesUpdateAndDelete(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		rows := write(t, sysCtx, d, 3)
		cases := []struct{ name, sql string }{
			{"update one row", "UPDATE audit_log SET action = 'x' WHERE id = ?"},
			{"update hash", "UPDATE audit_log SET hash = '' WHERE id = ?"},
			{"delete one row", "DELETE FROM audit_log WHERE id = ?"},
			{"delete everything", "DELETE FROM audit_log WHERE id >= ?"},
		}
		for _, c := range cases {
			_, err := d.ExecContext(sysCtx, c.sql, rows[1])
			if err == nil {
				t.Errorf("%s: the database accepted it", c.name)
				continue
			}
			if !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: error %v does not say the log is append-only", c.name, err)
			}
			// Inside a transaction too.
			err = d.InTx(sysCtx, func(tx *db.Tx) error {
				_, err := tx.ExecContext(sysCtx, c.sql, rows[1])
				return err
			})
			if err == nil {
				t.Errorf("%s in a transaction: the database accepted it", c.name)
			}
		}
		if n, err := audit.Verify(sysCtx, d); n != 3 || err != nil {
			t.Fatalf("Verify = %d, %v; want 3, nil", n, err)
		}
	})
}

// TestVerify_walksChainAcrossPages writes more rows than Verify reads per
// query (1000) and more than Each reads per page (500).
func TestVerify_walksChainAcrossPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		const total = 1203
		err := d.InTx(sysCtx, func(tx *db.Tx) error {
			for i := range total {
				if err := audit.Write(sysCtx, tx, audit.Entry{Entity: "contact", EntityID: strconv.Itoa(i), Action: "contact.import"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := audit.Verify(sysCtx, d); n != total || err != nil {
			t.Fatalf("Verify = %d, %v; want %d, nil", n, err, total)
		}
		var seen []int64
		err = audit.Each(sysCtx, d, audit.Filter{}, func(r audit.Record) error {
			seen = append(seen, r.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != total {
			t.Fatalf("Each streamed %d rows, want %d", len(seen), total)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] >= seen[i-1] {
				t.Fatalf("Each is not newest first without repeats: %d after %d", seen[i], seen[i-1])
			}
		}
		// Tampering beyond the first Verify page is found too.
		all := ids(t, d)
		dropAppendOnlyTriggers(t, d)
		victim := all[1100]
		if _, err := d.ExecContext(sysCtx, "UPDATE audit_log SET entity_id = 'x' WHERE id = ?", victim); err != nil {
			t.Fatal(err)
		}
		n, err := audit.Verify(sysCtx, d)
		var b *audit.Broken
		if !errors.As(err, &b) || b.ID != victim || n != 1100 {
			t.Fatalf("Verify = %d, %v; want 1100 and Broken at %d", n, err, victim)
		}
	})
}

// listFixture writes 7 rows with different actors, entities and actions,
// and returns a time between the 4th and 5th row.
func listFixture(t *testing.T, d *db.DB) ([]int64, time.Time) {
	var mid time.Time
	t.Helper()
	user5 := audit.Actor{Type: audit.ActorUser, ID: "5", Name: "Five", Channel: audit.ChannelUI}
	user6 := audit.Actor{Type: audit.ActorUser, ID: "6", Name: "Six", Channel: audit.ChannelUI}
	token3 := audit.Actor{Type: audit.ActorToken, ID: "3", Name: "Zapier", Channel: audit.ChannelAPI}
	rows := []struct {
		a audit.Actor
		e audit.Entry
	}{
		{user5, audit.Entry{Entity: "contact", EntityID: "1", Action: "contact.create"}},
		{user5, audit.Entry{Entity: "contact", EntityID: "1", Action: "contact.update"}},
		{user6, audit.Entry{Entity: "contact", EntityID: "2", Action: "contact.create"}},
		{token3, audit.Entry{Entity: "account", EntityID: "1", Action: "account.create"}},
		// mid
		{user5, audit.Entry{Entity: "account", EntityID: "1", Action: "account.update"}},
		{audit.System, audit.Entry{Entity: "user", EntityID: "5", Action: "user.disable"}},
		{user5, audit.Entry{Entity: "contact", EntityID: "2", Action: "contact.update"}},
	}
	for i, r := range rows {
		if i == 4 {
			time.Sleep(5 * time.Millisecond)
			mid = db.Now()
			time.Sleep(5 * time.Millisecond)
		}
		err := d.InTx(sysCtx, func(tx *db.Tx) error { return audit.WriteAs(sysCtx, tx, r.a, r.e) })
		if err != nil {
			t.Fatal(err)
		}
	}
	all := ids(t, d)
	if len(all) != 7 {
		t.Fatalf("fixture has %d rows", len(all))
	}
	return all, mid
}

func TestList_filters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		id, mid := listFixture(t, d)
		// want lists fixture indexes, newest first.
		cases := []struct {
			name string
			f    audit.Filter
			want []int
		}{
			{"no filter", audit.Filter{}, []int{6, 5, 4, 3, 2, 1, 0}},
			{"actor user:5", audit.Filter{Actor: "user:5"}, []int{6, 4, 1, 0}},
			{"actor user:6", audit.Filter{Actor: "user:6"}, []int{2}},
			{"actor type only", audit.Filter{Actor: "user"}, []int{6, 4, 2, 1, 0}},
			{"actor token:3", audit.Filter{Actor: "token:3"}, []int{3}},
			{"actor system", audit.Filter{Actor: "system"}, []int{5}},
			{"actor nobody", audit.Filter{Actor: "user:99"}, nil},
			{"entity", audit.Filter{Entity: "account"}, []int{4, 3}},
			{"entity and id", audit.Filter{Entity: "contact", EntityID: "2"}, []int{6, 2}},
			{"action", audit.Filter{Action: "contact.create"}, []int{2, 0}},
			{"actor and action", audit.Filter{Actor: "user:5", Action: "contact.update"}, []int{6, 1}},
			{"from (inclusive)", audit.Filter{From: mid}, []int{6, 5, 4}},
			{"to (exclusive)", audit.Filter{To: mid}, []int{3, 2, 1, 0}},
			{"from and to", audit.Filter{From: mid.Add(-time.Hour), To: mid}, []int{3, 2, 1, 0}},
			{"future from", audit.Filter{From: time.Now().Add(time.Hour)}, nil},
			{"from in another zone", audit.Filter{From: mid.In(time.FixedZone("X", -5*3600))}, []int{6, 5, 4}},
			{"before cursor", audit.Filter{Before: id[3]}, []int{2, 1, 0}},
			{"limit", audit.Filter{Limit: 2}, []int{6, 5}},
		}
		for _, c := range cases {
			recs, _, err := audit.List(sysCtx, d, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var want, got []int64
			for _, i := range c.want {
				want = append(want, id[i])
			}
			for _, r := range recs {
				got = append(got, r.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: ids = %v, want %v", c.name, got, want)
			}
		}
	})
}

func TestList_keysetPaginationVisitsEveryRowOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		want := write(t, sysCtx, d, 7)
		var pages [][]int64
		var cursors []string
		f := audit.Filter{Limit: 3}
		for range 10 {
			recs, next, err := audit.List(sysCtx, d, f)
			if err != nil {
				t.Fatal(err)
			}
			var page []int64
			for _, r := range recs {
				page = append(page, r.ID)
			}
			pages = append(pages, page)
			cursors = append(cursors, next)
			if next == "" {
				break
			}
			if f.Before, err = strconv.ParseInt(next, 10, 64); err != nil {
				t.Fatalf("cursor %q is not an id", next)
			}
		}
		if len(pages) != 3 {
			t.Fatalf("pages = %v, want 3 pages", pages)
		}
		wantPages := [][]int64{{want[6], want[5], want[4]}, {want[3], want[2], want[1]}, {want[0]}}
		if fmt.Sprint(pages) != fmt.Sprint(wantPages) {
			t.Errorf("pages = %v, want %v", pages, wantPages)
		}
		wantCursors := []string{strconv.FormatInt(want[4], 10), strconv.FormatInt(want[1], 10), ""}
		if fmt.Sprint(cursors) != fmt.Sprint(wantCursors) {
			t.Errorf("cursors = %q, want %q", cursors, wantCursors)
		}
	})
}

func TestList_exactlyFullLastPageHasNoCursor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 6)
		recs, next, err := audit.List(sysCtx, d, audit.Filter{Limit: 3})
		if err != nil || len(recs) != 3 || next == "" {
			t.Fatalf("page 1 = %d rows, next %q, %v", len(recs), next, err)
		}
		before, _ := strconv.ParseInt(next, 10, 64)
		recs, next, err = audit.List(sysCtx, d, audit.Filter{Limit: 3, Before: before})
		if err != nil || len(recs) != 3 || next != "" {
			t.Fatalf("page 2 = %d rows, next %q, %v; want 3 rows and no cursor", len(recs), next, err)
		}
	})
}

func TestList_limitOutOfRangeFallsBackTo50(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 55)
		for _, limit := range []int{0, -1, 501} {
			recs, next, err := audit.List(sysCtx, d, audit.Filter{Limit: limit})
			if err != nil || len(recs) != 50 || next == "" {
				t.Errorf("Limit %d: %d rows, next %q, %v; want 50 and a cursor", limit, len(recs), next, err)
			}
		}
	})
}

func TestEach_streamsEveryMatchingRowNewestFirst(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		id, _ := listFixture(t, d)
		cases := []struct {
			name string
			f    audit.Filter
			want []int
		}{
			{"all", audit.Filter{Limit: 3}, []int{6, 5, 4, 3, 2, 1, 0}},
			{"actor user:5", audit.Filter{Actor: "user:5"}, []int{6, 4, 1, 0}},
			{"nothing", audit.Filter{Action: "nope"}, nil},
		}
		for _, c := range cases {
			var got, want []int64
			err := audit.Each(sysCtx, d, c.f, func(r audit.Record) error {
				got = append(got, r.ID)
				return nil
			})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, i := range c.want {
				want = append(want, id[i])
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: ids = %v, want %v", c.name, got, want)
			}
		}
	})
}

func TestEach_stopsAtTheCallbacksError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		write(t, sysCtx, d, 5)
		stop := errors.New("stop")
		calls := 0
		err := audit.Each(sysCtx, d, audit.Filter{}, func(audit.Record) error {
			calls++
			if calls == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 2 {
			t.Fatalf("Each = %v after %d calls; want stop after 2", err, calls)
		}
	})
}

func TestList_returnsChangesAsWritten(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		changes := []audit.Change{
			{Field: "name", Old: "Ann", New: "Anne"},
			{Field: "note", Old: "", New: "line 1\nline 2 \"quoted\" <b>ünïcode</b>"},
		}
		err := d.InTx(sysCtx, func(tx *db.Tx) error {
			if err := audit.Write(sysCtx, tx, audit.Entry{Entity: "contact", EntityID: "1", Action: "contact.update", Changes: changes}); err != nil {
				return err
			}
			return audit.Write(sysCtx, tx, audit.Entry{Entity: "contact", EntityID: "1", Action: "contact.view"})
		})
		if err != nil {
			t.Fatal(err)
		}
		recs, _, err := audit.List(sysCtx, d, audit.Filter{})
		if err != nil || len(recs) != 2 {
			t.Fatalf("List = %d, %v", len(recs), err)
		}
		if fmt.Sprint(recs[1].Changes) != fmt.Sprint(changes) {
			t.Errorf("changes = %+v, want %+v", recs[1].Changes, changes)
		}
		if recs[0].Changes == nil || len(recs[0].Changes) != 0 {
			t.Errorf("entry without changes reads back as %#v, want an empty list", recs[0].Changes)
		}
		if n, err := audit.Verify(sysCtx, d); n != 2 || err != nil {
			t.Fatalf("Verify = %d, %v", n, err)
		}
	})
}

func TestActionsAndEntities_listDistinctValuesSorted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		listFixture(t, d)
		actions, err := audit.Actions(sysCtx, d)
		if err != nil {
			t.Fatal(err)
		}
		wantA := []string{"account.create", "account.update", "contact.create", "contact.update", "user.disable"}
		if fmt.Sprint(actions) != fmt.Sprint(wantA) {
			t.Errorf("Actions = %v, want %v", actions, wantA)
		}
		entities, err := audit.Entities(sysCtx, d)
		if err != nil {
			t.Fatal(err)
		}
		wantE := []string{"account", "contact", "user"}
		if fmt.Sprint(entities) != fmt.Sprint(wantE) {
			t.Errorf("Entities = %v, want %v", entities, wantE)
		}
	})
}

func TestSensitiveChange_masksAllButLastFour(t *testing.T) {
	cases := []struct {
		name, old, new   string
		wantOld, wantNew string
	}{
		{"tax ids", "123-45-6789", "987-65-4321", "••••6789", "••••4321"},
		{"iban", "DE89370400440532013000", "GB29NWBK60161331926819", "••••3000", "••••6819"},
		{"set from empty", "", "123456789", "", "••••6789"},
		{"short values fully masked", "1234", "12", "••••", "••"},
		{"five characters", "12345", "abcde", "••••2345", "••••bcde"},
		{"unicode counted by character", "ñandú-ñandú", "", "••••andú", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := audit.SensitiveChange("tax_id", c.old, c.new)
			if ch.Field != "tax_id" || ch.Old != c.wantOld || ch.New != c.wantNew {
				t.Errorf("SensitiveChange = %+v, want old %q new %q", ch, c.wantOld, c.wantNew)
			}
		})
	}
}

func TestSensitiveChange_neverStoresTheClearValue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		err := d.InTx(sysCtx, func(tx *db.Tx) error {
			return audit.Write(sysCtx, tx, audit.Entry{Entity: "contact", EntityID: "1", Action: "contact.update",
				Changes: []audit.Change{audit.SensitiveChange("tax_id", "123-45-6789", "987-65-4321")}})
		})
		if err != nil {
			t.Fatal(err)
		}
		var raw string
		if err := d.QueryRowContext(sysCtx, "SELECT changes FROM audit_log").Scan(&raw); err != nil {
			t.Fatal(err)
		}
		for _, clear := range []string{"123-45", "987-65", "123456789", "987654321"} {
			if strings.Contains(raw, clear) {
				t.Errorf("stored changes %q contain %q", raw, clear)
			}
		}
		if !strings.Contains(raw, "6789") || !strings.Contains(raw, "4321") {
			t.Errorf("stored changes %q lack the last four characters", raw)
		}
	})
}

// TestWrite_concurrentWritersKeepTheChain: on PostgreSQL the advisory lock
// must serialise writers, or two rows would share a prev_hash.
func TestWrite_concurrentWritersKeepTheChain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		const writers, each = 8, 20
		var wg sync.WaitGroup
		errc := make(chan error, writers)
		for w := range writers {
			wg.Go(func() {
				ctx := audit.WithActor(context.Background(), audit.Actor{Type: audit.ActorUser, ID: strconv.Itoa(w), Name: "writer", Channel: audit.ChannelAPI})
				for i := range each {
					err := d.InTx(ctx, func(tx *db.Tx) error {
						// Some work in the transaction before and after the
						// write widens the window for interleaving.
						if _, err := tx.ExecContext(ctx, "SELECT 1"); err != nil {
							return err
						}
						if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: strconv.Itoa(i), Action: "contact.update"}); err != nil {
							return err
						}
						_, err := tx.ExecContext(ctx, "SELECT 1")
						return err
					})
					if err != nil {
						errc <- fmt.Errorf("writer %d entry %d: %w", w, i, err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Error(err)
		}
		n, err := audit.Verify(sysCtx, d)
		if n != writers*each || err != nil {
			t.Fatalf("Verify = %d, %v; want %d, nil", n, err, writers*each)
		}
		for w := range writers {
			recs, _, err := audit.List(sysCtx, d, audit.Filter{Actor: "user:" + strconv.Itoa(w), Limit: 500})
			if err != nil || len(recs) != each {
				t.Errorf("writer %d: %d rows, %v; want %d", w, len(recs), err, each)
			}
		}
	})
}
