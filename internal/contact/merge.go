package contact

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

// MergeFields are the single-valued fields a merge chooses between.
var MergeFields = []string{"prefix", "first_name", "middle_name", "last_name", "suffix", "nickname", "entity_name",
	"category_id", "stage", "owner_id", "external_id", "language", "time_zone", "birth_date", "citizenship", "employment",
	"employer", "occupation", "income_source", "annual_income", "net_worth", "tax_residency", "markets_traded",
	"experience_years", "trades_per_year", "qualification", "risk_tolerance", "investment_objective", "time_horizon",
	"linkedin", "x_url", "facebook", "website", "invested"}

// takeField copies one field from src to dst.
func takeField(dst, src *Contact, f string) {
	switch f {
	case "prefix":
		dst.Prefix = src.Prefix
	case "first_name":
		dst.FirstName = src.FirstName
	case "middle_name":
		dst.MiddleName = src.MiddleName
	case "last_name":
		dst.LastName = src.LastName
	case "suffix":
		dst.Suffix = src.Suffix
	case "nickname":
		dst.Nickname = src.Nickname
	case "entity_name":
		dst.EntityName = src.EntityName
	case "category_id":
		dst.CategoryID = src.CategoryID
	case "stage":
		dst.Stage = src.Stage
	case "owner_id":
		dst.OwnerID = src.OwnerID
	case "external_id":
		dst.ExternalID = src.ExternalID
	case "language":
		dst.Language = src.Language
	case "time_zone":
		dst.TimeZone = src.TimeZone
	case "birth_date":
		dst.BirthDate = src.BirthDate
	case "citizenship":
		dst.Citizenship = src.Citizenship
	case "employment":
		dst.Employment = src.Employment
	case "employer":
		dst.Employer = src.Employer
	case "occupation":
		dst.Occupation = src.Occupation
	case "income_source":
		dst.IncomeSource = src.IncomeSource
	case "annual_income":
		dst.AnnualIncome = src.AnnualIncome
	case "net_worth":
		dst.NetWorth = src.NetWorth
	case "tax_residency":
		dst.TaxResidency = src.TaxResidency
	case "markets_traded":
		dst.MarketsTraded = src.MarketsTraded
	case "experience_years":
		dst.ExperienceYears = src.ExperienceYears
	case "trades_per_year":
		dst.TradesPerYear = src.TradesPerYear
	case "qualification":
		dst.Qualification = src.Qualification
	case "risk_tolerance":
		dst.RiskTolerance = src.RiskTolerance
	case "investment_objective":
		dst.InvestmentObjective = src.InvestmentObjective
	case "time_horizon":
		dst.TimeHorizon = src.TimeHorizon
	case "linkedin":
		dst.LinkedIn = src.LinkedIn
	case "x_url":
		dst.XURL = src.XURL
	case "facebook":
		dst.Facebook = src.Facebook
	case "website":
		dst.Website = src.Website
	case "invested":
		dst.InvestedMinor, dst.Currency = src.InvestedMinor, src.Currency
	}
}

// MergeBase is the versions of the two contacts a merge's choices were made
// on; zero skips that contact's check.
type MergeBase struct{ Survivor, Other int }

// Merge folds contact other into survivor. For each field in MergeFields,
// take says which side's value to keep ("other"; anything else keeps the
// survivor's). Every email, phone, address, identifier, bank account,
// document, tag, group membership and relationship of both is kept;
// the history of both stays and the record shows it; other's id redirects
// to the survivor from then on. Logged on both. A contact changed since its
// version in base is a conflict: the choices were made on other values.
func (s *Service) Merge(ctx context.Context, v Viewer, survivor, other int64, take map[string]string, base MergeBase) error {
	if err := v.canWrite(); err != nil {
		return err
	}
	if survivor == other {
		return errs.E(errs.Invalid, "Choose two different contacts to merge.")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.get(ctx, tx, v, survivor)
		if err != nil {
			return err
		}
		b, err := s.get(ctx, tx, v, other)
		if err != nil {
			return err
		}
		if a.DeletedAt != nil || b.DeletedAt != nil {
			return errs.E(errs.Conflict, "Restore both contacts from the trash before merging them.")
		}
		for _, c := range []struct {
			got  *Contact
			want int
		}{{a, base.Survivor}, {b, base.Other}} {
			if c.want != 0 && c.got.Version != c.want {
				return errs.E(errs.Conflict, "%s was changed since you chose what to keep (version %d, now %d). "+
					"Check the values again and merge.", c.got.Name(), c.want, c.got.Version)
			}
		}
		if (a.Kind == Joint) != (b.Kind == Joint) || (a.Kind == Person) != (b.Kind == Person) {
			return errs.E(errs.Invalid, "Only two persons, or two entities of compatible kinds, can be merged.")
		}
		for _, id := range []int64{survivor, other} {
			if err := checkLease(ctx, tx, v, id, db.Now()); err != nil {
				return err
			}
		}
		before := *a
		for _, f := range MergeFields {
			if take[f] == "other" {
				takeField(a, b, f)
			}
		}
		if v.OwnOnly && !v.Admin && a.OwnerID != v.UserID {
			return errs.FieldErrors(map[string]string{"owner_id": "you can only keep contacts you own"})
		}
		// Lists: keep everything, without repeating an address or number.
		seen := map[string]bool{}
		for _, e := range a.Emails {
			seen[norm.EmailKey(e.Address)] = true
		}
		for _, e := range b.Emails {
			if !seen[norm.EmailKey(e.Address)] {
				e.Primary = false
				a.Emails = append(a.Emails, e)
			}
		}
		for _, p := range a.Phones {
			seen[p.Number] = true
		}
		for _, p := range b.Phones {
			if !seen[p.Number] {
				p.Primary = false
				a.Phones = append(a.Phones, p)
			}
		}
		for _, ad := range b.Addresses {
			ad.Primary = false
			a.Addresses = append(a.Addresses, ad)
		}
		derive(a)
		a.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET prefix = ?, first_name = ?, middle_name = ?, last_name = ?,
			suffix = ?, nickname = ?, entity_name = ?, display_name = ?, sort_name = ?, category_id = ?, stage = ?,
			owner_id = ?, external_id = ?, language = ?, time_zone = ?, birth_date = ?, citizenship = ?, employment = ?,
			employer = ?, occupation = ?, income_source = ?, annual_income = ?, net_worth = ?, tax_residency = ?,
			markets_traded = ?, experience_years = ?, trades_per_year = ?, qualification = ?, risk_tolerance = ?,
			investment_objective = ?, time_horizon = ?, linkedin = ?, x_url = ?, facebook = ?, website = ?,
			invested_minor = ?, currency = ?, primary_email = ?, primary_phone = ?, city = ?, version = version + 1,
			updated_at = ?, last_activity_at = ? WHERE id = ?`,
			a.Prefix, a.FirstName, a.MiddleName, a.LastName, a.Suffix, a.Nickname, a.EntityName, a.DisplayName, sortName(a),
			a.CategoryID, a.Stage, a.OwnerID, a.ExternalID, a.Language, a.TimeZone, a.BirthDate, a.Citizenship,
			a.Employment, a.Employer, a.Occupation, a.IncomeSource, a.AnnualIncome, a.NetWorth, a.TaxResidency,
			strings.Join(a.MarketsTraded, ","), a.ExperienceYears, a.TradesPerYear, a.Qualification, a.RiskTolerance,
			a.InvestmentObjective, a.TimeHorizon, a.LinkedIn, a.XURL, a.Facebook, a.Website, a.InvestedMinor, a.Currency,
			a.PrimaryEmail, a.PrimaryPhone, a.City, db.Now(), db.Now(), survivor); err != nil {
			return fmt.Errorf("contact: merge: %w", err)
		}
		// Re-home the child rows of the other contact.
		for _, q := range []string{
			"DELETE FROM contact_emails WHERE contact_id = ?",
			"DELETE FROM contact_phones WHERE contact_id = ?",
			"DELETE FROM contact_addresses WHERE contact_id = ?",
		} {
			for _, id := range []int64{survivor, other} {
				if _, err := tx.ExecContext(ctx, q, id); err != nil {
					return err
				}
			}
		}
		a.Identifiers, a.BankAccounts = nil, nil // moved below, not rewritten
		if err := s.writeChildren(ctx, tx, a, nil); err != nil {
			return err
		}
		moves := []string{
			"UPDATE contact_identifiers SET contact_id = ? WHERE contact_id = ?",
			"UPDATE contact_bank_accounts SET contact_id = ? WHERE contact_id = ?",
			"UPDATE contact_documents SET contact_id = ? WHERE contact_id = ?",
			"UPDATE notes SET contact_id = ? WHERE contact_id = ?",
			"UPDATE stage_changes SET contact_id = ? WHERE contact_id = ?",
			"UPDATE tickets SET contact_id = ? WHERE contact_id = ?",
			"UPDATE tasks SET contact_id = ? WHERE contact_id = ?",
			"UPDATE emails SET contact_id = ? WHERE contact_id = ?",
			// Event attendance: moved, except where both attend.
			`UPDATE event_attendees SET contact_id = ? WHERE contact_id = ? AND NOT EXISTS (SELECT 1 FROM event_attendees e2
				WHERE e2.contact_id = ` + strconv.FormatInt(survivor, 10) + ` AND e2.event_id = event_attendees.event_id)`,
			// Timeline items: moved, except ones on both (an email to both).
			`UPDATE timeline SET contact_id = ? WHERE contact_id = ? AND NOT EXISTS (SELECT 1 FROM timeline t2
				WHERE t2.contact_id = ` + strconv.FormatInt(survivor, 10) + ` AND t2.kind = timeline.kind AND t2.ref_id = timeline.ref_id)`,
			// Relationships: repoint, except ones the survivor already has or
			// that would link it to itself.
			`UPDATE relationships SET a_id = ? WHERE a_id = ? AND b_id <> ` + strconv.FormatInt(survivor, 10) + `
				AND NOT EXISTS (SELECT 1 FROM relationships r2 WHERE r2.a_id = ` + strconv.FormatInt(survivor, 10) + ` AND r2.b_id = relationships.b_id AND r2.kind = relationships.kind)`,
			`UPDATE relationships SET b_id = ? WHERE b_id = ? AND a_id <> ` + strconv.FormatInt(survivor, 10) + `
				AND NOT EXISTS (SELECT 1 FROM relationships r2 WHERE r2.b_id = ` + strconv.FormatInt(survivor, 10) + ` AND r2.a_id = relationships.a_id AND r2.kind = relationships.kind)`,
			"UPDATE contacts SET merged_into_id = ? WHERE merged_into_id = ?", // earlier merges follow
			"UPDATE contacts SET joint_a_id = ? WHERE joint_a_id = ?",
			"UPDATE contacts SET joint_b_id = ? WHERE joint_b_id = ?",
		}
		for _, q := range moves {
			if _, err := tx.ExecContext(ctx, q, survivor, other); err != nil {
				if strings.Contains(q, "joint_") {
					return errs.E(errs.Conflict, "Both contacts hold the same joint account; a joint account needs two different persons. Change the joint account first.")
				}
				return fmt.Errorf("contact: merge: %w", err)
			}
		}
		for _, q := range []string{
			"INSERT INTO contact_tags (contact_id, tag_id) SELECT ?, tag_id FROM contact_tags WHERE contact_id = ? ON CONFLICT DO NOTHING",
			"INSERT INTO group_members (group_id, contact_id, added_at) SELECT group_id, ?, added_at FROM group_members WHERE contact_id = ? ON CONFLICT DO NOTHING",
		} {
			if _, err := tx.ExecContext(ctx, q, survivor, other); err != nil {
				return err
			}
		}
		for _, q := range []string{
			"DELETE FROM contact_tags WHERE contact_id = ?", "DELETE FROM group_members WHERE contact_id = ?",
			"DELETE FROM relationships WHERE a_id = ?", "DELETE FROM relationships WHERE b_id = ?",
			"DELETE FROM contact_terms WHERE contact_id = ?", "DELETE FROM contact_leases WHERE contact_id = ?",
			"DELETE FROM timeline WHERE contact_id = ?",        // what is left is on the survivor's already
			"DELETE FROM event_attendees WHERE contact_id = ?", // the same
		} {
			if _, err := tx.ExecContext(ctx, q, other); err != nil {
				return err
			}
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, "UPDATE contacts SET merged_into_id = ?, deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
			survivor, now, now, other); err != nil {
			return err
		}
		if _, err := refreshTags(ctx, tx, survivor); err != nil {
			return err
		}
		merged, err := s.get(ctx, tx, Viewer{Admin: true}, survivor)
		if err != nil {
			return err
		}
		if err := writeTerms(ctx, tx, survivor, Terms(merged)); err != nil {
			return err
		}
		// merged was read with its lists as stored now: its score stands.
		if err := storeCompleteness(ctx, tx, survivor, merged.Completeness); err != nil {
			return err
		}
		changes := append(diff(&before, merged), audit.Change{Field: "merged", New: fmt.Sprintf("#%d %s", other, b.Name())})
		if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(survivor), Action: "contact.merge", Changes: changes}); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(other), Action: "contact.merged_away",
			Changes: []audit.Change{{Field: "merged into", New: fmt.Sprintf("#%d", survivor)}}})
	})
}

// HistoryIDs are the entity ids whose activity belongs on a contact's
// history: its own and those of the contacts merged into it.
func (s *Service) HistoryIDs(ctx context.Context, id int64) ([]string, error) {
	merged, err := queryAll(ctx, s.DB, scanOne[int64], "SELECT id FROM contacts WHERE merged_into_id = ?", id)
	if err != nil {
		return nil, err
	}
	out := []string{idStr(id)}
	for _, m := range merged {
		out = append(out, idStr(m))
	}
	return out, nil
}
