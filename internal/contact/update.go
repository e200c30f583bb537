package contact

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Lease is an edit lease: who is editing a contact, since when, until when.
type Lease struct {
	ContactID int64
	UserID    int64
	UserName  string
	Since     time.Time
	Expires   time.Time
}

// LeaseHeld is the cause of a Locked error: somebody else holds the lease.
type LeaseHeld struct{ Lease Lease }

func (e *LeaseHeld) Error() string {
	return fmt.Sprintf("%s is editing this contact since %s", e.Lease.UserName, e.Lease.Since.Format("15:04 MST"))
}

func lockedBy(l Lease) error {
	h := &LeaseHeld{Lease: l}
	return &errs.Error{Code: errs.Locked, Message: h.Error() + ". You can save once they finish or their lock expires.", Err: h}
}

// Stale is the cause of a Conflict error on update: the contact changed
// since the version the edit was based on.
type Stale struct {
	Current *Contact
	// Changes are what others changed since the edit's version, oldest first.
	Changes []audit.Record
}

func (e *Stale) Error() string { return "the contact changed since you opened it" }

// staleSince is the Conflict error of an edit of a contact that is now current.
func staleSince(current *Contact) error {
	return &errs.Error{Code: errs.Conflict, Message: "Someone else changed this contact since you opened it. Review their changes and save again.",
		Err: &Stale{Current: current}}
}

// Acquire takes (or renews) the edit lease of a contact for v. When another
// user holds an unexpired lease it returns that lease and a Locked error.
func (s *Service) Acquire(ctx context.Context, v Viewer, id int64) (Lease, error) {
	if err := v.canWrite(); err != nil {
		return Lease{}, err
	}
	if _, err := s.visible(ctx, s.DB, v, id); err != nil {
		return Lease{}, err
	}
	now := db.Now()
	var l Lease
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO contact_leases (contact_id, user_id, user_name, since, expires_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (contact_id) DO UPDATE SET
				since = CASE WHEN contact_leases.user_id = excluded.user_id THEN contact_leases.since ELSE excluded.since END,
				user_id = excluded.user_id, user_name = excluded.user_name, expires_at = excluded.expires_at
			WHERE contact_leases.user_id = excluded.user_id OR contact_leases.expires_at <= ?`,
			id, v.UserID, v.Name, now, now.Add(s.LeaseFor), now)
		if err != nil {
			return fmt.Errorf("contact: lease: %w", err)
		}
		l, err = currentLease(ctx, tx, id, now)
		return err
	})
	if err != nil {
		return Lease{}, err
	}
	if l.UserID != v.UserID {
		return l, lockedBy(l)
	}
	return l, nil
}

// currentLease reads the unexpired lease of a contact (zero if none).
func currentLease(ctx context.Context, q db.Queryer, id int64, now time.Time) (Lease, error) {
	l := Lease{ContactID: id}
	err := q.QueryRowContext(ctx, `SELECT user_id, user_name, since, expires_at FROM contact_leases
		WHERE contact_id = ? AND expires_at > ?`, id, now).Scan(&l.UserID, &l.UserName, &l.Since, &l.Expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{ContactID: id}, nil
	}
	l.Since, l.Expires = l.Since.UTC(), l.Expires.UTC()
	return l, err
}

// checkLease fails with a Locked error while a user other than v holds the
// edit lease of a contact.
func checkLease(ctx context.Context, q db.Queryer, v Viewer, id int64, now time.Time) error {
	l, err := currentLease(ctx, q, id, now)
	if err != nil {
		return err
	}
	if l.UserID != 0 && l.UserID != v.UserID {
		return lockedBy(l)
	}
	return nil
}

// CurrentLease reports who, if anyone, is editing a contact.
func (s *Service) CurrentLease(ctx context.Context, id int64) (Lease, error) {
	return currentLease(ctx, s.DB, id, db.Now())
}

// Release ends v's lease on a contact (cancel); it is not an error if v held
// none.
func (s *Service) Release(ctx context.Context, v Viewer, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM contact_leases WHERE contact_id = ? AND user_id = ?", id, v.UserID)
		return err
	})
}

// BreakLease ends whoever's lease on a contact (admins only), logged.
func (s *Service) BreakLease(ctx context.Context, v Viewer, id int64) error {
	if !v.Admin {
		return errs.E(errs.Forbidden, "Only an admin can break another user's edit lock.")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		l, err := currentLease(ctx, tx, id, db.Now())
		if err != nil {
			return err
		}
		if l.UserID == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM contact_leases WHERE contact_id = ?", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.lease_break",
			Changes: []audit.Change{{Field: "editor", Old: l.UserName, New: ""}}})
	})
}

// visible checks that a live contact exists and v may see it, returning its
// version.
func (s *Service) visible(ctx context.Context, q db.Queryer, v Viewer, id int64) (int, error) {
	cond, args := v.scope()
	var version int
	var merged sql.NullInt64
	var erased sql.NullTime
	err := q.QueryRowContext(ctx, "SELECT c.version, c.merged_into_id, c.erased_at FROM contacts c WHERE c.id = ?"+cond,
		append([]any{id}, args...)...).Scan(&version, &merged, &erased)
	if errors.Is(err, sql.ErrNoRows) || erased.Valid {
		return 0, errNotFound
	}
	if err != nil {
		return 0, err
	}
	if merged.Valid {
		return 0, &MovedError{To: merged.Int64}
	}
	return version, nil
}

// visibleIDs are those of ids that visible accepts, read at once for bulk
// actions.
func (s *Service) visibleIDs(ctx context.Context, q db.Queryer, v Viewer, ids []int64) (map[int64]bool, error) {
	cond, args := v.scope()
	out := make(map[int64]bool, len(ids))
	err := db.InChunks(ids, func(in string, idArgs []any) error {
		found, err := queryAll(ctx, q, scanOne[int64], "SELECT c.id FROM contacts c WHERE c.id IN ("+in+
			") AND c.erased_at IS NULL AND c.merged_into_id IS NULL"+cond, append(idArgs, args...)...)
		for _, id := range found {
			out[id] = true
		}
		return err
	})
	return out, err
}

// Update saves c over the stored contact. baseVersion is the version the
// edit started from: when the contact changed since, nothing is written and
// a Conflict error carries a *Stale with what changed. While another user
// holds the edit lease, nothing is written and a Locked error says who.
// A successful save ends v's lease.
func (s *Service) Update(ctx context.Context, v Viewer, c *Contact, baseVersion int) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	now := db.Now()
	if err := s.validate(ctx, v, c, now); err != nil {
		return err
	}
	derive(c)
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.get(ctx, tx, v, c.ID)
		if err != nil {
			return err
		}
		if old.ErasedAt != nil {
			return errNotFound
		}
		if old.DeletedAt != nil {
			return errs.E(errs.Conflict, "This contact is in the trash. Restore it before editing.")
		}
		if err := checkLease(ctx, tx, v, c.ID, now); err != nil {
			return err
		}
		if baseVersion != old.Version {
			return staleSince(old)
		}
		if v.OwnOnly && !v.Admin && c.OwnerID != v.UserID {
			return errs.FieldErrors(map[string]string{"owner_id": "you can only keep contacts you own; ask an admin to reassign it"})
		}
		if c.Kind != old.Kind && (c.Kind == Joint || old.Kind == Joint) {
			return errs.FieldErrors(map[string]string{"kind": "a joint account cannot become another kind, or the reverse; create a new contact"})
		}
		if err := s.checkRefs(ctx, tx, v, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, updateContact, append(appendFields(nil, c), now, now, c.ID, baseVersion)...)
		if err != nil {
			return fmt.Errorf("contact: update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleSince(old)
		}
		if err := s.writeDetails(ctx, tx, c, old); err != nil {
			return err
		}
		if err := recordStageChange(ctx, tx, c.ID, old.Stage, c.Stage, v.UserID, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM contact_leases WHERE contact_id = ? AND user_id = ?", c.ID, v.UserID); err != nil {
			return err
		}
		c.Version = baseVersion + 1
		changes := diff(old, c)
		changes = append(changes, audit.Change{Field: "version", Old: strconv.Itoa(baseVersion), New: strconv.Itoa(c.Version)})
		action := "contact.update"
		if old.OwnerID != c.OwnerID {
			action = "contact.update_owner"
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(c.ID), Action: action, Changes: changes})
	})
	var e *errs.Error
	if errors.As(err, &e) {
		var st *Stale
		if errors.As(e.Err, &st) {
			st.Changes, _ = s.changesSince(ctx, c.ID, baseVersion)
		}
	}
	return err
}

// changesSince lists the updates of a contact after version base, from the
// activity log, oldest first.
func (s *Service) changesSince(ctx context.Context, id int64, base int) ([]audit.Record, error) {
	recs, _, err := audit.List(ctx, s.DB, audit.Filter{Entity: "contact", EntityID: idStr(id), Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []audit.Record
	for i := len(recs) - 1; i >= 0; i-- {
		for _, ch := range recs[i].Changes {
			if ch.Field == "version" {
				if n, _ := strconv.Atoi(ch.Old); n >= base {
					out = append(out, recs[i])
				}
			}
		}
	}
	return out, nil
}

// field is one named, printable value of a contact, for the activity log.
type field struct{ name, value string }

func fields(c *Contact) []field {
	if c == nil {
		return nil
	}
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, " ")
	}
	var emails, phones, addrs, ids, banks []string
	for _, e := range c.Emails {
		emails = append(emails, join(e.Label+":", e.Address, primaryMark(e.Primary)))
	}
	for _, p := range c.Phones {
		phones = append(phones, join(p.Label+":", p.Number, primaryMark(p.Primary)))
	}
	for _, a := range c.Addresses {
		addrs = append(addrs, join(a.Label+":", a.OneLine(), primaryMark(a.Primary)))
	}
	for _, i := range c.Identifiers {
		ids = append(ids, join("#"+idStr(i.ID), LabelOf(IdentifierKinds, i.Kind), i.Country, i.Masked(), i.ExpiresOn))
	}
	for _, b := range c.BankAccounts {
		banks = append(banks, join("#"+idStr(b.ID), b.BankName, b.Holder, b.MaskedIBAN(), b.MaskedAccount(), b.RoutingNumber, b.BIC, b.Currency))
	}
	joint := ""
	if c.Kind == Joint {
		joint = idStr(c.JointA) + " & " + idStr(c.JointB)
	}
	return []field{
		{"kind", string(c.Kind)}, {"prefix", c.Prefix}, {"first_name", c.FirstName}, {"middle_name", c.MiddleName},
		{"last_name", c.LastName}, {"suffix", c.Suffix}, {"nickname", c.Nickname}, {"entity_name", c.EntityName},
		{"joint_holders", joint}, {"category_id", idStr(c.CategoryID)}, {"stage", c.Stage},
		{"owner_id", idStr(c.OwnerID)}, {"external_id", c.ExternalID}, {"language", c.Language},
		{"time_zone", c.TimeZone}, {"birth_date", c.BirthDate}, {"citizenship", c.Citizenship},
		{"employment", c.Employment}, {"employer", c.Employer}, {"occupation", c.Occupation},
		{"income_source", c.IncomeSource}, {"annual_income", c.AnnualIncome}, {"net_worth", c.NetWorth},
		{"tax_residency", c.TaxResidency}, {"markets_traded", strings.Join(c.MarketsTraded, ", ")},
		{"experience_years", c.ExperienceYears}, {"trades_per_year", c.TradesPerYear},
		{"qualification", c.Qualification}, {"risk_tolerance", c.RiskTolerance},
		{"investment_objective", c.InvestmentObjective}, {"time_horizon", c.TimeHorizon},
		{"linkedin", c.LinkedIn}, {"x_url", c.XURL}, {"facebook", c.Facebook}, {"website", c.Website},
		{"invested", FormatMoney(c.InvestedMinor, c.Currency)},
		{"emails", strings.Join(emails, "; ")}, {"phones", strings.Join(phones, "; ")},
		{"addresses", strings.Join(addrs, "; ")}, {"identifiers", strings.Join(ids, "; ")},
		{"bank_accounts", strings.Join(banks, "; ")},
	}
}

func primaryMark(p bool) string {
	if p {
		return "(primary)"
	}
	return ""
}

// diff lists the fields whose printable value differs between old and new
// (old nil: every filled field of new). Sensitive values are already masked.
func diff(old, new *Contact) []audit.Change {
	of := fields(old)
	var out []audit.Change
	for i, f := range fields(new) {
		o := ""
		if of != nil {
			o = of[i].value
		}
		if o != f.value {
			out = append(out, audit.Change{Field: f.name, Old: o, New: f.value})
		}
	}
	return out
}

// FormatMoney prints minor units with two decimals and the currency code.
func FormatMoney(minor int64, currency string) string {
	if minor == 0 {
		return ""
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	whole := strconv.FormatInt(minor/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s%s.%02d %s", sign, b.String(), minor%100, currency)
}
