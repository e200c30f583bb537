package contact

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/norm"
)

// Loader stores many contacts fast, in batches, with set-based inserts
// (COPY on PostgreSQL). It is for generated demo data and bulk loads whose
// caller writes one activity-log entry for the whole load. Contacts are
// assumed valid: call Normalise first for untrusted input.
//
// A Loader assigns ids itself from the current maximum, so only one Loader
// may run against a database at a time.
type Loader struct {
	s         *Service
	ctx       context.Context
	nextID    int64
	now       time.Time
	BatchSize int
	tagIDs    map[string]int64
	added     int
	pending   chan error // the batch being written, if any
	b         batch      // the rows queued
}

var (
	loadContactCols = slices.Concat([]string{"id"}, contactFields,
		[]string{"tags_text", "completeness", "last_activity_at", "version", "created_at", "updated_at", "import_id"})
	loadEmailCols = []string{"contact_id", "label", "address", "address_key", "is_primary"}
	loadPhoneCols = []string{"contact_id", "label", "number", "is_primary"}
	loadAddrCols  = []string{"contact_id", "label", "line1", "line2", "city", "region", "postal_code", "country", "is_primary"}
	loadIdentCols = []string{"contact_id", "kind", "country", "number_sealed", "number_hash", "last4", "expires_on"}
	loadBankCols  = []string{"contact_id", "bank_name", "holder", "iban_sealed", "iban_hash", "iban_last4", "account_sealed",
		"account_hash", "account_last4", "routing_number", "bic", "currency"}
	loadTagCols  = []string{"contact_id", "tag_id"}
	loadRelCols  = []string{"a_id", "b_id", "kind", "label", "reverse_label", "created_at"}
	loadTermCols = []string{"term", "contact_id"}
	// Indexes on contact_id grow at their end during a load (ids only
	// increase), so they stay; the others are built once at the end.
	appendOnlyIndexes = []string{"contact_emails_contact", "contact_phones_contact", "contact_addresses_contact",
		"contact_identifiers_contact", "contact_bank_accounts_contact", "contact_tags_contact", "contact_terms_contact"}
	loadTables = []string{"contacts", "contact_emails", "contact_phones", "contact_addresses", "contact_identifiers",
		"contact_bank_accounts", "contact_tags", "relationships", "contact_terms"}
)

// NewLoader prepares a load after the contacts already stored.
func (s *Service) NewLoader(ctx context.Context) (*Loader, error) {
	l := &Loader{s: s, ctx: ctx, now: db.Now(), BatchSize: 10000, tagIDs: map[string]int64{}}
	if err := s.DB.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM contacts").Scan(&l.nextID); err != nil {
		return nil, err
	}
	if l.nextID == 0 {
		// Into empty tables: build the secondary indexes once at the end.
		if err := s.DB.DeferIndexes(ctx, appendOnlyIndexes, loadTables...); err != nil {
			return nil, err
		}
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT id, name FROM tags")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		l.tagIDs[name] = id
	}
	return l, rows.Err()
}

// Normalise validates c and rewrites its values to canonical forms, as
// Create does.
func Normalise(c *Contact) error { return normalise(c, db.Now()) }

// Add queues c (with c.Tags as its tags) and returns the id it will have.
// linkedPersons is how many persons an entity is linked to, for its
// completeness. created sets the creation time (zero: now).
func (l *Loader) Add(c *Contact, linkedPersons int, created time.Time) (int64, error) {
	l.nextID++
	c.ID = l.nextID
	derive(c)
	if created.IsZero() {
		created = l.now
	}
	if c.Stage == "" {
		c.Stage = DefaultStage
	}
	if c.Currency == "" {
		c.Currency = "USD"
	}
	for _, t := range c.Tags {
		n, err := normTag(t)
		if err != nil {
			return 0, err
		}
		id, ok := l.tagIDs[n]
		if !ok {
			err := l.s.DB.InTx(l.ctx, func(tx *db.Tx) (err error) { id, err = tagID(l.ctx, tx, n); return err })
			if err != nil {
				return 0, err
			}
			l.tagIDs[n] = id
		}
	}
	l.s.appendRows(&l.b, c, linkedPersons, created, l.tagIDs, 0, nil)
	l.added++
	if len(l.b.contacts) >= l.BatchSize {
		return c.ID, l.flushAsync()
	}
	return c.ID, nil
}

// Relate queues a relationship of a built-in kind from a to b.
func (l *Loader) Relate(a, b int64, kind string) error {
	t, ok := relationType(kind)
	if !ok || kind == "custom" {
		return fmt.Errorf("contact: loader: unknown relationship kind %q", kind)
	}
	l.b.rels = append(l.b.rels, []any{a, b, kind, t.Label, t.Reverse, l.now})
	return nil
}

// Added is how many contacts were queued so far.
func (l *Loader) Added() int { return l.added }

// batch is what one transaction stores.
type batch struct{ contacts, emails, phones, addrs, idents, banks, tags, rels, terms [][]any }

// appendRows queues the rows that store c (its id set, derived, with
// defaults filled) in b: the contact (attributed to importID when not
// zero), its lists, tags (ids from tagIDs, which must hold them) and search
// terms (terms when not nil, else Terms(c)). linkedPersons is how many
// persons an entity is linked to, for its completeness.
func (s *Service) appendRows(b *batch, c *Contact, linkedPersons int, created time.Time, tagIDs map[string]int64, importID int64,
	terms []string) {
	var tagNames []string
	for _, t := range c.Tags {
		n, err := normTag(t)
		if err != nil || slices.Contains(tagNames, n) {
			continue
		}
		b.tags = append(b.tags, []any{c.ID, tagIDs[n]})
		tagNames = append(tagNames, n)
	}
	sort.Strings(tagNames)
	c.Tags = tagNames
	c.Completeness, _ = score(c, &facts{linkedPersons: linkedPersons})
	row := appendFields(append(make([]any, 0, len(loadContactCols)), c.ID), c)
	b.contacts = append(b.contacts, append(row, strings.Join(tagNames, ","), c.Completeness, created, 1, created, created, db.NullID(importID)))
	for _, e := range c.Emails {
		b.emails = append(b.emails, []any{c.ID, e.Label, e.Address, norm.EmailKey(e.Address), e.Primary})
	}
	for _, p := range c.Phones {
		b.phones = append(b.phones, []any{c.ID, p.Label, p.Number, p.Primary})
	}
	for _, a := range c.Addresses {
		b.addrs = append(b.addrs, []any{c.ID, a.Label, a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country, a.Primary})
	}
	box := s.Box
	for _, i := range c.Identifiers {
		key := identifierKey(i.Number)
		b.idents = append(b.idents, []any{c.ID, i.Kind, i.Country, box.Seal(i.Number), box.Hash(key), last4(key), i.ExpiresOn})
	}
	for _, a := range c.BankAccounts {
		b.banks = append(b.banks, []any{c.ID, a.BankName, a.Holder, box.Seal(a.IBAN), hashIf(box, a.IBAN), last4(a.IBAN),
			box.Seal(a.AccountNumber), hashIf(box, a.AccountNumber), last4(a.AccountNumber), a.RoutingNumber, a.BIC, a.Currency})
	}
	if terms == nil {
		terms = Terms(c)
	}
	for _, t := range terms {
		b.terms = append(b.terms, []any{t, c.ID})
	}
}

// flushAsync hands the queued rows to a writer goroutine, after the previous
// batch is stored, so generating the next batch overlaps writing this one.
func (l *Loader) flushAsync() error {
	if err := l.wait(); err != nil {
		return err
	}
	if len(l.b.contacts) == 0 && len(l.b.rels) == 0 {
		return nil
	}
	b := l.b
	l.b = batch{}
	l.pending = make(chan error, 1)
	next := l.nextID
	go func() { l.pending <- l.write(b, next) }()
	return nil
}

func (l *Loader) wait() error {
	if l.pending == nil {
		return nil
	}
	err := <-l.pending
	l.pending = nil
	return err
}

// Flush stores everything queued and waits until it is stored.
func (l *Loader) Flush() error {
	if err := l.flushAsync(); err != nil {
		return err
	}
	return l.wait()
}

// Finish stores what is queued and builds any indexes the load deferred.
func (l *Loader) Finish() error {
	if err := l.Flush(); err != nil {
		return err
	}
	return l.s.DB.RestoreIndexes(l.ctx)
}

func (l *Loader) write(b batch, maxID int64) error {
	return l.s.DB.InBulk(l.ctx, func(tx *db.Bulk) error {
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"contacts", loadContactCols, b.contacts}, {"contact_emails", loadEmailCols, b.emails},
			{"contact_phones", loadPhoneCols, b.phones}, {"contact_addresses", loadAddrCols, b.addrs},
			{"contact_identifiers", loadIdentCols, b.idents}, {"contact_bank_accounts", loadBankCols, b.banks},
			{"contact_tags", loadTagCols, b.tags}, {"relationships", loadRelCols, b.rels},
			{"contact_terms", loadTermCols, b.terms},
		} {
			if err := tx.Copy(t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		if l.s.DB.Dialect.Name() == "postgres" {
			return tx.Exec("SELECT setval(pg_get_serial_sequence('contacts', 'id'), ?)", maxID)
		}
		return nil
	})
}
