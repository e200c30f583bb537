package contact

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// MatchKey is how an imported row finds the contact it updates.
type MatchKey string

// Match keys. MatchNone creates contacts only: a row whose email already
// belongs to a contact is left alone (unchanged), so importing a file twice
// still adds nothing the second time.
const (
	MatchEmail      MatchKey = "email"
	MatchExternalID MatchKey = "external_id"
	MatchTaxID      MatchKey = "tax_id"
	MatchNone       MatchKey = "none"
)

// MatchKeys lists the keys with their labels, for forms.
var MatchKeys = []Option{
	{string(MatchEmail), "Email address"}, {string(MatchExternalID), "External ID"},
	{string(MatchTaxID), "Tax ID"}, {string(MatchNone), "None: create new contacts only"},
}

// Valid reports whether k is a known key.
func (k MatchKey) Valid() bool { return validOption(MatchKeys, string(k)) && k != "" }

// Outcome is what an import did with one row.
type Outcome int

// Outcomes of an imported row.
const (
	Pending Outcome = iota
	Created
	Updated
	Unchanged
	Rejected
)

// ImportRow is one row of a file being imported.
type ImportRow struct {
	Line int
	// Values holds what the file says. Empty fields were not in the file
	// (or were blank) and leave stored values as they are; Kind is empty
	// when the file does not say. CategoryID and OwnerID are zero when not
	// given. Tags are added to a contact's tags, never removed.
	Values *Contact

	Outcome Outcome
	Reason  string // why it was rejected
	ID      int64  // the contact created or updated
	Changes []audit.Change

	// What PrepareCreate worked out ahead of ImportRows.
	prepared bool
	create   *Contact // Values with defaults, normalised; nil if invalid
	invalid  string   // why Values cannot create a contact
	terms    []string // create's search terms
}

// PrepareCreate does ahead of ImportRows, on any goroutine, the work that
// creating a contact from r would take: defaults from b (whose Rows need
// not be set yet), validation, normalisation and search terms. ImportRows
// uses it when r turns out to create a contact, so an import can prepare
// its next batch while the current one is stored. r.Values is left as it
// is, for a row that updates a contact instead.
func (s *Service) PrepareCreate(r *ImportRow, b *ImportBatch, now time.Time) {
	if r.Values == nil || r.Outcome != Pending {
		return
	}
	c := cloneContact(r.Values)
	r.prepared = true
	if reason := prepareCreate(c, b, now); reason != "" {
		r.invalid = reason
		return
	}
	r.create, r.terms = c, Terms(c)
}

// prepareCreate gives c the defaults of a created contact and validates and
// normalises it, returning why it cannot be created.
func prepareCreate(c *Contact, b *ImportBatch, now time.Time) string {
	if c.Kind == "" {
		c.Kind = Person
	}
	if c.CategoryID == 0 {
		c.CategoryID = b.DefaultCategory
	}
	if c.OwnerID == 0 {
		c.OwnerID = b.DefaultOwner
	}
	if c.Stage == "" {
		c.Stage = DefaultStage
	}
	if c.Currency == "" {
		c.Currency = "USD"
	}
	if err := normalise(c, now); err != nil {
		return describeInvalid(err)
	}
	if err := checkTags(c.Tags); err != nil {
		return err.Error()
	}
	derive(c)
	return ""
}

// cloneContact copies c and its lists.
func cloneContact(c *Contact) *Contact {
	out := *c
	out.Emails, out.Phones, out.Addresses = slices.Clone(c.Emails), slices.Clone(c.Phones), slices.Clone(c.Addresses)
	out.Identifiers, out.BankAccounts = slices.Clone(c.Identifiers), slices.Clone(c.BankAccounts)
	out.Tags, out.MarketsTraded = slices.Clone(c.Tags), slices.Clone(c.MarketsTraded)
	return &out
}

func (r *ImportRow) reject(format string, args ...any) {
	r.Outcome, r.Reason = Rejected, fmt.Sprintf(format, args...)
}

// ImportBatch is a batch of rows of one import, stored in one transaction.
type ImportBatch struct {
	ImportID int64
	Key      MatchKey
	// DefaultCategory and DefaultOwner are given to created contacts that
	// the file gives none.
	DefaultCategory, DefaultOwner int64
	Rows                          []*ImportRow
}

// ImportKeyOf is the value row values c are matched by with key ("" when
// it has none).
func (s *Service) ImportKeyOf(key MatchKey, c *Contact) string { return s.keyOf(key, c) }

// KeyName names a match key in messages.
func KeyName(key MatchKey) string { return keyNames[key] }

// keyOf is the value row r is matched by ("" when it has none).
func (s *Service) keyOf(key MatchKey, c *Contact) string {
	switch key {
	case MatchEmail, MatchNone:
		for _, e := range c.Emails {
			if k := norm.EmailKey(e.Address); k != "" {
				return k
			}
		}
	case MatchExternalID:
		return strings.TrimSpace(c.ExternalID)
	case MatchTaxID:
		for _, i := range c.Identifiers {
			if i.Kind == "tax_id" && i.Number != "" {
				return s.Box.Hash(identifierKey(i.Number))
			}
		}
	}
	return ""
}

type match struct {
	ids      []int64
	owner    int64
	importID int64
}

// lookup finds the live contacts that hold each key value.
func (s *Service) lookup(ctx context.Context, q db.Queryer, key MatchKey, values []string) (map[string]*match, error) {
	out := map[string]*match{}
	var query string
	switch key {
	case MatchEmail, MatchNone:
		query = `SELECT e.address_key, c.id, c.owner_id, COALESCE(c.import_id, 0) FROM contact_emails e
			JOIN contacts c ON c.id = e.contact_id WHERE c.deleted_at IS NULL AND e.address_key IN (%s)`
	case MatchExternalID:
		query = `SELECT c.external_id, c.id, c.owner_id, COALESCE(c.import_id, 0) FROM contacts c
			WHERE c.external_id <> '' AND c.deleted_at IS NULL AND c.external_id IN (%s)`
	case MatchTaxID:
		query = `SELECT i.number_hash, c.id, c.owner_id, COALESCE(c.import_id, 0) FROM contact_identifiers i
			JOIN contacts c ON c.id = i.contact_id WHERE i.kind = 'tax_id' AND c.deleted_at IS NULL AND i.number_hash IN (%s)`
	default:
		return nil, fmt.Errorf("contact: import: unknown key %q", key)
	}
	for start := 0; start < len(values); start += db.IDsPerQuery {
		chunk := values[start:min(start+db.IDsPerQuery, len(values))]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		rows, err := q.QueryContext(ctx, fmt.Sprintf(query, db.Placeholders("?", len(chunk))), args...)
		if err != nil {
			return nil, fmt.Errorf("contact: import: find matches: %w", err)
		}
		for rows.Next() {
			var k string
			var id, owner, imp int64
			if err := rows.Scan(&k, &id, &owner, &imp); err != nil {
				rows.Close()
				return nil, err
			}
			m := out[k]
			if m == nil {
				m = &match{}
				out[k] = m
			}
			if !slices.Contains(m.ids, id) {
				m.ids = append(m.ids, id)
			}
			m.owner, m.importID = owner, imp
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var keyNames = map[MatchKey]string{MatchEmail: "email address", MatchNone: "email address",
	MatchExternalID: "external ID", MatchTaxID: "tax ID"}

// ImportRows decides what to do with each row of b: create, update, leave
// unchanged or reject (with a reason), and — unless tx is nil (a dry run) —
// does it inside tx, a transaction begun with db.InBulkTx. Reads go
// through q (tx itself, or the database for a dry run). Rejected rows never
// stop the batch; an error return means the batch must be rolled back.
func (s *Service) ImportRows(ctx context.Context, q db.Queryer, tx *db.Tx, v Viewer, b *ImportBatch) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	now := db.Now()
	// Match keys, and rows of this batch that repeat a key.
	keyed := map[string]*ImportRow{}
	keys := make([]string, len(b.Rows)) // each row's key value, computed once
	var values []string
	for i, r := range b.Rows {
		if r.Outcome != Pending || r.Values == nil {
			continue
		}
		k := s.keyOf(b.Key, r.Values)
		keys[i] = k
		if k == "" {
			if b.Key != MatchNone {
				r.reject("it has no %s, which is how this import matches rows to contacts (to add it anyway, import with the key None: create only)", keyNames[b.Key])
			}
			continue
		}
		if first, ok := keyed[k]; ok {
			r.reject("it has the same %s as line %d; a contact is imported once per file", keyNames[b.Key], first.Line)
			continue
		}
		keyed[k] = r
		values = append(values, k)
	}
	matches, err := s.lookup(ctx, q, b.Key, values)
	if err != nil {
		return err
	}
	var creates, updates []*ImportRow
	var olds []*Contact
	for i, r := range b.Rows {
		if r.Outcome != Pending || r.Values == nil {
			continue
		}
		m := matches[keys[i]]
		switch {
		case m == nil:
			creates = append(creates, r)
			continue
		case b.Key == MatchNone:
			r.Outcome, r.ID = Unchanged, m.ids[0]
			continue
		case len(m.ids) > 1:
			r.reject("its %s belongs to %d contacts (%s); merge them first", keyNames[b.Key], len(m.ids), joinIDs(m.ids))
			continue
		case m.importID == b.ImportID && b.ImportID != 0:
			r.reject("it has the same %s as an earlier row of this file; a contact is imported once per file", keyNames[b.Key])
			continue
		case v.OwnOnly && !v.Admin && m.owner != v.UserID:
			r.reject("its %s belongs to a contact of another advisor", keyNames[b.Key])
			continue
		}
		old, err := s.load(ctx, q, Viewer{Admin: true}, m.ids[0])
		if err != nil {
			return err
		}
		merged, err := s.mergeImported(ctx, q, old, r, v, now)
		if err != nil {
			return err
		}
		if r.Outcome == Rejected {
			continue
		}
		r.ID = old.ID
		r.Changes = diff(old, merged)
		if !slices.Equal(old.Tags, merged.Tags) {
			r.Changes = append(r.Changes, audit.Change{Field: "tags", Old: strings.Join(old.Tags, ", "), New: strings.Join(merged.Tags, ", ")})
		}
		if len(r.Changes) == 0 {
			r.Outcome = Unchanged
			continue
		}
		r.Outcome = Updated
		r.Values = merged
		updates = append(updates, r)
		olds = append(olds, old)
	}
	for _, r := range creates {
		if !r.prepared {
			s.PrepareCreate(r, b, now)
		}
		if r.invalid != "" {
			r.reject("%s", r.invalid)
			continue
		}
		if v.OwnOnly && !v.Admin && r.create.OwnerID != v.UserID {
			r.reject("you can only import contacts you own (owner)")
			continue
		}
		r.Values = r.create
		r.Outcome = Created
	}
	if tx == nil {
		return nil
	}
	if err := s.insertImported(ctx, tx, b, now); err != nil {
		return err
	}
	for i, r := range updates {
		if err := s.updateImported(ctx, tx, b.ImportID, v.UserID, olds[i], r, now); err != nil {
			return err
		}
	}
	return nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = idStr(id)
	}
	return strings.Join(s, ", ")
}

// describeInvalid turns the field errors of normalise into one sentence.
func describeInvalid(err error) string {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		return err.Error()
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if j := strings.IndexByte(k, '.'); j > 0 {
			name = strings.TrimSuffix(k[:j], "s")
			if n, err := strconv.Atoi(k[j+1:]); err == nil && n > 0 {
				name += " " + strconv.Itoa(n+1)
			}
		}
		parts[i] = strings.ReplaceAll(name, "_", " ") + ": " + fields[k]
	}
	return strings.Join(parts, "; ")
}

func checkTags(tags []string) error {
	n := 0
	for _, t := range tags {
		if strings.TrimSpace(t) == "" {
			continue
		}
		if _, err := normTag(t); err != nil {
			return fmt.Errorf("tags: %s", describeInvalid(err))
		}
		n++
	}
	if n > maxPerList {
		return fmt.Errorf("tags: at most %d tags", maxPerList)
	}
	return nil
}

// mergeImported applies the row's values onto a copy of old: filled fields
// replace, new emails and phones are added, address parts fill the primary
// address, an ID number replaces the one of its kind, tags are added. A
// row that would make the contact invalid is rejected.
func (s *Service) mergeImported(ctx context.Context, q db.Queryer, old *Contact, r *ImportRow, v Viewer, now time.Time) (*Contact, error) {
	in := r.Values
	c := *old
	c.Emails, c.Phones, c.Addresses = slices.Clone(old.Emails), slices.Clone(old.Phones), slices.Clone(old.Addresses)
	c.Identifiers, c.BankAccounts = slices.Clone(old.Identifiers), slices.Clone(old.BankAccounts)
	c.Tags, c.MarketsTraded = slices.Clone(old.Tags), slices.Clone(old.MarketsTraded)
	if in.Kind != "" && in.Kind != old.Kind {
		r.reject("the file says %s but the contact is a %s; change the kind on the contact itself",
			strings.ToLower(in.Kind.Label()), strings.ToLower(old.Kind.Label()))
		return nil, nil
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	for _, p := range []struct {
		dst *string
		v   string
	}{
		{&c.Prefix, in.Prefix}, {&c.FirstName, in.FirstName}, {&c.MiddleName, in.MiddleName}, {&c.LastName, in.LastName},
		{&c.Suffix, in.Suffix}, {&c.Nickname, in.Nickname}, {&c.EntityName, in.EntityName}, {&c.Stage, in.Stage},
		{&c.ExternalID, in.ExternalID}, {&c.Language, in.Language}, {&c.TimeZone, in.TimeZone},
		{&c.BirthDate, in.BirthDate}, {&c.Citizenship, in.Citizenship}, {&c.Employment, in.Employment},
		{&c.Employer, in.Employer}, {&c.Occupation, in.Occupation}, {&c.IncomeSource, in.IncomeSource},
		{&c.AnnualIncome, in.AnnualIncome}, {&c.NetWorth, in.NetWorth}, {&c.TaxResidency, in.TaxResidency},
		{&c.ExperienceYears, in.ExperienceYears}, {&c.TradesPerYear, in.TradesPerYear},
		{&c.Qualification, in.Qualification}, {&c.RiskTolerance, in.RiskTolerance},
		{&c.InvestmentObjective, in.InvestmentObjective}, {&c.TimeHorizon, in.TimeHorizon},
		{&c.LinkedIn, in.LinkedIn}, {&c.XURL, in.XURL}, {&c.Facebook, in.Facebook}, {&c.Website, in.Website},
	} {
		set(p.dst, p.v)
	}
	if len(in.MarketsTraded) > 0 {
		c.MarketsTraded = in.MarketsTraded
	}
	if in.CategoryID != 0 {
		c.CategoryID = in.CategoryID
	}
	if in.OwnerID != 0 {
		if v.OwnOnly && !v.Admin && in.OwnerID != v.UserID {
			r.reject("you can only keep contacts you own (owner)")
			return nil, nil
		}
		c.OwnerID = in.OwnerID
	}
	if in.InvestedMinor != 0 {
		c.InvestedMinor = in.InvestedMinor
	}
	if in.Currency != "" {
		c.Currency = in.Currency
	}
	// The row's own lists are normalised on their own first, so that they
	// compare with the stored (canonical) ones.
	probe := &Contact{Kind: c.Kind, FirstName: "x", LastName: "x", EntityName: "x", Emails: slices.Clone(in.Emails),
		Phones: slices.Clone(in.Phones), Addresses: slices.Clone(in.Addresses), Identifiers: slices.Clone(in.Identifiers)}
	if len(probe.Addresses) == 0 && len(c.Addresses) > 0 {
		probe.Addresses = []Address{{Country: c.Addresses[0].Country}} // phone numbers' region
	}
	if err := normalise(probe, now); err != nil {
		r.reject("%s", describeInvalid(err))
		return nil, nil
	}
	for _, e := range probe.Emails {
		if !slices.ContainsFunc(c.Emails, func(o Email) bool { return norm.EmailKey(o.Address) == norm.EmailKey(e.Address) }) {
			e.Primary = len(c.Emails) == 0
			c.Emails = append(c.Emails, e)
		}
	}
	for _, p := range probe.Phones {
		if !slices.ContainsFunc(c.Phones, func(o Phone) bool { return o.Number == p.Number }) {
			p.Primary = len(c.Phones) == 0
			c.Phones = append(c.Phones, p)
		}
	}
	if len(in.Addresses) > 0 && len(probe.Addresses) > 0 {
		a := probe.Addresses[0]
		if len(c.Addresses) == 0 {
			a.Primary = true
			c.Addresses = append(c.Addresses, a)
		} else {
			i := slices.IndexFunc(c.Addresses, func(o Address) bool { return o.Primary })
			if i < 0 {
				i = 0
			}
			p := &c.Addresses[i]
			set(&p.Line1, a.Line1)
			set(&p.Line2, a.Line2)
			set(&p.City, a.City)
			set(&p.Region, a.Region)
			set(&p.PostalCode, a.PostalCode)
			set(&p.Country, a.Country)
		}
	}
	if len(probe.Identifiers) > 0 {
		type idHash struct {
			id   int64
			hash string
		}
		hashes, err := queryAll(ctx, q, func(row scanner) (idHash, error) {
			var x idHash
			return x, row.Scan(&x.id, &x.hash)
		}, "SELECT id, number_hash FROM contact_identifiers WHERE contact_id = ?", old.ID)
		if err != nil {
			return nil, err
		}
		hashOf := map[int64]string{}
		for _, x := range hashes {
			hashOf[x.id] = x.hash
		}
		for _, id := range probe.Identifiers {
			h := s.Box.Hash(identifierKey(id.Number))
			if slices.ContainsFunc(c.Identifiers, func(o Identifier) bool { return o.Kind == id.Kind && hashOf[o.ID] == h }) {
				continue
			}
			c.Identifiers = slices.DeleteFunc(c.Identifiers, func(o Identifier) bool { return o.Kind == id.Kind })
			id.ID = 0
			c.Identifiers = append(c.Identifiers, id)
		}
	}
	for _, t := range in.Tags {
		n, err := normTag(t)
		if err != nil {
			r.reject("tags: %s", describeInvalid(err))
			return nil, nil
		}
		if !slices.Contains(c.Tags, n) {
			c.Tags = append(c.Tags, n)
		}
	}
	sort.Strings(c.Tags)
	if len(c.Tags) > maxPerList {
		r.reject("tags: at most %d tags", maxPerList)
		return nil, nil
	}
	if err := normalise(&c, now); err != nil {
		r.reject("%s", describeInvalid(err))
		return nil, nil
	}
	derive(&c)
	return &c, nil
}

// insertImported stores the batch's created rows with set-based inserts.
func (s *Service) insertImported(ctx context.Context, tx *db.Tx, b *ImportBatch, now time.Time) error {
	var rows []*ImportRow
	for _, r := range b.Rows {
		if r.Outcome == Created {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	ids, err := tx.Dialect.NextIDs(ctx, tx, "contacts", len(rows))
	if err != nil {
		return fmt.Errorf("contact: import: allocate ids: %w", err)
	}
	tags, err := s.tagIDs(ctx, tx, rows)
	if err != nil {
		return err
	}
	var bt batch
	for i, r := range rows {
		c := r.Values
		c.ID, r.ID = ids[i], ids[i]
		s.appendRows(&bt, c, 0, now, tags, b.ImportID, r.terms)
	}
	cols := loadContactCols
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"contacts", cols, bt.contacts}, {"contact_emails", loadEmailCols, bt.emails},
		{"contact_phones", loadPhoneCols, bt.phones}, {"contact_addresses", loadAddrCols, bt.addrs},
		{"contact_identifiers", loadIdentCols, bt.idents}, {"contact_tags", loadTagCols, bt.tags},
		{"contact_terms", loadTermCols, bt.terms},
	} {
		if err := tx.Copy(ctx, t.table, t.cols, t.rows); err != nil {
			return fmt.Errorf("contact: import: %w", err)
		}
	}
	return nil
}

// tagIDs returns the ids of the tags named by rows, creating missing tags.
func (s *Service) tagIDs(ctx context.Context, tx *db.Tx, rows []*ImportRow) (map[string]int64, error) {
	out := map[string]int64{}
	for _, r := range rows {
		for _, t := range r.Values.Tags {
			n, err := normTag(t)
			if err != nil {
				continue
			}
			if _, ok := out[n]; ok {
				continue
			}
			id, err := tagID(ctx, tx, n)
			if err != nil {
				return nil, err
			}
			out[n] = id
		}
	}
	return out, nil
}

// updateImported writes one updated contact and records what changed.
func (s *Service) updateImported(ctx context.Context, tx *db.Tx, importID, actorID int64, old *Contact, r *ImportRow, now time.Time) error {
	c := r.Values
	res, err := tx.ExecContext(ctx, updateContact+" AND deleted_at IS NULL",
		append(appendFields(nil, c), old.LastActivityAt, now, c.ID, old.Version)...)
	if err != nil {
		return fmt.Errorf("contact: import: update %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		// Changed or trashed since it was read: the batch is retried.
		return errs.E(errs.Conflict, "contact %d changed while the import read it", c.ID)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE contacts SET import_id = ? WHERE id = ?", db.NullID(importID), c.ID); err != nil {
		return err
	}
	if err := s.writeDetails(ctx, tx, c, old); err != nil {
		return err
	}
	if err := recordStageChange(ctx, tx, c.ID, old.Stage, c.Stage, actorID, now); err != nil {
		return err
	}
	if !slices.Equal(c.Tags, old.Tags) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM contact_tags WHERE contact_id = ?", c.ID); err != nil {
			return err
		}
		for _, t := range c.Tags {
			tid, err := tagID(ctx, tx, t)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)", c.ID, tid); err != nil {
				return err
			}
		}
		if _, err := refreshTags(ctx, tx, c.ID); err != nil {
			return err
		}
	}
	if importID == 0 {
		return nil
	}
	changes, _ := json.Marshal(r.Changes)
	_, err = tx.ExecContext(ctx, `INSERT INTO import_updates (import_id, contact_id, changes) VALUES (?, ?, ?)
		ON CONFLICT (import_id, contact_id) DO UPDATE SET changes = excluded.changes`, importID, c.ID, string(changes))
	return err
}

// ImportedBy is the import that last created or changed a contact.
func (s *Service) ImportedBy(ctx context.Context, id int64) (int64, error) {
	var imp sql.NullInt64
	err := s.DB.QueryRowContext(ctx, "SELECT import_id FROM contacts WHERE id = ?", id).Scan(&imp)
	return imp.Int64, err
}

// PrepareBulkImport defers the secondary indexes of the contact tables when
// the book is empty, as the Loader does, so a first import builds them once
// at the end (FinishBulkImport) instead of row by row. The indexes that
// imports look rows up by stay. It reports whether it deferred anything.
func (s *Service) PrepareBulkImport(ctx context.Context) (bool, error) {
	var any int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM contacts LIMIT 1) x").Scan(&any); err != nil {
		return false, err
	}
	if any > 0 {
		return false, nil
	}
	keep := append(slices.Clone(appendOnlyIndexes), "contact_emails_key", "contacts_external_id", "contact_identifiers_hash")
	return true, s.DB.DeferIndexes(ctx, keep, loadTables...)
}

// FinishBulkImport builds the indexes PrepareBulkImport deferred.
func (s *Service) FinishBulkImport(ctx context.Context) error { return s.DB.RestoreIndexes(ctx) }
