package demo

import (
	"math"
	"math/rand/v2"
)

// Generator produces the contact sequence for one seed. Call Next once per
// contact. A Generator is not safe for concurrent use.
type Generator struct {
	rng     *rand.Rand
	t       *tables
	seq     int
	owners  []float64 // cumulative share of contacts per advisor
	digits  uint64
	nDigits int

	txt text
	cur Contact
	p   subject

	emails  slab[Email]
	phones  slab[Phone]
	addrs   slab[Address]
	banks   slab[BankAccount]
	links   slab[Link]
	strs    slab[string]
	scratch []byte // a domain name while a contact is built

	seenMail  seenSet // e-mail addresses given out, so each is one contact's
	domainTmp []byte

	// What the generator remembers of earlier contacts, to put people in
	// families and to build entities from them. Rings keep memory flat
	// however many contacts are made.
	fam     *family
	fams    [famRing]family
	nFams   int
	people  [peopleRing]personRec
	nPeople int
	firms   [firmRing]firmRec
	nFirms  int
}

const (
	famRing    = 128
	peopleRing = 512
	firmRing   = 64

	// pcgStream is the second PCG word; the seed is the first.
	pcgStream = 0x9e3779b97f4a7c15

	// DefaultOwners is how many advisors contacts are spread over unless
	// SetOwners says otherwise.
	DefaultOwners = 8

	// Entities are entityShare of contacts. They are made only between
	// families, so the chance at each such point is scaled by the mean
	// family size.
	entityShare  = 0.15
	entityChance = entityShare * meanFamily / (1 - entityShare + entityShare*meanFamily)
	// minPeople is how many persons exist before the first entity.
	minPeople = 12
)

// New returns a generator whose sequence is fixed by seed.
func New(seed int64) *Generator {
	g := &Generator{
		rng: rand.New(rand.NewPCG(uint64(seed), pcgStream)),
		t:   loadTables(),
	}
	g.SetOwners(DefaultOwners)
	return g
}

// SetOwners spreads the following contacts over n advisors (at least 1),
// unevenly: the first advisors own more than the last, as in a real firm.
// Call it before the first Next; the default is DefaultOwners.
func (g *Generator) SetOwners(n int) {
	n = max(n, 1)
	g.owners = make([]float64, n)
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), 0.75)
		g.owners[i] = total
	}
	for i := range g.owners {
		g.owners[i] /= total
	}
}

func (g *Generator) owner() int {
	u := g.rng.Float64()
	for i, c := range g.owners {
		if u < c {
			return i
		}
	}
	return len(g.owners) - 1
}

// Next returns the next contact. Its Seq is the number of contacts returned
// before it.
func (g *Generator) Next() Contact {
	c := &g.cur
	*c = Contact{seq: g.seq}
	switch {
	case g.fam != nil && g.fam.next < g.fam.n:
		g.person(c)
	case g.nPeople >= minPeople && g.chance(entityChance):
		g.entity(c)
	default:
		g.startFamily()
		g.person(c)
	}
	g.txt.flush()
	c.OwnerIndex %= len(g.owners) // a family begun before SetOwners keeps its advisor if it can
	g.remember(c)
	g.seq++
	return *c
}

// personRec is what entities need of an earlier person.
type personRec struct {
	seq         int
	fam         int      // family id
	slot        int      // place in the family
	first, last string   // Latin script
	family      *surname // the surname in its base form
	female      bool
	age         int
	co          *country
	ci          *city
	cu          *culture
	owner       int
	category    string
}

// firmRec is an earlier company, a possible employer.
type firmRec struct {
	seq          int
	name, domain string
	co           *country
	ci           *city
}

func (g *Generator) remember(c *Contact) {
	p := &g.p
	switch c.Kind {
	case KindPerson:
		g.people[g.nPeople%peopleRing] = personRec{
			seq: c.seq, fam: p.fam.id, slot: p.slot, first: p.firstLatin, last: p.lastLatin,
			family: p.fam.members[p.slot].last1,
			female: p.female, age: p.age, co: p.co, ci: p.ci, cu: p.cu, owner: c.OwnerIndex, category: c.Category,
		}
		g.nPeople++
	case KindCompany:
		g.firms[g.nFirms%firmRing] = firmRec{seq: c.seq, name: c.EntityName, domain: p.domain, co: p.co, ci: p.ci}
		g.nFirms++
	}
}

// recentPerson picks one of the remembered persons of at least minAge who is
// not one of not, or nil.
func (g *Generator) recentPerson(minAge int, not ...int) *personRec {
	n := min(g.nPeople, peopleRing)
	if n == 0 {
		return nil
	}
try:
	for range 8 {
		r := &g.people[g.rng.IntN(n)]
		if r.age < minAge {
			continue
		}
		for _, s := range not {
			if r.seq == s {
				continue try
			}
		}
		return r
	}
	return nil
}

// recentPersonIn is recentPerson, preferring someone living in co.
func (g *Generator) recentPersonIn(co *country, minAge int, not ...int) *personRec {
	for range 6 {
		if r := g.recentPerson(minAge, not...); r == nil || r.co == co {
			return r
		}
	}
	return g.recentPerson(minAge, not...)
}

// familyOf returns the family with id, if it is still remembered.
func (g *Generator) familyOf(id int) *family {
	f := &g.fams[id%famRing]
	if f.id != id {
		return nil
	}
	return f
}

// recentFamily picks a remembered family that ok accepts, or nil.
func (g *Generator) recentFamily(ok func(*family) bool) *family {
	n := min(g.nFams, famRing)
	for range 10 {
		f := &g.fams[(g.nFams-g.rng.IntN(n))%famRing]
		if f.id > 0 && f.next == f.n && ok(f) {
			return f
		}
	}
	return nil
}

var categories = []string{
	CategoryClient, CategoryProspect, CategoryFormerClient, CategoryPersonal, CategoryProfessional, CategoryOther,
}

var categoryW = newWeights([]int{40, 30, 8, 5, 12, 5})

func (g *Generator) category() string { return categories[categoryW.pick(g.rng)] }

// completeness is how much of a contact's profile is filled, 0.1–1.
func (g *Generator) completeness(category string) float64 {
	u := g.rng.Float64()
	switch category {
	case CategoryClient:
		if u < 0.4 {
			return 1
		}
		return 0.55 + 0.45*g.rng.Float64()
	case CategoryFormerClient:
		return 0.35 + 0.6*u
	case CategoryProspect:
		return 0.1 + 0.5*u
	default:
		return 0.1 + 0.45*u
	}
}
