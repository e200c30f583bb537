package contact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
	"github.com/foliocrm/folio/internal/secret"
)

// Service is the contact store and its rules.
type Service struct {
	DB  *db.DB
	Box *secret.Box
	// LeaseFor is how long an edit lease lasts without a heartbeat.
	LeaseFor time.Duration
}

// New returns a Service with the default two-minute edit lease.
func New(d *db.DB, box *secret.Box) *Service {
	return &Service{DB: d, Box: box, LeaseFor: 2 * time.Minute}
}

// Viewer is who reads or changes contacts, with what limits.
type Viewer struct {
	UserID int64
	Name   string
	// OwnOnly limits the viewer to the contacts they own.
	OwnOnly bool
	// Sensitive is Sensitive Data Access: may reveal encrypted values.
	Sensitive bool
	// Admin may break edit leases, erase contacts and see everyone's.
	Admin bool
	// ReadOnly may look but not change.
	ReadOnly bool
	// Export is the export grant: may download contacts as files.
	Export bool
}

func (v Viewer) canWrite() error {
	if v.ReadOnly {
		return errs.E(errs.Forbidden, "Your access is read-only.")
	}
	return nil
}

// scope is the SQL condition that limits rows of contacts c to what v may see.
func (v Viewer) scope() (string, []any) { return v.ScopeOn("c.") }

// ScopeOn is the SQL condition (" AND …", with its arguments) that limits
// rows of contacts to what v may see, for contacts under an alias prefix
// ("a."), or under none ("") as in an UPDATE.
func (v Viewer) ScopeOn(prefix string) (string, []any) {
	if v.OwnOnly && !v.Admin {
		return " AND " + prefix + "owner_id = ?", []any{v.UserID}
	}
	return "", nil
}

// ErrNotFound is returned for contacts that do not exist or are not visible.
var errNotFound = errs.E(errs.NotFound, "No such contact, or it is not one of yours.")

// MovedError says a contact was merged into another; callers redirect.
type MovedError struct{ To int64 }

func (e *MovedError) Error() string { return fmt.Sprintf("contact merged into %d", e.To) }

const contactColumns = `c.id, c.kind, c.prefix, c.first_name, c.middle_name, c.last_name, c.suffix, c.nickname, c.entity_name,
	c.display_name, c.joint_a_id, c.joint_b_id, c.category_id, c.stage, c.owner_id, c.external_id, c.language, c.time_zone,
	c.birth_date, c.citizenship, c.employment, c.employer, c.occupation, c.income_source, c.annual_income, c.net_worth,
	c.tax_residency, c.markets_traded, c.experience_years, c.trades_per_year, c.qualification, c.risk_tolerance,
	c.investment_objective, c.time_horizon, c.linkedin, c.x_url, c.facebook, c.website, c.invested_minor, c.currency,
	c.primary_email, c.primary_phone, c.city, c.tags_text, c.completeness, c.last_activity_at, c.last_emailed_at,
	c.version, c.created_at, c.updated_at, c.deleted_at, c.erased_at, c.merged_into_id`

func scanContact(row scanner) (*Contact, error) {
	var c Contact
	var kind, markets, tags string
	var jointA, jointB, merged sql.NullInt64
	var emailed, deleted, erased sql.NullTime
	err := row.Scan(&c.ID, &kind, &c.Prefix, &c.FirstName, &c.MiddleName, &c.LastName, &c.Suffix, &c.Nickname,
		&c.EntityName, &c.DisplayName, &jointA, &jointB, &c.CategoryID, &c.Stage, &c.OwnerID, &c.ExternalID,
		&c.Language, &c.TimeZone, &c.BirthDate, &c.Citizenship, &c.Employment, &c.Employer, &c.Occupation,
		&c.IncomeSource, &c.AnnualIncome, &c.NetWorth, &c.TaxResidency, &markets, &c.ExperienceYears, &c.TradesPerYear,
		&c.Qualification, &c.RiskTolerance, &c.InvestmentObjective, &c.TimeHorizon, &c.LinkedIn, &c.XURL, &c.Facebook,
		&c.Website, &c.InvestedMinor, &c.Currency, &c.PrimaryEmail, &c.PrimaryPhone, &c.City, &tags, &c.Completeness,
		&c.LastActivityAt, &emailed, &c.Version, &c.CreatedAt, &c.UpdatedAt, &deleted, &erased, &merged)
	if err != nil {
		return nil, err
	}
	c.Kind = Kind(kind)
	c.JointA, c.JointB, c.MergedInto = jointA.Int64, jointB.Int64, merged.Int64
	c.MarketsTraded = splitList(markets)
	c.Tags = splitList(tags)
	c.LastEmailedAt = nullTime(emailed)
	c.DeletedAt = nullTime(deleted)
	c.ErasedAt = nullTime(erased)
	c.CreatedAt, c.UpdatedAt, c.LastActivityAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), c.LastActivityAt.UTC()
	return &c, nil
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// sortName is what the name column sorts by: folded, last name first.
func sortName(c *Contact) string {
	if c.Kind.IsEntity() {
		return norm.Fold(c.EntityName)
	}
	return norm.Fold(strings.TrimSpace(c.LastName + " " + c.FirstName + " " + c.MiddleName))
}

// Terms are the words search-as-you-type finds c by.
func Terms(c *Contact) []string {
	var out []string
	add := func(ts ...string) {
		for _, t := range ts {
			if t != "" && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	for _, n := range []string{c.FirstName, c.MiddleName, c.LastName, c.Nickname, c.EntityName} {
		add(norm.Terms(n)...)
	}
	for _, e := range c.Emails {
		add(norm.EmailTerms(e.Address)...)
	}
	for _, p := range c.Phones {
		add(norm.PhoneTerms(p.Number)...)
	}
	if c.ExternalID != "" {
		add(norm.Fold(c.ExternalID))
		add(norm.Terms(c.ExternalID)...)
	}
	return out
}

// derive fills the stored, computed columns from c's values.
func derive(c *Contact) {
	c.DisplayName = displayName(c)
	c.PrimaryEmail, c.PrimaryPhone, c.City = "", "", ""
	for _, e := range c.Emails {
		if e.Primary {
			c.PrimaryEmail = e.Address
		}
	}
	for _, p := range c.Phones {
		if p.Primary {
			c.PrimaryPhone = p.Number
		}
	}
	for _, a := range c.Addresses {
		if a.Primary {
			c.City = a.City
		}
	}
}

// contactFields are the columns of contacts that Create, Update and the
// Loader write from a contact's values, in appendFields' order.
var contactFields = []string{"kind", "prefix", "first_name", "middle_name", "last_name", "suffix", "nickname",
	"entity_name", "display_name", "sort_name", "joint_a_id", "joint_b_id", "category_id", "stage", "owner_id",
	"external_id", "language", "time_zone", "birth_date", "citizenship", "employment", "employer", "occupation",
	"income_source", "annual_income", "net_worth", "tax_residency", "markets_traded", "experience_years",
	"trades_per_year", "qualification", "risk_tolerance", "investment_objective", "time_horizon", "linkedin", "x_url",
	"facebook", "website", "invested_minor", "currency", "primary_email", "primary_phone", "city"}

// appendFields appends c's values for contactFields to dst.
func appendFields(dst []any, c *Contact) []any {
	return append(dst, string(c.Kind), c.Prefix, c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.Nickname,
		c.EntityName, c.DisplayName, sortName(c), db.NullID(c.JointA), db.NullID(c.JointB), c.CategoryID, c.Stage, c.OwnerID,
		c.ExternalID, c.Language, c.TimeZone, c.BirthDate, c.Citizenship, c.Employment, c.Employer, c.Occupation,
		c.IncomeSource, c.AnnualIncome, c.NetWorth, c.TaxResidency, strings.Join(c.MarketsTraded, ","),
		c.ExperienceYears, c.TradesPerYear, c.Qualification, c.RiskTolerance, c.InvestmentObjective, c.TimeHorizon,
		c.LinkedIn, c.XURL, c.Facebook, c.Website, c.InvestedMinor, c.Currency, c.PrimaryEmail, c.PrimaryPhone, c.City)
}

var (
	// insertContact takes appendFields, then last_activity_at, created_at
	// and updated_at.
	insertContact = "INSERT INTO contacts (" + strings.Join(contactFields, ", ") +
		", completeness, last_activity_at, version, created_at, updated_at) VALUES (" +
		db.Placeholders("?", len(contactFields)) + ", 0, ?, 1, ?, ?) RETURNING id"
	// updateContact takes appendFields, then last_activity_at, updated_at,
	// the id and the version the edit is based on.
	updateContact = "UPDATE contacts SET " + strings.Join(contactFields, " = ?, ") +
		" = ?, last_activity_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"
)

// writeDetails writes what is stored beside a contact's row: its child
// lists (replacing old's), its search terms and its completeness. Once the
// lists are written c is what is stored, so it is scored as it is rather
// than read back (refreshCompleteness).
func (s *Service) writeDetails(ctx context.Context, tx *db.Tx, c *Contact, old *Contact) error {
	if err := s.writeChildren(ctx, tx, c, old); err != nil {
		return err
	}
	if err := writeTerms(ctx, tx, c.ID, Terms(c)); err != nil {
		return err
	}
	score, _ := s.completeness(ctx, tx, c)
	return storeCompleteness(ctx, tx, c.ID, score)
}

// Create validates and stores a new contact owned by c.OwnerID (the viewer
// when zero), and returns its id.
func (s *Service) Create(ctx context.Context, v Viewer, c *Contact) (int64, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	if c.OwnerID == 0 {
		c.OwnerID = v.UserID
	}
	if v.OwnOnly && !v.Admin && c.OwnerID != v.UserID {
		return 0, errs.FieldErrors(map[string]string{"owner_id": "you can only create contacts you own"})
	}
	now := db.Now()
	if err := s.validate(ctx, v, c, now); err != nil {
		return 0, err
	}
	derive(c)
	c.Version = 1
	c.CreatedAt, c.UpdatedAt, c.LastActivityAt = now, now, now
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.checkRefs(ctx, tx, v, c); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, insertContact, append(appendFields(nil, c), now, now, now)...).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("contact: insert: %w", err)
		}
		if err := s.writeDetails(ctx, tx, c, nil); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(c.ID), Action: "contact.create",
			Changes: diff(nil, c)})
	})
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// validate normalises c and checks what it points to, reporting every
// field's problem at once (the references are checked again inside the
// write transaction).
func (s *Service) validate(ctx context.Context, v Viewer, c *Contact, now time.Time) error {
	err := normalise(c, now)
	if err != nil && !errs.Is(err, errs.Invalid) {
		return err
	}
	refErr := s.checkRefs(ctx, s.DB, v, c)
	if refErr != nil && !errs.Is(refErr, errs.Invalid) {
		return refErr
	}
	if err == nil {
		return refErr
	}
	fields := errs.FieldsOf(err)
	for k, m := range errs.FieldsOf(refErr) {
		if _, ok := fields[k]; !ok {
			fields[k] = m
		}
	}
	return errs.FieldErrors(fields)
}

// checkRefs checks what c points to: its category, its owner (an active
// user) and, for a joint account, its two persons.
func (s *Service) checkRefs(ctx context.Context, tx db.Queryer, v Viewer, c *Contact) error {
	fe := errs.Collector{}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM contact_categories WHERE id = ?", c.CategoryID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		fe.Add("category_id", "choose a category")
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = ? AND disabled_at IS NULL", c.OwnerID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		fe.Add("owner_id", "choose an active user as the owner")
	}
	if c.Kind == Joint {
		for _, id := range []int64{c.JointA, c.JointB} {
			var kind string
			err := tx.QueryRowContext(ctx, "SELECT kind FROM contacts WHERE id = ? AND deleted_at IS NULL", id).Scan(&kind)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				fe.Add("joint", fmt.Sprintf("contact %d does not exist", id))
			case err != nil:
				return err
			case kind != string(Person):
				fe.Add("joint", "a joint account is held by persons, not by entities")
			}
		}
	}
	return fe.Err()
}

// writeChildren replaces the emails, phones, addresses, identifiers and
// bank accounts of c with its current lists. Identifiers and bank accounts
// that come back without a number (it was never revealed) keep the stored
// sealed value.
func (s *Service) writeChildren(ctx context.Context, tx *db.Tx, c *Contact, old *Contact) error {
	if old != nil {
		for _, t := range []string{"contact_emails", "contact_phones", "contact_addresses"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE contact_id = ?", c.ID); err != nil {
				return err
			}
		}
	}
	for _, e := range c.Emails {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_emails (contact_id, label, address, address_key, is_primary)
			VALUES (?, ?, ?, ?, ?)`, c.ID, e.Label, e.Address, norm.EmailKey(e.Address), e.Primary); err != nil {
			return err
		}
	}
	for _, p := range c.Phones {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_phones (contact_id, label, number, is_primary)
			VALUES (?, ?, ?, ?)`, c.ID, p.Label, p.Number, p.Primary); err != nil {
			return err
		}
	}
	for _, a := range c.Addresses {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_addresses (contact_id, label, line1, line2, city, region,
			postal_code, country, is_primary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, a.Label, a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country, a.Primary); err != nil {
			return err
		}
	}
	oldIDs, oldBanks := map[int64]Identifier{}, map[int64]BankAccount{}
	if old != nil {
		for _, i := range old.Identifiers {
			oldIDs[i.ID] = i
		}
		for _, b := range old.BankAccounts {
			oldBanks[b.ID] = b
		}
	}
	for _, i := range c.Identifiers {
		if _, ok := oldIDs[i.ID]; i.ID != 0 && !ok {
			return errs.FieldErrors(map[string]string{"identifiers": fmt.Sprintf("identifier %d is not one of this contact's", i.ID)})
		}
	}
	for _, b := range c.BankAccounts {
		if _, ok := oldBanks[b.ID]; b.ID != 0 && !ok {
			return errs.FieldErrors(map[string]string{"bank_accounts": fmt.Sprintf("bank account %d is not one of this contact's", b.ID)})
		}
	}
	keepID := map[int64]bool{}
	for i := range c.Identifiers {
		id := &c.Identifiers[i]
		if id.ID != 0 && id.Number == "" {
			id.Last4 = oldIDs[id.ID].Last4
			keepID[id.ID] = true
			if _, err := tx.ExecContext(ctx, "UPDATE contact_identifiers SET kind = ?, country = ?, expires_on = ? WHERE id = ? AND contact_id = ?",
				id.Kind, id.Country, id.ExpiresOn, id.ID, c.ID); err != nil {
				return err
			}
			continue
		}
		if id.ID != 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM contact_identifiers WHERE id = ? AND contact_id = ?", id.ID, c.ID); err != nil {
				return err
			}
		}
		id.Last4 = last4(identifierKey(id.Number))
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_identifiers (contact_id, kind, country, number_sealed, number_hash,
			last4, expires_on) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, id.Kind, id.Country, s.Box.Seal(id.Number),
			s.Box.Hash(identifierKey(id.Number)), id.Last4, id.ExpiresOn).Scan(&id.ID)
		if err != nil {
			return err
		}
		keepID[id.ID] = true
	}
	if old != nil {
		for _, id := range old.Identifiers {
			if !keepID[id.ID] {
				if _, err := tx.ExecContext(ctx, "DELETE FROM contact_identifiers WHERE id = ? AND contact_id = ?", id.ID, c.ID); err != nil {
					return err
				}
			}
		}
	}
	keepBank := map[int64]bool{}
	for i := range c.BankAccounts {
		b := &c.BankAccounts[i]
		if b.ID != 0 {
			// Unrevealed numbers stay as stored; a typed number replaces it.
			b.IBANLast4, b.AccountLast4 = oldBanks[b.ID].IBANLast4, oldBanks[b.ID].AccountLast4
			sets := []string{"bank_name = ?", "holder = ?", "routing_number = ?", "bic = ?", "currency = ?"}
			args := []any{b.BankName, b.Holder, b.RoutingNumber, b.BIC, b.Currency}
			if b.IBAN != "" {
				b.IBANLast4 = last4(b.IBAN)
				sets = append(sets, "iban_sealed = ?", "iban_hash = ?", "iban_last4 = ?")
				args = append(args, s.Box.Seal(b.IBAN), s.Box.Hash(b.IBAN), b.IBANLast4)
			}
			if b.AccountNumber != "" {
				b.AccountLast4 = last4(b.AccountNumber)
				sets = append(sets, "account_sealed = ?", "account_hash = ?", "account_last4 = ?")
				args = append(args, s.Box.Seal(b.AccountNumber), s.Box.Hash(b.AccountNumber), b.AccountLast4)
			}
			res, err := tx.ExecContext(ctx, "UPDATE contact_bank_accounts SET "+strings.Join(sets, ", ")+" WHERE id = ? AND contact_id = ?",
				append(args, b.ID, c.ID)...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				keepBank[b.ID] = true
				continue
			}
		}
		b.IBANLast4, b.AccountLast4 = last4(b.IBAN), last4(b.AccountNumber)
		err := tx.QueryRowContext(ctx, `INSERT INTO contact_bank_accounts (contact_id, bank_name, holder, iban_sealed, iban_hash,
			iban_last4, account_sealed, account_hash, account_last4, routing_number, bic, currency)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, b.BankName, b.Holder, s.Box.Seal(b.IBAN),
			hashIf(s.Box, b.IBAN), b.IBANLast4, s.Box.Seal(b.AccountNumber), hashIf(s.Box, b.AccountNumber), b.AccountLast4,
			b.RoutingNumber, b.BIC, b.Currency).Scan(&b.ID)
		if err != nil {
			return err
		}
		keepBank[b.ID] = true
	}
	if old != nil {
		for _, b := range old.BankAccounts {
			if !keepBank[b.ID] {
				if _, err := tx.ExecContext(ctx, "DELETE FROM contact_bank_accounts WHERE id = ? AND contact_id = ?", b.ID, c.ID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func hashIf(b *secret.Box, v string) string {
	if v == "" {
		return ""
	}
	return b.Hash(v)
}

func writeTerms(ctx context.Context, tx *db.Tx, id int64, terms []string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM contact_terms WHERE contact_id = ?", id); err != nil {
		return err
	}
	if len(terms) == 0 {
		return nil
	}
	q := "INSERT INTO contact_terms (term, contact_id) VALUES " + db.Placeholders("(?, ?)", len(terms))
	args := make([]any, 0, 2*len(terms))
	for _, t := range terms {
		args = append(args, t, id)
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// Get reads one contact with its emails, phones, addresses, identifiers
// (masked), bank accounts (masked) and computed views.
func (s *Service) Get(ctx context.Context, v Viewer, id int64) (*Contact, error) {
	return s.get(ctx, s.DB, v, id)
}

func (s *Service) get(ctx context.Context, q db.Queryer, v Viewer, id int64) (*Contact, error) {
	c, err := s.load(ctx, q, v, id)
	if err != nil {
		return c, err
	}
	if err := s.loadValues(ctx, q, c); err != nil {
		return nil, err
	}
	c.Completeness, c.Missing = s.completeness(ctx, q, c)
	return c, nil
}

// load reads one contact with its emails, phones, addresses, identifiers
// and bank accounts, without the computed views of get.
func (s *Service) load(ctx context.Context, q db.Queryer, v Viewer, id int64) (*Contact, error) {
	cond, args := v.scope()
	row := q.QueryRowContext(ctx, `SELECT `+contactColumns+`, u.name, cat.name FROM contacts c
		JOIN users u ON u.id = c.owner_id JOIN contact_categories cat ON cat.id = c.category_id
		WHERE c.id = ?`+cond, append([]any{id}, args...)...)
	var owner, category string
	c, err := scanContact(scanAppend{row, []any{&owner, &category}})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("contact: get %d: %w", id, err)
	}
	c.OwnerName, c.CategoryName = owner, category
	if c.MergedInto != 0 {
		return c, &MovedError{To: c.MergedInto}
	}
	if err := s.loadChildren(ctx, q, c); err != nil {
		return nil, err
	}
	return c, nil
}

// scanAppend scans extra columns after the contact's.
type scanAppend struct {
	row   scanner
	extra []any
}

func (s scanAppend) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }

// appendChild adds one row of the lists query — src 1 an email, 2 a phone,
// 3 an address, 4 an identifier (masked) — to c's lists.
func (c *Contact) appendChild(src int, id int64, primary bool, f [7]string) {
	switch src {
	case 1:
		c.Emails = append(c.Emails, Email{ID: id, Label: f[0], Address: f[1], Primary: primary})
	case 2:
		c.Phones = append(c.Phones, Phone{ID: id, Label: f[0], Number: f[1], Primary: primary})
	case 3:
		c.Addresses = append(c.Addresses, Address{ID: id, Label: f[0], Line1: f[1], Line2: f[2], City: f[3], Region: f[4],
			PostalCode: f[5], Country: f[6], Primary: primary})
	case 4:
		c.Identifiers = append(c.Identifiers, Identifier{ID: id, Kind: f[0], Country: f[1], Last4: f[2], ExpiresOn: f[3]})
	}
}

func (s *Service) loadChildren(ctx context.Context, q db.Queryer, c *Contact) error {
	c.Emails, c.Phones, c.Addresses, c.Identifiers, c.BankAccounts = nil, nil, nil, nil, nil
	// One round trip for all five lists.
	rows, err := q.QueryContext(ctx, `
		SELECT 1, id, is_primary, label, address, '', '', '', '', '' FROM contact_emails WHERE contact_id = ?
		UNION ALL SELECT 2, id, is_primary, label, number, '', '', '', '', '' FROM contact_phones WHERE contact_id = ?
		UNION ALL SELECT 3, id, is_primary, label, line1, line2, city, region, postal_code, country
			FROM contact_addresses WHERE contact_id = ?
		UNION ALL SELECT 4, id, FALSE, kind, country, last4, expires_on, '', '', '' FROM contact_identifiers WHERE contact_id = ?
		UNION ALL SELECT 5, id, FALSE, bank_name, holder, iban_last4, account_last4, routing_number, bic, currency
			FROM contact_bank_accounts WHERE contact_id = ?
		ORDER BY 1, 3 DESC, 2`, c.ID, c.ID, c.ID, c.ID, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var src int
		var id int64
		var primary bool
		var s [7]string
		if err := rows.Scan(&src, &id, &primary, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &s[6]); err != nil {
			return err
		}
		if src <= 4 {
			c.appendChild(src, id, primary, s)
			continue
		}
		switch src {
		case 5:
			c.BankAccounts = append(c.BankAccounts, BankAccount{ID: id, BankName: s[0], Holder: s[1], IBANLast4: s[2],
				AccountLast4: s[3], RoutingNumber: s[4], BIC: s[5], Currency: s[6]})
		}
	}
	return rows.Err()
}

// loadValues computes direct investments and relationship value: the
// contact's own invested amount plus that of every entity it is linked to
// (as a joint holder or by a relationship), each entity once. Entities in
// other currencies are summed per currency beside it, never converted. An
// entity's own relationship value is its direct investments.
func (s *Service) loadValues(ctx context.Context, q db.Queryer, c *Contact) error {
	c.DirectInvested = c.InvestedMinor
	c.RelationshipValue = c.InvestedMinor
	c.RelationshipValueOther = nil
	if c.Kind.IsEntity() {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT e.currency, CAST(SUM(e.invested_minor) AS BIGINT) FROM contacts e
		WHERE e.kind <> 'person' AND e.deleted_at IS NULL AND e.invested_minor <> 0 AND e.id IN (
			SELECT id FROM contacts WHERE joint_a_id = ? OR joint_b_id = ?
			UNION SELECT a_id FROM relationships WHERE b_id = ?
			UNION SELECT b_id FROM relationships WHERE a_id = ?)
		GROUP BY e.currency ORDER BY e.currency`,
		c.ID, c.ID, c.ID, c.ID)
	if err != nil {
		return fmt.Errorf("contact: relationship value: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Amount
		if err := rows.Scan(&a.Currency, &a.Minor); err != nil {
			return fmt.Errorf("contact: relationship value: %w", err)
		}
		if a.Currency == c.Currency {
			c.RelationshipValue += a.Minor
		} else {
			c.RelationshipValueOther = append(c.RelationshipValueOther, a)
		}
	}
	return rows.Err()
}
