package demo_test

import (
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/foliocrm/folio/internal/demo"
)

// sample is what the distribution tests count over many contacts.
type sample struct {
	n          int
	kinds      map[string]int
	categories map[string]int
	scripts    map[string]int
	countries  map[string]int
	domains    map[string]int
	callCodes  map[string]int
	persons    int
	diacritics int // Latin names with letters beyond ASCII
	spouses    int
	dollars    []int64 // invested amounts in US cents
	levels     [11]int // persons by completeness, in tenths
}

func collect(seed int64, n int) *sample {
	s := &sample{n: n, kinds: map[string]int{}, categories: map[string]int{}, scripts: map[string]int{},
		countries: map[string]int{}, domains: map[string]int{}, callCodes: map[string]int{}}
	g := demo.New(seed)
	for range n {
		c := g.Next()
		s.kinds[c.Kind]++
		s.categories[c.Category]++
		for _, a := range c.Addresses {
			s.countries[a.Country]++
		}
		for _, e := range c.Emails {
			s.domains[e.Address[strings.IndexByte(e.Address, '@')+1:]]++
		}
		for _, p := range c.Phones {
			s.callCodes[p.Number[:3]]++
		}
		if c.Kind != demo.KindPerson {
			continue
		}
		s.persons++
		name := c.First + c.Middle + c.Last
		if sc := script(name); sc != "" {
			s.scripts[sc]++
		} else if strings.ContainsFunc(name, func(r rune) bool { return r > unicode.MaxASCII }) {
			s.diacritics++
		}
		for _, l := range c.Links {
			if l.Kind == demo.LinkSpouse {
				s.spouses++
			}
		}
		if c.InvestedMinor > 0 && c.Currency == "USD" {
			s.dollars = append(s.dollars, c.InvestedMinor)
		}
		s.levels[int(math.Floor(completeness(c)*10))]++
	}
	return s
}

func TestGenerator_distribution(t *testing.T) {
	s := collect(13, 100_000)
	t.Run("categories and kinds", s.checkShares)
	t.Run("names from many cultures", s.checkVariety)
	t.Run("completeness from a name to everything", s.checkCompleteness)
	t.Run("invested amounts many small few large", s.checkInvested)
}

func (s *sample) checkShares(t *testing.T) {
	want := map[string]float64{
		demo.CategoryClient: 40, demo.CategoryProspect: 30, demo.CategoryFormerClient: 8,
		demo.CategoryPersonal: 5, demo.CategoryProfessional: 12, demo.CategoryOther: 5,
	}
	for cat, pct := range want {
		if got := 100 * float64(s.categories[cat]) / float64(s.n); math.Abs(got-pct) > 2 {
			t.Errorf("%s: %.1f%% of contacts, want %.0f%% ± 2", cat, got, pct)
		}
	}
	if got := 100 * float64(s.persons) / float64(s.n); math.Abs(got-85) > 2.5 {
		t.Errorf("persons: %.1f%% of contacts, want 85%% ± 2.5", got)
	}
	for _, k := range []string{demo.KindHousehold, demo.KindCompany, demo.KindTrust, demo.KindJoint,
		demo.KindRetirement, demo.KindFund} {
		if s.kinds[k] < s.n/200 {
			t.Errorf("only %d %s contacts of %d", s.kinds[k], k, s.n)
		}
	}
	if s.spouses < s.persons/10 {
		t.Errorf("only %d of %d persons have a spouse", s.spouses, s.persons)
	}
}

func (s *sample) checkVariety(t *testing.T) {
	for _, sc := range []string{"Han", "Hangul", "Arabic", "Cyrillic", "Greek", "Devanagari"} {
		if s.scripts[sc] < 50 {
			t.Errorf("only %d names in %s script; got %v", s.scripts[sc], sc, s.scripts)
		}
	}
	if s.diacritics < s.n/50 {
		t.Errorf("only %d Latin names with diacritics", s.diacritics)
	}
	if len(s.countries) < 30 || len(s.domains) < 100 || len(s.callCodes) < 25 {
		t.Errorf("too little variety: %d countries, %d mail domains, %d calling-code prefixes",
			len(s.countries), len(s.domains), len(s.callCodes))
	}
}

func (s *sample) checkCompleteness(t *testing.T) {
	if s.levels[0]+s.levels[1] < s.persons/20 {
		t.Errorf("too few nearly empty profiles: %v", s.levels)
	}
	if s.levels[10] < s.persons/20 {
		t.Errorf("too few complete profiles: %v", s.levels)
	}
	for i := 2; i < 10; i++ {
		if s.levels[i] < s.persons/100 {
			t.Errorf("completeness has a gap at %d0%%: %v", i, s.levels)
		}
	}
}

func (s *sample) checkInvested(t *testing.T) {
	var small, large int
	for _, cents := range s.dollars {
		switch usd := cents / 100; {
		case usd > 50e6:
			t.Errorf("invested %d cents", cents)
		case usd < 250e3:
			small++
		case usd > 5e6:
			large++
		}
	}
	if small < len(s.dollars)/3 || large == 0 || large > len(s.dollars)/20 {
		t.Errorf("of %d dollar amounts %d are under $250k and %d over $5M", len(s.dollars), small, large)
	}
}

// script names the non-Latin script a name is written in, or "".
func script(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Hangul, r):
			return "Hangul"
		case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r):
			return "Han" // Chinese characters or Japanese kanji (and the odd kana)
		case unicode.Is(unicode.Arabic, r):
			return "Arabic"
		case unicode.Is(unicode.Cyrillic, r):
			return "Cyrillic"
		case unicode.Is(unicode.Greek, r):
			return "Greek"
		case unicode.Is(unicode.Devanagari, r):
			return "Devanagari"
		}
	}
	return ""
}

// completeness is the share of a person's profile fields that are filled.
func completeness(c demo.Contact) float64 {
	filled := []bool{
		len(c.Emails) > 0, len(c.Phones) > 0, len(c.Addresses) > 0, c.BirthDate != "", c.Citizenship != "",
		c.TaxID != "", c.NationalID != "", c.Employment != "", c.IncomeSource != "", c.AnnualIncome != "",
		c.NetWorth != "", c.TaxResidency != "", c.ExperienceYears != "", c.Qualification != "",
		c.RiskTolerance != "", c.InvestmentObjective != "", c.TimeHorizon != "", len(c.BankAccounts) > 0,
	}
	n := 0
	for _, f := range filled {
		if f {
			n++
		}
	}
	return float64(n) / float64(len(filled))
}
