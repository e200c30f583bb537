package contact_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

var pdf = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 100)...)

func TestDocuments_sniffedReviewedAndCounted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.advisor)
		id := f.create(f.advisor, person("Doc", "Holder"))
		before := f.get(f.advisor, id).Completeness
		bad := map[string][]byte{
			"an executable named .pdf": append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...),
			"empty":                    {},
			"oversized":                append([]byte("%PDF-"), make([]byte, 10<<20)...),
		}
		for name, content := range bad {
			if _, err := f.s.Upload(ctx, f.advisor, id, "passport", "scan.pdf", content, ""); errs.FieldsOf(err)["file"] == "" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := f.s.Upload(ctx, f.advisor, id, "selfie", "x.pdf", pdf, ""); errs.FieldsOf(err)["kind"] == "" {
			t.Errorf("unknown kind accepted: %v", err)
		}
		docID, err := f.s.Upload(ctx, f.advisor, id, "passport", `C:\Users\me\passport "scan".pdf`, pdf, "2031-01-31")
		if err != nil {
			t.Fatal(err)
		}
		docs, _ := f.s.Documents(ctx, f.advisor, id)
		if len(docs) != 1 || docs[0].Filename != "passport scan.pdf" || docs[0].ContentType != "application/pdf" || docs[0].Status != "pending" {
			t.Fatalf("documents = %+v", docs)
		}
		if err := f.s.ReviewDocument(ctx, f.advisor, id, docID, "rejected", ""); errs.FieldsOf(err)["reason"] == "" {
			t.Errorf("rejection without reason: %v", err)
		}
		if err := f.s.ReviewDocument(ctx, f.advisor, id, docID, "approved", ""); err != nil {
			t.Fatal(err)
		}
		if after := f.get(f.advisor, id).Completeness; after <= before {
			t.Errorf("completeness %d → %d after an approved passport", before, after)
		}
		got, content, err := f.s.OpenDocument(ctx, f.advisor, id, docID)
		if err != nil || !bytes.Equal(content, pdf) || got.Reviewer != "Otto Advisor" {
			t.Errorf("OpenDocument = %+v, %d bytes, %v", got, len(content), err)
		}
		if _, _, err := f.s.OpenDocument(ctxAs(f.limited), f.limited, id, docID); !errs.Is(err, errs.NotFound) {
			t.Errorf("limited advisor opened another's document: %v", err)
		}
		var n int
		_ = d.QueryRowContext(sysCtx, "SELECT COUNT(*) FROM contact_documents").Scan(&n)
		if n != 1 {
			t.Errorf("%d documents stored, want 1 (refused uploads store nothing)", n)
		}
	})
}

func TestDuplicates_foundByEmailPhoneIDAndSimilarNameOnTheRecordAndThePage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := person("Jonathan", "Smyth")
		a.BirthDate = "1970-01-01"
		a.Emails = []contact.Email{{Address: "jon@example.com"}}
		aid := f.create(f.admin, a)
		b := person("Jonathon", "Smyth") // one letter apart
		b.BirthDate = "1970-01-01"
		bid := f.create(f.admin, b)
		c := person("Other", "Person")
		c.Emails = []contact.Email{{Address: "JON@example.com"}}
		cid := f.create(f.admin, c)
		e := person("Tax", "Twin")
		e.Identifiers = []contact.Identifier{{Kind: "tax_id", Number: "111-22-3333"}}
		eid := f.create(f.admin, e)
		g := person("Tax", "Twin2")
		g.Identifiers = []contact.Identifier{{Kind: "tax_id", Number: "111223333"}}
		gid := f.create(f.admin, g)
		f.create(f.admin, person("Unrelated", "Soul"))

		dups, err := f.s.DuplicatesOf(sysCtx, f.admin, aid)
		if err != nil {
			t.Fatal(err)
		}
		others := map[int64]bool{}
		for _, d := range dups {
			others[d.B.ID] = true
		}
		if len(dups) != 2 || !others[bid] || !others[cid] {
			t.Errorf("duplicates of %d = %+v", aid, dups)
		}
		if dups, _ := f.s.DuplicatesOf(sysCtx, f.admin, eid); len(dups) != 1 || dups[0].B.ID != gid {
			t.Errorf("duplicates by tax ID = %+v", dups)
		}
		if _, err := f.s.ScanDuplicates(sysCtx); err != nil {
			t.Fatal(err)
		}
		all, err := f.s.Duplicates(sysCtx, f.admin, "", 100)
		if err != nil || len(all.Pairs) != 3 { // email, tax ID, and similar names with the same date of birth
			t.Errorf("Duplicates = %+v, %v", all, err)
		}
		reasons := map[[2]int64]string{}
		for _, p := range all.Pairs {
			reasons[[2]int64{p.A.ID, p.B.ID}] = strings.Join(p.Reasons, "; ")
		}
		if reasons[[2]int64{aid, bid}] != "similar name, same date of birth" || reasons[[2]int64{eid, gid}] != "same ID number" ||
			!strings.HasPrefix(reasons[[2]int64{aid, cid}], "same email") {
			t.Errorf("whole-book reasons = %v", reasons)
		}
		if err := f.s.DismissDuplicate(ctxAs(f.admin), f.admin, cid, aid); err != nil {
			t.Fatal(err)
		}
		if dups, _ := f.s.DuplicatesOf(sysCtx, f.admin, aid); len(dups) != 1 {
			t.Errorf("after dismissing: %+v", dups)
		}
	})
}

func TestDuplicates_sameKindOnlyAndASharedPhoneNeedsASimilarName(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ann := person("Ann", "Home")
		ann.Phones = []contact.Phone{{Number: "+14155550111"}}
		annID := f.create(f.admin, ann)
		anne := person("Anne", "Home") // Ann typed again
		anne.Phones = []contact.Phone{{Number: "+14155550111"}}
		anneID := f.create(f.admin, anne)
		bob := person("Bob", "Home") // her husband: same landline, another name
		bob.Phones = []contact.Phone{{Number: "+14155550111"}}
		bobID := f.create(f.admin, bob)
		home := &contact.Contact{Kind: contact.Household, EntityName: "The Home household", CategoryID: 1, OwnerID: f.admin.UserID,
			Phones: []contact.Phone{{Number: "+14155550111"}}}
		homeID := f.create(f.admin, home)

		for _, id := range []int64{annID, bobID, homeID} {
			dups, err := f.s.DuplicatesOf(sysCtx, f.admin, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, dp := range dups {
				if dp.A.ID == homeID || dp.B.ID == homeID || dp.A.ID == bobID || dp.B.ID == bobID {
					t.Errorf("flagged: %s and %s (%v)", dp.A.Name, dp.B.Name, dp.Reasons)
				}
			}
		}
		if dups, _ := f.s.DuplicatesOf(sysCtx, f.admin, annID); len(dups) != 1 || dups[0].B.ID != anneID {
			t.Errorf("Ann's duplicates = %+v, want Anne", dups)
		}
		if _, err := f.s.ScanDuplicates(sysCtx); err != nil {
			t.Fatal(err)
		}
		page, err := f.s.Duplicates(sysCtx, f.admin, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Pairs) != 1 || page.Pairs[0].A.ID != annID || page.Pairs[0].B.ID != anneID {
			t.Errorf("whole-book pairs = %+v, want only Ann and Anne", page.Pairs)
		}
		if page.ScannedAt.IsZero() {
			t.Error("ScannedAt not set after a scan")
		}
	})
}

func TestDuplicates_pagedByCursorWithoutDismissedDeletedOrInvisiblePairs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var ids [][2]int64
		for i := range 5 {
			var pair [2]int64
			for j := range 2 {
				c := person(fmt.Sprintf("Twin%d", i), fmt.Sprintf("Side%d", j))
				c.Emails = []contact.Email{{Address: fmt.Sprintf("twin%d@example.com", i)}}
				if i == 4 {
					c.OwnerID = f.limited.UserID // both of the last pair are the limited advisor's
				}
				pair[j] = f.create(f.admin, c)
			}
			ids = append(ids, pair)
		}
		if _, err := f.s.ScanDuplicates(sysCtx); err != nil {
			t.Fatal(err)
		}
		var seen []int64
		after := ""
		for pages := 0; ; pages++ {
			p, err := f.s.Duplicates(sysCtx, f.admin, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, dp := range p.Pairs {
				seen = append(seen, dp.B.ID)
			}
			if p.Next == "" || pages > 5 {
				break
			}
			after = p.Next
		}
		want := []int64{ids[4][1], ids[3][1], ids[2][1], ids[1][1], ids[0][1]}
		if fmt.Sprint(seen) != fmt.Sprint(want) {
			t.Errorf("pages gave %v, want newest first %v", seen, want)
		}

		if err := f.s.DismissDuplicate(ctxAs(f.admin), f.admin, ids[0][0], ids[0][1]); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Delete(ctxAs(f.admin), f.admin, ids[1][0]); err != nil {
			t.Fatal(err)
		}
		p, _ := f.s.Duplicates(sysCtx, f.admin, "", 50)
		if len(p.Pairs) != 3 {
			t.Errorf("after a dismissal and a deletion: %d pairs, want 3", len(p.Pairs))
		}
		mine, _ := f.s.Duplicates(sysCtx, f.limited, "", 50)
		if len(mine.Pairs) != 1 || mine.Pairs[0].B.ID != ids[4][1] {
			t.Errorf("a limited advisor sees %+v, want only the pair they own", mine.Pairs)
		}
		if _, err := f.s.Duplicates(sysCtx, f.admin, "12;drop", 50); !errs.Is(err, errs.Invalid) {
			t.Errorf("a bad cursor: %v", err)
		}
	})
}

func TestScanDuplicatesIfDue_whenNeverScannedOrChangedAndNotClaimed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.create(f.admin, person("Due", "Check"))
		if did, err := f.s.ScanDuplicatesIfDue(sysCtx); err != nil || !did {
			t.Fatalf("never scanned: ScanDuplicatesIfDue = %v, %v", did, err)
		}
		if did, _ := f.s.ScanDuplicatesIfDue(sysCtx); did {
			t.Error("scanned again with nothing changed")
		}
		time.Sleep(2 * time.Millisecond)
		f.create(f.admin, person("Due", "Again"))
		if did, _ := f.s.ScanDuplicatesIfDue(sysCtx); did {
			t.Error("scanned again within ten minutes of the last claim (another instance may be scanning)")
		}
		if _, err := d.ExecContext(sysCtx, "UPDATE settings SET value = '2000-01-01T00:00:00.000000Z' WHERE key = 'contacts.duplicates_scan_claim'"); err != nil {
			t.Fatal(err)
		}
		if did, err := f.s.ScanDuplicatesIfDue(sysCtx); err != nil || !did {
			t.Errorf("changed and unclaimed: ScanDuplicatesIfDue = %v, %v", did, err)
		}
	})
}

func TestMerge_keepsEveryChildRecordAndTheHistory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.admin)
		a := person("Mia", "Merge")
		a.Emails = []contact.Email{{Address: "mia@example.com"}}
		a.Phones = []contact.Phone{{Number: "+14155550100"}}
		aid := f.create(f.admin, a)
		b := person("Maria", "Merge")
		b.BirthDate = "1985-05-05"
		b.Emails = []contact.Email{{Address: "MIA@example.com"}, {Address: "maria@work.example"}}
		b.Addresses = []contact.Address{{City: "Lisbon", Country: "PT"}}
		b.Identifiers = []contact.Identifier{{Kind: "passport", Number: "X1234567"}}
		b.BankAccounts = []contact.BankAccount{{IBAN: "DE89 3704 0044 0532 0130 00"}}
		bid := f.create(f.admin, b)
		friend := f.create(f.admin, person("Fri", "End"))
		if _, err := f.s.Relate(ctx, f.admin, bid, friend, "spouse", "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Relate(ctx, f.admin, aid, bid, "parent", "", ""); err != nil {
			t.Fatal(err)
		}
		g, _ := f.s.SaveGroup(ctx, f.admin, 0, "Merged group", "")
		f.s.AddToGroup(ctx, f.admin, g, bid)
		f.s.SetTags(ctx, f.admin, bid, []string{"from-b"})
		f.s.SetTags(ctx, f.admin, aid, []string{"from-a"})
		if _, err := f.s.Upload(ctx, f.admin, bid, "passport", "p.pdf", pdf, ""); err != nil {
			t.Fatal(err)
		}

		err := f.s.Merge(ctx, f.admin, aid, bid, map[string]string{"first_name": "other", "birth_date": "other"}, contact.MergeBase{})
		if err != nil {
			t.Fatal(err)
		}
		m := f.get(f.admin, aid)
		if m.FirstName != "Maria" || m.BirthDate != "1985-05-05" || m.LastName != "Merge" {
			t.Errorf("chosen fields: %q %q", m.FirstName, m.BirthDate)
		}
		if len(m.Emails) != 2 || len(m.Phones) != 1 || len(m.Addresses) != 1 || len(m.Identifiers) != 1 || len(m.BankAccounts) != 1 {
			t.Errorf("children: %d emails %d phones %d addresses %d ids %d banks", len(m.Emails), len(m.Phones), len(m.Addresses), len(m.Identifiers), len(m.BankAccounts))
		}
		if len(m.Tags) != 2 {
			t.Errorf("tags = %v", m.Tags)
		}
		if docs, _ := f.s.Documents(ctx, f.admin, aid); len(docs) != 1 {
			t.Errorf("documents = %d", len(docs))
		}
		rels, _ := f.s.Relationships(sysCtx, f.admin, aid)
		if len(rels) != 1 || rels[0].OtherID != friend {
			t.Errorf("relationships = %+v (the self-link must go, the spouse must stay)", rels)
		}
		if groups, _ := f.s.GroupsOf(sysCtx, aid); len(groups) != 1 {
			t.Errorf("groups = %+v", groups)
		}
		if p, _ := f.s.List(sysCtx, f.admin, contact.Query{Q: "maria"}); len(p.Rows) != 1 || p.Rows[0].ID != aid {
			t.Errorf("search finds %+v", p.Rows)
		}
		_, err = f.s.Get(sysCtx, f.admin, bid)
		var moved *contact.MovedError
		if !errors.As(err, &moved) || moved.To != aid {
			t.Errorf("Get merged-away = %v", err)
		}
		ids, _ := f.s.HistoryIDs(sysCtx, aid)
		recs, _, _ := audit.List(sysCtx, d, audit.Filter{Entity: "contact", EntityIDs: ids})
		var sawCreateB, sawMerge bool
		for _, r := range recs {
			sawCreateB = sawCreateB || (r.EntityID == fmt.Sprint(bid) && r.Action == "contact.create")
			sawMerge = sawMerge || r.Action == "contact.merge"
		}
		if !sawCreateB || !sawMerge {
			t.Errorf("history lacks the merged contact's creation (%v) or the merge (%v)", sawCreateB, sawMerge)
		}
		if err := f.s.Merge(ctx, f.admin, aid, aid, nil, contact.MergeBase{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("self-merge: %v", err)
		}
	})
}

func TestMerge_refusedWhenEitherContactChangedSinceTheChoices(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := ctxAs(f.admin)
		aid := f.create(f.admin, person("Vera", "Version"))
		bid := f.create(f.admin, person("Verena", "Version"))
		a, b := f.get(f.admin, aid), f.get(f.admin, bid)
		seen := contact.MergeBase{Survivor: a.Version, Other: b.Version}

		// Someone edits the other contact after the merge page was opened.
		b.Occupation = "Pilot"
		if err := f.s.Update(ctx, f.admin, b, b.Version); err != nil {
			t.Fatal(err)
		}
		err := f.s.Merge(ctx, f.admin, aid, bid, map[string]string{"first_name": "other"}, seen)
		if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "Verena Version was changed since you chose") {
			t.Fatalf("merge on a stale other = %v, want a conflict naming it", err)
		}
		if _, err := f.s.Get(sysCtx, f.admin, bid); err != nil {
			t.Errorf("the refused merge merged: %v", err)
		}
		stale := contact.MergeBase{Survivor: a.Version - 1 + 2, Other: f.get(f.admin, bid).Version}
		if err := f.s.Merge(ctx, f.admin, aid, bid, nil, stale); !errs.Is(err, errs.Conflict) {
			t.Errorf("merge with a wrong survivor version = %v", err)
		}
		fresh := contact.MergeBase{Survivor: a.Version, Other: f.get(f.admin, bid).Version}
		if err := f.s.Merge(ctx, f.admin, aid, bid, map[string]string{"occupation": "other"}, fresh); err != nil {
			t.Fatalf("merge on current versions: %v", err)
		}
		if got := f.get(f.admin, aid); got.Occupation != "Pilot" {
			t.Errorf("occupation after merge = %q", got.Occupation)
		}
	})
}

func TestScanDuplicates_similarNamesInTheSameCityAfterStrongerSigns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		inLyon := func(first, last string) int64 {
			c := person(first, last)
			c.Addresses = []contact.Address{{Label: "home", Line1: "1 rue X", City: "Lyon", Country: "FR", Primary: true}}
			return f.create(f.admin, c)
		}
		a := inLyon("Marguerite", "Fontaine")
		b := inLyon("Margerite", "Fontaine") // typed again, a letter short
		inLyon("Marc", "Fontaine")           // someone else
		// Twelve others sort between them.
		for _, tail := range []string{"abcd", "efgh", "ijkl", "mnop", "qrst", "uvwx", "yzab", "cdef", "ghij", "klmn", "opqr", "stuv"} {
			inLyon("Margh"+tail, "Fontaine")
		}
		elsewhere := person("Marguerite", "Fontaine") // same name, no city
		f.create(f.admin, elsewhere)
		// A stronger sign, added later, comes first on the page.
		var mailPair [2]int64
		for i, first := range []string{"Otto", "Ottilie"} {
			c := person(first, "Brandt")
			c.Emails = []contact.Email{{Address: "brandt@example.com"}}
			mailPair[i] = f.create(f.admin, c)
		}
		if _, err := f.s.ScanDuplicates(sysCtx); err != nil {
			t.Fatal(err)
		}
		page, err := f.s.Duplicates(sysCtx, f.admin, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Pairs) != 2 || page.Pairs[0].A.ID != mailPair[0] || page.Pairs[0].B.ID != mailPair[1] ||
			page.Pairs[1].A.ID != a || page.Pairs[1].B.ID != b || fmt.Sprint(page.Pairs[1].Reasons) != "[similar name, same city]" {
			for _, p := range page.Pairs {
				t.Logf("%s ~ %s: %v", p.A.Name, p.B.Name, p.Reasons)
			}
			t.Errorf("%d pairs, want the Brandts' shared email, then Marguerite and Margerite Fontaine in Lyon", len(page.Pairs))
		}
	})
}
