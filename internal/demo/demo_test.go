package demo_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/demo"
)

// generate returns the first n contacts for seed.
func generate(seed int64, n int) []demo.Contact {
	g := demo.New(seed)
	out := make([]demo.Contact, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

func TestGenerator_sameSeedSameContacts(t *testing.T) {
	a, b := generate(42, 10_000), generate(42, 10_000)
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Fatalf("contact %d differs:\n%+v\n%+v", i, a[i], b[i])
		}
	}
}

func TestGenerator_differentSeedsDifferentContacts(t *testing.T) {
	a, b := generate(1, 1000), generate(2, 1000)
	same := 0
	for i := range a {
		if reflect.DeepEqual(a[i], b[i]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of %d contacts are the same for seeds 1 and 2", same, len(a))
	}
}

func TestGenerator_seqIsPosition(t *testing.T) {
	for i, c := range generate(3, 500) {
		if c.Seq() != i {
			t.Fatalf("contact %d has Seq %d", i, c.Seq())
		}
	}
}

func TestGenerator_startsWithPersons(t *testing.T) {
	for i, c := range generate(4, 10) {
		if c.Kind != demo.KindPerson {
			t.Errorf("contact %d is a %s; the first contacts must be persons", i, c.Kind)
		}
	}
}

// Contacts handed out must not share backing arrays in a way that lets a
// caller's append to one overwrite another.
func TestGenerator_appendingToSlicesLeavesOthersAlone(t *testing.T) {
	g := demo.New(5)
	a, b := g.Next(), g.Next()
	want := append([]demo.Email(nil), b.Emails...)
	a.Emails = append(a.Emails, demo.Email{Address: "x@example.com"})
	a.Tags = append(a.Tags, "x")
	a.Links = append(a.Links, demo.Link{})
	if !reflect.DeepEqual(b.Emails, want) {
		t.Errorf("appending to one contact's e-mails changed the next's: %v", b.Emails)
	}
}

func TestSetOwners_spreadsUnevenly(t *testing.T) {
	g := demo.New(6)
	g.SetOwners(5)
	counts := make([]int, 5)
	for range 20_000 {
		c := g.Next()
		if c.OwnerIndex < 0 || c.OwnerIndex >= 5 {
			t.Fatalf("OwnerIndex %d out of 0..4", c.OwnerIndex)
		}
		counts[c.OwnerIndex]++
	}
	if counts[0] <= counts[4]*3/2 {
		t.Errorf("owners are not skewed: %v", counts)
	}
	for i, n := range counts {
		if n == 0 {
			t.Errorf("owner %d has no contacts: %v", i, counts)
		}
	}
}

func TestGenerator_familiesShareHomes(t *testing.T) {
	contacts := generate(14, 20_000)
	home := func(c demo.Contact) (demo.Address, bool) {
		for _, a := range c.Addresses {
			if a.Label == "home" {
				return a, true
			}
		}
		return demo.Address{}, false
	}
	checked := 0
	for _, c := range contacts {
		for _, l := range c.Links {
			switch l.Kind {
			case demo.LinkSpouse, demo.LinkParent, demo.LinkChild, demo.LinkHouseholdMember:
			default:
				continue
			}
			a, ok := home(c)
			b, ok2 := home(contacts[l.To])
			if !ok || !ok2 {
				continue
			}
			checked++
			if a != b {
				t.Errorf("%d and its %s %d live apart:\n%+v\n%+v", c.Seq(), l.Kind, l.To, a, b)
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d family links between people with homes", checked)
	}
}

// An e-mail address is one contact's (Folio's duplicate scan would flag two
// demo people sharing one), even where many share a name.
func TestGenerator_emailAddressesAreOneContactsEach(t *testing.T) {
	g := demo.New(5)
	owner := map[string]int{}
	for i := range 150_000 {
		c := g.Next()
		for _, e := range c.Emails {
			if o, ok := owner[strings.ToLower(e.Address)]; ok && o != i {
				t.Fatalf("contacts %d and %d both have %s", o, i, e.Address)
			}
			owner[strings.ToLower(e.Address)] = i
		}
	}
}
