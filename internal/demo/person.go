package demo

import "strings"

// People are generated in small families, one member per call to Next, so
// that spouses, children and elderly parents share a culture, a home and
// (by the culture's rules) a surname, and link to one another.

type role uint8

const (
	roleHead role = iota
	roleSpouse
	roleChild
	roleElder // the head's parent
)

type member struct {
	role         role
	female       bool
	age          int
	last1, last2 *surname // last2: a Spanish second surname, or the family name after a hyphen
	hyphen       bool
}

type family struct {
	id            int
	cu            *culture
	co            *country
	ci            *city
	citizen       *country
	expat, native bool
	lang          string
	owner         int
	category      string
	members       [4]member
	givens        [4]*given
	headFather    *given   // the head's father, when the head's middle name names him
	maiden        *surname // the mother's own surname
	seqs          [4]int
	n, next       int
	home          Address
	homePhone     string
	used          uint8 // entity kinds already built from the family
}

const (
	usedHousehold uint8 = 1 << iota
	usedJoint
	usedTrust
)

// meanFamily is the mean number of members planFamily gives a family.
const meanFamily = (50*1 + 25*2 + 9*3 + 6*4 + 6*2 + 4*2) / 100.0

// subject is what the generator knows of the contact it is building.
type subject struct {
	fam     *family
	slot    int
	cu      *culture
	co      *country
	ci      *city
	citizen *country
	female  bool
	age     int
	expat   bool

	firstLatin, firstASCII           string
	lastLatin, lastASCII, lastASCII2 string
	fullName                         span // as a bank prints it
	by, bm, bd                       int  // birth date

	level                               float64 // completeness, 0.1–1
	wealth                              float64 // z-score
	employment                          string
	job                                 *occupation
	workDomain                          bool   // scratch holds the employer's domain
	domain                              string // a company's domain, after flush
	investedUSD, netWorthUSD, incomeUSD float64
	referred                            bool

	links  [8]Link
	nLinks int
	mail   [3]string // mail providers the contact has addresses at
	nMail  int
}

func (p *subject) usedMail(domain string) bool {
	for _, d := range p.mail[:p.nMail] {
		if d == domain {
			return true
		}
	}
	return false
}

func (p *subject) link(to int, kind string) {
	if p.nLinks < len(p.links) {
		p.links[p.nLinks] = Link{To: to, Kind: kind}
		p.nLinks++
	}
}

func (g *Generator) takeLinks(c *Contact) {
	p := &g.p
	c.Links = g.links.take(p.nLinks)
	copy(c.Links, p.links[:p.nLinks])
}

func (g *Generator) startFamily() {
	g.nFams++
	f := &g.fams[g.nFams%famRing]
	*f = family{id: g.nFams}
	cu := &g.t.cultures[g.t.cultureW.pick(g.rng)]
	pl := &cu.places[cu.placeW.pick(g.rng)]
	f.cu, f.co, f.ci, f.expat = cu, pl.co, pl.ci, !pl.home
	if f.ci == nil {
		f.ci = &f.co.cities[g.rng.IntN(len(f.co.cities))]
	}
	script := cu.script
	if f.expat {
		script /= 4
	}
	f.native = script > 0 && g.chance(script)
	f.citizen = f.co
	if f.expat && !g.chance(0.25) {
		f.citizen = cu.homes[cu.homeW.pick(g.rng)]
	}
	f.lang = f.co.lang
	if f.ci.lang != "" && sameLanguage(f.ci.lang, cu.lang) {
		f.lang = f.ci.lang
	}
	switch {
	case f.expat && g.chance(0.3): // keeps the language of home
		f.lang = f.citizen.lang
	case !f.expat && !cu.speaksHomeLanguage && g.chance(0.2): // Hindi rather than Indian English
		f.lang = cu.lang
	}
	f.owner = g.owner()
	f.category = g.category()
	g.planFamily(f)

	f.home.Label, f.home.Primary = "home", true
	g.streetAddress(&f.home, f.co, f.ci, 0.3)
	if g.chance(0.6) {
		g.landline(&f.homePhone, f.co, f.ci)
	}
	g.txt.flush()
	g.fam = f
}

func sameLanguage(a, b string) bool {
	a, _, _ = strings.Cut(a, "-")
	b, _, _ = strings.Cut(b, "-")
	return a == b
}

// planFamily decides who is in the family: half are single, a quarter
// couples, the rest couples with grown children, single parents, and adults
// with an elderly parent. Everyone is an adult.
func (g *Generator) planFamily(f *family) {
	add := func(r role, female bool, age int) {
		f.members[f.n] = member{role: r, female: female, age: min(max(age, 18), 95)}
		f.n++
	}
	adult := func() int { return 18 + g.rng.IntN(40) + g.rng.IntN(39) }
	spouse := func(head bool) bool { return head != g.chance(0.94) }
	headF := g.chance(0.5)
	switch r := g.rng.IntN(100); {
	case r < 50:
		add(roleHead, headF, adult())
	case r < 75:
		h := max(adult(), 22)
		add(roleHead, headF, h)
		add(roleSpouse, spouse(headF), max(h+g.rng.IntN(11)-5, 20))
	case r < 90:
		h := 40 + g.rng.IntN(26) + g.rng.IntN(25)
		add(roleHead, headF, h)
		add(roleSpouse, spouse(headF), max(h+g.rng.IntN(11)-5, 38))
		for range 1 + r/84 {
			add(roleChild, g.chance(0.5), h-22-g.rng.IntN(18))
		}
	case r < 96:
		a := 35 + g.rng.IntN(26)
		add(roleHead, headF, a)
		add(roleElder, g.chance(0.6), a+22+g.rng.IntN(15))
	default:
		h := 42 + g.rng.IntN(30)
		add(roleHead, headF, h)
		add(roleChild, g.chance(0.5), h-22-g.rng.IntN(18))
	}
	g.planSurnames(f)
}

// father and mother are the members heading the family, or -1.
func (f *family) father() int { return f.parent(false) }
func (f *family) mother() int { return f.parent(true) }

func (f *family) parent(female bool) int {
	for i := range f.n {
		if r := f.members[i].role; (r == roleHead || r == roleSpouse) && f.members[i].female == female {
			return i
		}
	}
	return -1
}

func (g *Generator) planSurnames(f *family) {
	cu := f.cu
	sn := func() *surname { return &cu.surnames[g.rng.IntN(len(cu.surnames))] }
	name, other := sn(), sn()
	for range 3 {
		if other != name {
			break
		}
		other = sn()
	}
	f.maiden = other
	m := f.members[:f.n]
	fa, mo := f.father(), f.mother()
	for i := range m {
		switch cu.family {
		case familySpanish:
			switch m[i].role {
			case roleHead:
				m[i].last1, m[i].last2 = name, sn()
			case roleSpouse:
				m[i].last1, m[i].last2 = other, sn()
			case roleChild:
				m[i].last1, m[i].last2 = m[0].last1, sn()
				if fa >= 0 {
					m[i].last1 = m[fa].last1
				}
				if mo >= 0 && mo != fa {
					m[i].last2 = m[mo].last1
				}
			case roleElder:
				m[i].last1, m[i].last2 = m[0].last1, sn()
				if m[i].female {
					m[i].last1 = m[0].last2
				}
			}
		case familyKept:
			switch m[i].role {
			case roleHead:
				m[i].last1 = name
			case roleSpouse:
				m[i].last1 = other
			case roleChild:
				m[i].last1 = name
				if fa >= 0 {
					m[i].last1 = m[fa].last1
				}
			case roleElder:
				m[i].last1 = name
				if m[i].female {
					m[i].last1 = other
				}
			}
		default:
			m[i].last1 = name
			switch r := g.rng.IntN(100); {
			case m[i].role == roleSpouse && m[i].female && r >= 90 && cu.family == familyShared && !f.native:
				m[i].last1, m[i].last2, m[i].hyphen = other, name, true
			case m[i].role == roleSpouse && r >= 78, m[i].role == roleElder && m[i].female && r >= 85:
				m[i].last1 = other
			}
		}
	}
}

// person emits the family's next member.
func (g *Generator) person(c *Contact) {
	f := g.fam
	i := f.next
	f.next++
	m := &f.members[i]
	p := &g.p
	*p = subject{
		fam: f, slot: i, cu: f.cu, co: f.co, ci: f.ci, citizen: f.citizen,
		female: m.female, age: m.age, expat: f.expat,
	}
	c.Kind = KindPerson
	c.Category = f.category
	if i > 0 && !g.chance(0.7) {
		c.Category = g.category()
	}
	c.OwnerIndex = f.owner
	if !g.chance(0.95) {
		c.OwnerIndex = g.owner()
	}
	p.level = g.completeness(c.Category)
	c.Language, c.TimeZone = f.lang, f.ci.tz

	g.personName(c, f, m, i)
	f.seqs[i] = c.seq
	g.familyLinks(c, f, i)
	g.birth(c)
	g.work(c)
	g.finances(c)
	g.experience(c)
	g.honorifics(c, f)
	g.personReach(c, f)
	g.personIDs(c)
	g.personBanks(c)
	g.tags(c)
	g.takeLinks(c)
}

func (g *Generator) personName(c *Contact, f *family, m *member, i int) {
	p, cu := &g.p, f.cu
	pool := cu.male
	if m.female {
		pool = cu.female
	}
	var gv *given
	if cu.suffixes && m.role == roleChild && !m.female && g.chance(0.12) {
		if fa := f.father(); fa >= 0 {
			gv, c.Suffix = f.givens[fa], "Jr."
		}
	}
	if gv == nil && m.role == roleElder && !m.female && f.headFather != nil {
		gv = f.headFather // the head's patronymic or middle name is this man's name
	}
	if gv == nil {
		gv = &pool[g.rng.IntN(len(pool))]
		for try := 0; try < 4 && f.hasGiven(gv, i); try++ {
			gv = &pool[g.rng.IntN(len(pool))]
		}
	}
	f.givens[i] = gv
	// A name is written in native script only if all of it can be: some
	// cultures' lists have names with Latin forms only.
	native := f.native && gv.text != gv.latin && m.last1.text != m.last1.latin &&
		(m.last2 == nil || m.last2.text != m.last2.latin)
	c.First = gv.show(native)
	p.firstLatin, p.firstASCII = gv.latin, gv.ascii
	c.Middle = g.middleName(f, m, i, gv, native)

	t1, l1, a1 := m.last1.forms(m.female)
	p.lastLatin, p.lastASCII = l1, a1
	last1, last2, sep := l1, "", " "
	if native {
		last1 = t1
	}
	if m.last2 != nil {
		t2, l2, a2 := m.last2.forms(m.female)
		last2 = l2
		if native {
			last2 = t2
		}
		if m.hyphen {
			p.lastASCII2, sep = a2, "-"
		}
	}

	g.fullName(c, cu.order, native, last1, last2, sep)

	switch {
	case gv.nick != "" && g.chance(0.25):
		c.Nickname = gv.nick
	case cu.westernNick > 0 && g.chance(cu.westernNick*(1+float64(b2i(f.expat)))):
		en := g.t.english.male
		if m.female {
			en = g.t.english.female
		}
		c.Nickname = pick(g, en).latin
	}
}

// fullName builds the name as a bank would print it, in the culture's
// order, and sets the last name: a part of the full name when it has two
// parts (García López, Walker-Thomas).
func (g *Generator) fullName(c *Contact, order nameOrder, native bool, last1, last2, sep string) {
	t := &g.txt
	start := t.mark()
	var last span
	appendLast := func() {
		last.start = t.mark()
		t.str(last1)
		if last2 != "" {
			t.str(sep)
			t.str(last2)
		}
		last.end = t.mark()
	}
	switch {
	case order == orderEastern && native:
		appendLast()
		t.str(c.First)
	case order == orderVietnamese:
		appendLast()
		if c.Middle != "" {
			t.byte(' ')
			t.str(c.Middle)
		}
		t.byte(' ')
		t.str(c.First)
	default:
		t.str(c.First)
		t.byte(' ')
		appendLast()
	}
	g.p.fullName = span{start, t.mark()}
	c.Last = last1
	if last2 != "" {
		t.keepSpan(&c.Last, last)
	}
}

func (f *family) hasGiven(gv *given, before int) bool {
	for j := range before {
		if f.givens[j] == gv {
			return true
		}
	}
	return false
}

func (g *Generator) middleName(f *family, m *member, i int, gv *given, native bool) string {
	cu := f.cu
	if cu.middle == middleNone || !g.chance(cu.middleP) {
		return ""
	}
	var mid *given
	switch cu.middle {
	case middleGiven:
		pool := cu.male
		if m.female {
			pool = cu.female
		}
		if mid = &pool[g.rng.IntN(len(pool))]; mid == gv {
			return ""
		}
	case middlePool:
		pool := cu.midMale
		if m.female {
			pool = cu.midFemale
		}
		mid = &pool[g.rng.IntN(len(pool))]
	case middlePatronym:
		father := g.fatherGiven(f, m, i)
		pat := father.pat
		switch {
		case m.female && native:
			return pat.fText
		case m.female:
			return pat.fLatin
		case native:
			return pat.mText
		}
		return pat.mLatin
	case middleFather:
		mid = g.fatherGiven(f, m, i)
	case middleSurname: // the mother's maiden name
		s := &cu.surnames[g.rng.IntN(len(cu.surnames))]
		if m.role == roleChild && f.mother() >= 0 {
			s = f.maiden
		}
		if s == m.last1 {
			return ""
		}
		if native {
			return s.text
		}
		return s.latin
	}
	if native && mid.text == mid.latin {
		return "" // no native form to match the rest of the name
	}
	return mid.show(native)
}

// fatherGiven is the given name of a child's father, or any man's name for
// the others; the head's is remembered for an elderly father who joins the
// family later.
func (g *Generator) fatherGiven(f *family, m *member, i int) *given {
	if fa := f.father(); m.role == roleChild && fa >= 0 {
		return f.givens[fa]
	}
	gv := &f.cu.male[g.rng.IntN(len(f.cu.male))]
	if i == 0 {
		f.headFather = gv
	}
	return gv
}

func (g *Generator) familyLinks(c *Contact, f *family, i int) {
	p := &g.p
	switch f.members[i].role {
	case roleSpouse:
		p.link(f.seqs[0], LinkSpouse)
	case roleChild:
		for j := range i {
			if r := f.members[j].role; r == roleHead || r == roleSpouse {
				p.link(f.seqs[j], LinkParent)
			}
		}
	case roleElder:
		p.link(f.seqs[0], LinkChild)
	}
	if (c.Category == CategoryClient || c.Category == CategoryProspect) && g.chance(0.1) {
		if r := g.recentPersonIn(f.co, 21); r != nil && r.fam != f.id {
			p.link(r.seq, LinkReferredBy)
			p.referred = true
		}
	}
}

func (g *Generator) birth(c *Contact) {
	p := &g.p
	p.by = 2025 - p.age
	p.bm = 1 + g.rng.IntN(12)
	p.bd = 1 + g.rng.IntN(daysIn(p.bm, p.by))
	if g.chance(p.level + 0.05) {
		t := &g.txt
		start := t.mark()
		t.int(p.by)
		t.byte('-')
		t.padded(p.bm, 2)
		t.byte('-')
		t.padded(p.bd, 2)
		t.keep(&c.BirthDate, start)
	}
	if g.chance(p.level*0.95 + 0.05) {
		c.Citizenship = p.citizen.code
	}
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func (g *Generator) honorifics(c *Contact, f *family) {
	p := &g.p
	if g.chance(0.22) {
		lang, _, _ := strings.Cut(f.lang, "-")
		if pr, ok := prefixes[lang]; ok {
			switch {
			case p.job != nil && p.job.doctor && g.chance(0.6):
				c.Prefix = pr[3-b2i(p.female)]
			case p.female && lang == "en" && f.n > 1 && f.members[p.slot].role != roleChild && g.chance(0.5):
				c.Prefix = "Mrs"
			default:
				c.Prefix = pr[1-b2i(p.female)]
			}
		}
	}
	if f.cu.suffixes && c.Suffix == "" {
		switch {
		case c.Category == CategoryProfessional && g.chance(0.2):
			c.Suffix = pick(g, professionalSuffixes)
		case p.job != nil && p.job.doctor && g.chance(0.15):
			c.Suffix = pick(g, doctorSuffixes)
		case !p.female && g.chance(0.01):
			c.Suffix = "III"
		}
	}
}

var (
	professionalSuffixes = []string{"CPA", "Esq.", "CFP", "JD"}
	doctorSuffixes       = []string{"MD", "PhD", "DDS"}
)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
