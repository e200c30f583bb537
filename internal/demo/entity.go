package demo

import "math"

// Entities are built from persons generated earlier: households and joint
// accounts from families, trusts from parents and their children, companies
// from an owner and staff, retirement accounts from one saver, funds from a
// manager and investors. They take their country, advisor and (mostly)
// category from the person they are built around.

// who is an earlier person an entity names or links to.
type who struct {
	seq         int
	first, last string // Latin script, the surname in the person's own form
	family      string // the surname's base form, which names families and firms
	familyASCII string
}

func (f *family) who(i int) who {
	m := &f.members[i]
	_, last, _ := m.last1.forms(m.female)
	return who{f.seqs[i], f.givens[i].latin, last, m.last1.latin, m.last1.ascii}
}

func (r *personRec) who() who { return who{r.seq, r.first, r.last, r.family.latin, r.family.ascii} }

func (g *Generator) entity(c *Contact) {
	g.p = subject{}
	var ok bool
	switch r := g.rng.IntN(100); {
	case r < 28:
		ok = g.household(c)
	case r < 48:
		ok = g.joint(c)
	case r < 60:
		ok = g.trust(c)
	case r < 74:
		ok = g.retirement(c)
	case r < 80:
		ok = g.fund(c)
	}
	if !ok {
		g.company(c)
	}
	g.takeLinks(c)
}

// settle sets what every entity has from where it is and whose it is.
func (g *Generator) settle(c *Contact, kind string, co *country, ci *city, owner int, category string) {
	p := &g.p
	c.Kind = kind
	p.co, p.ci, p.citizen = co, ci, co
	c.OwnerIndex, c.Category = owner, category
	if !g.chance(0.7) {
		c.Category = g.category()
	}
	p.level = g.completeness(c.Category)
	c.Language, c.TimeZone = co.lang, ci.tz
}

func (g *Generator) settleOn(c *Contact, kind string, r *personRec) {
	g.settle(c, kind, r.co, r.ci, r.owner, r.category)
}

// entityName keeps the name built since start; bank accounts are held in it.
func (g *Generator) entityName(c *Contact, start int) {
	g.p.fullName = g.txt.keep(&c.EntityName, start)
}

func (g *Generator) household(c *Contact) bool {
	f := g.recentFamily(func(f *family) bool { return f.n >= 2 && f.used&usedHousehold == 0 })
	if f == nil {
		return false
	}
	f.used |= usedHousehold
	p, t := &g.p, &g.txt
	g.settle(c, KindHousehold, f.co, f.ci, f.owner, f.category)
	head := f.who(0)
	start := t.mark()
	switch g.rng.IntN(3) {
	case 0:
		t.str("The ")
		t.str(head.family)
		t.str(" Household")
	case 1:
		t.str(head.family)
		t.str(" Family")
	default:
		t.str("The ")
		t.str(head.family)
		t.str(" Family")
	}
	g.entityName(c, start)
	for i := range f.n {
		p.link(f.seqs[i], LinkHouseholdMember)
	}
	if g.chance(0.3 + 0.7*p.level) {
		c.Addresses = g.addrs.take(1)
		c.Addresses[0] = f.home
	}
	if f.homePhone != "" && g.chance(0.5) {
		c.Phones = g.phones.take(1)
		c.Phones[0] = Phone{Label: "home", Number: f.homePhone, Primary: true}
	}
	if g.chance(0.25) {
		c.Emails = g.emails.take(1)
		e := &c.Emails[0]
		e.Label, e.Primary = "home", true
		start := t.mark()
		if g.chance(0.5) {
			t.str("the")
			t.str(head.familyASCII)
			t.byte('s')
		} else {
			t.str(head.familyASCII)
			t.str("family")
		}
		t.byte('@')
		t.str(globalMail[globalMailW.pick(g.rng)])
		g.keepEmail(&e.Address, start)
	}
	g.entityProfile(c, false)
	return true
}

func (g *Generator) joint(c *Contact) bool {
	var a, b who
	var f *family
	if g.chance(0.65) {
		f = g.recentFamily(func(f *family) bool {
			return f.n >= 2 && f.members[1].role == roleSpouse && f.used&usedJoint == 0
		})
	}
	if f != nil {
		f.used |= usedJoint
		a, b = f.who(0), f.who(1)
		g.settle(c, KindJoint, f.co, f.ci, f.owner, f.category)
	} else {
		r1 := g.recentPerson(18)
		if r1 == nil {
			return false
		}
		r2 := g.recentPersonIn(r1.co, 18, r1.seq)
		if r2 == nil {
			return false
		}
		a, b = r1.who(), r2.who()
		g.settleOn(c, KindJoint, r1)
	}
	p, t := &g.p, &g.txt
	us := p.co.code == "US"
	start := t.mark()
	switch r := g.rng.IntN(3); {
	case a.last == b.last && r == 2:
		t.str(a.last)
	case a.last == b.last:
		t.str(a.first)
		t.str(" & ")
		t.str(b.first)
		t.byte(' ')
		t.str(a.last)
	case r == 0:
		t.str(a.last)
		t.str(" & ")
		t.str(b.last)
	default:
		t.str(a.first)
		t.byte(' ')
		t.str(a.last)
		t.str(" & ")
		t.str(b.first)
		t.byte(' ')
		t.str(b.last)
	}
	if us && g.chance(0.4) {
		t.str(" JTWROS")
	} else {
		t.str(" Joint Account")
	}
	g.entityName(c, start)
	p.link(a.seq, LinkJointHolder)
	p.link(b.seq, LinkJointHolder)
	if f != nil && g.chance(0.2+0.6*p.level) {
		c.Addresses = g.addrs.take(1)
		c.Addresses[0] = f.home
	}
	g.entityProfile(c, false)
	return true
}

func (g *Generator) trust(c *Contact) bool {
	p, t := &g.p, &g.txt
	var trustee who
	f := g.recentFamily(func(f *family) bool {
		return f.n >= 2 && f.used&usedTrust == 0 && f.members[0].age >= 30
	})
	if f != nil {
		f.used |= usedTrust
		g.settle(c, KindTrust, f.co, f.ci, f.owner, f.category)
		trustee = f.who(0)
		p.link(trustee.seq, LinkTrustee)
		for i := 1; i < f.n; i++ {
			if f.members[i].role == roleSpouse && f.n > 2 && g.chance(0.4) {
				p.link(f.seqs[i], LinkTrustee)
			} else {
				p.link(f.seqs[i], LinkBeneficiary)
			}
		}
	} else {
		r := g.recentPerson(30)
		if r == nil {
			return false
		}
		b := g.recentPersonIn(r.co, 18, r.seq)
		if b == nil {
			return false
		}
		g.settleOn(c, KindTrust, r)
		trustee = r.who()
		p.link(r.seq, LinkTrustee)
		p.link(b.seq, LinkBeneficiary)
	}
	start := t.mark()
	switch code, r := p.co.code, g.rng.IntN(4); {
	case code == "US" && r == 0:
		t.str("The ")
		t.str(trustee.family)
		t.str(" Revocable Living Trust")
	case code == "US" && r == 1:
		t.str(trustee.first)
		t.byte(' ')
		t.str(trustee.last)
		t.str(" Irrevocable Trust")
	case code == "US" && r == 2:
		t.str(trustee.family)
		t.str(" Family Trust dtd ")
		t.int(1990 + g.rng.IntN(35))
	case (code == "GB" || code == "IE" || code == "AU" || code == "CA") && r < 2:
		t.str("The ")
		t.str(trustee.family)
		t.str(" Discretionary Trust")
	default:
		t.str(trustee.family)
		t.str(" Family Trust")
	}
	g.entityName(c, start)
	if f != nil && g.chance(0.2+0.6*p.level) {
		c.Addresses = g.addrs.take(1)
		c.Addresses[0] = f.home
		c.Addresses[0].Label = "mailing"
	}
	g.entityProfile(c, true)
	return true
}

func (g *Generator) retirement(c *Contact) bool {
	r := g.recentPerson(25)
	if r == nil {
		return false
	}
	p, t := &g.p, &g.txt
	g.settleOn(c, KindRetirement, r)
	start := t.mark()
	if p.co.code == "AU" {
		t.str(r.family.latin)
		t.str(" Family Super Fund")
	} else {
		t.str(r.first)
		t.byte(' ')
		t.str(r.last)
		t.byte(' ')
		switch p.co.code {
		case "US":
			t.str(pick(g, usRetirement))
		case "GB":
			t.str("SIPP")
		case "CA":
			t.str(pick(g, caRetirement))
		case "IE":
			t.str("PRSA")
		case "CH":
			t.str("Pillar 3a")
		default:
			t.str(pick(g, otherRetirement))
		}
	}
	g.entityName(c, start)
	p.link(r.seq, LinkOwner)
	if f := g.familyOf(r.fam); f != nil && r.slot < 2 && f.n >= 2 && f.members[1].role == roleSpouse {
		p.link(f.seqs[1-r.slot], LinkBeneficiary)
	}
	g.entityProfile(c, false)
	return true
}

func (g *Generator) company(c *Contact) {
	p, t := &g.p, &g.txt
	owner := g.recentPerson(25)
	if owner == nil {
		owner = g.recentPerson(0)
	}
	g.settleOn(c, KindCompany, owner)
	s := sector(g.rng.IntN(int(sectorEngineering) + 1))
	ind := pick(g, sectorIndustries[s])
	start := t.mark()
	switch r := g.rng.IntN(100); {
	case r < 40:
		t.str(owner.family.latin)
		t.byte(' ')
		t.str(ind)
		g.scratch = append(g.scratch[:0], owner.family.ascii...)
		g.scratch = appendASCII(g.scratch, ind)
		g.scratch = append(g.scratch, '.')
		g.scratch = append(g.scratch, p.co.tld...)
	case r < 85:
		pre, suf := pick(g, firmPrefixes), pick(g, firmSuffixes)
		t.str(pre)
		t.str(suf)
		t.byte(' ')
		t.str(ind)
		g.firmDomain(pre, suf, ind, g.chance(0.5), p.co)
	default:
		partner := g.recentPersonIn(owner.co, 25, owner.seq)
		if partner == nil {
			partner = owner
		}
		t.str(owner.family.latin)
		t.str(" & ")
		t.str(partner.family.latin)
		g.scratch = append(g.scratch[:0], owner.family.ascii...)
		g.scratch = append(g.scratch, partner.family.ascii...)
		g.scratch = append(g.scratch, '.')
		g.scratch = append(g.scratch, p.co.tld...)
	}
	if len(p.co.legal) > 0 && g.chance(0.9) {
		t.byte(' ')
		t.str(pick(g, p.co.legal))
	}
	g.entityName(c, start)
	g.keepDomain()

	p.link(owner.seq, LinkOwner)
	not := [4]int{owner.seq, -1, -1, -1}
	if g.chance(0.35) {
		if r := g.recentPersonIn(p.co, 21, not[:1]...); r != nil {
			p.link(r.seq, LinkAuthorisedSigner)
			not[1] = r.seq
		}
	}
	for i := range g.rng.IntN(3) {
		if r := g.recentPersonIn(p.co, 18, not[:2+i]...); r != nil {
			p.link(r.seq, LinkMember)
			not[2+i] = r.seq
		}
	}
	g.firmReach(c, mailboxes, g.chance(0.7))
	g.entityProfile(c, true)
}

func (g *Generator) fund(c *Contact) bool {
	manager := g.recentPerson(30)
	if manager == nil {
		return false
	}
	p, t := &g.p, &g.txt
	g.settleOn(c, KindFund, manager)
	switch p.co.code {
	case "US", "GB", "IE", "CH", "SG", "HK", "AE", "CA", "AU", "DE", "FR", "NL":
	default: // funds are domiciled in financial centres
		co := g.t.countries[pick(g, fundCentres)]
		p.co, p.ci, p.citizen = co, &co.cities[g.rng.IntN(len(co.cities))], co
		c.Language, c.TimeZone = co.lang, p.ci.tz
	}
	pre, suf := pick(g, firmPrefixes), pick(g, firmSuffixes)
	start := t.mark()
	t.str(pre)
	t.str(suf)
	if g.chance(0.3) {
		t.str(" Capital Partners")
	} else {
		t.byte(' ')
		t.str(pick(g, fundStrategies))
		t.str(" Fund")
	}
	if g.chance(0.4) {
		t.byte(' ')
		t.str(pick(g, romanNumerals))
	}
	switch p.co.code {
	case "US":
		t.str(pick(g, usFundForms))
	case "GB":
		t.str(pick(g, gbFundForms))
	case "IE":
		t.str(pick(g, ieFundForms))
	case "CH":
		t.str(" SICAV")
	default:
		if len(p.co.legal) > 0 && g.chance(0.5) {
			t.byte(' ')
			t.str(pick(g, p.co.legal))
		} else {
			t.str(" LP")
		}
	}
	g.entityName(c, start)
	g.firmDomain(pre, suf, "capital", false, p.co)
	g.keepDomain()
	p.link(manager.seq, LinkAuthorisedSigner)
	not := [3]int{manager.seq, -1, -1}
	for i := range 1 + g.rng.IntN(2) {
		if r := g.recentPerson(30, not[:1+i]...); r != nil {
			p.link(r.seq, LinkMember)
			not[1+i] = r.seq
		}
	}
	g.firmReach(c, fundMailboxes, g.chance(0.8))
	g.entityProfile(c, true)
	return true
}

// keepDomain keeps the domain in scratch as the firm's, for the people who
// will work there.
func (g *Generator) keepDomain() {
	t := &g.txt
	start := t.mark()
	t.buf = append(t.buf, g.scratch...)
	t.keep(&g.p.domain, start)
	g.p.workDomain = true
}

// firmReach gives a company or fund its mailboxes, switchboard, office and
// web presence.
func (g *Generator) firmReach(c *Contact, boxes []string, website bool) {
	p, t := &g.p, &g.txt
	n := 0
	if g.chance(0.4 + 0.5*p.level) {
		n = 1 + b2i(g.chance(0.3))
	}
	c.Emails = g.emails.take(n)
	first := g.rng.IntN(len(boxes))
	for i := range c.Emails {
		e := &c.Emails[i]
		e.Label, e.Primary = "work", i == 0
		if i > 0 {
			e.Label = "other"
		}
		start := t.mark()
		t.str(boxes[(first+i)%len(boxes)])
		t.byte('@')
		t.buf = append(t.buf, g.scratch...)
		g.keepEmail(&e.Address, start)
	}
	if g.chance(0.3 + 0.6*p.level) {
		c.Phones = g.phones.take(1)
		c.Phones[0].Label, c.Phones[0].Primary = "work", true
		g.landline(&c.Phones[0].Number, p.co, p.ci)
	}
	if g.chance(0.3 + 0.7*p.level) {
		c.Addresses = g.addrs.take(1)
		a := &c.Addresses[0]
		a.Label, a.Primary = "work", true
		g.streetAddress(a, p.co, p.ci, 0.6)
	}
	if website {
		g.website(&c.Website)
	}
	if g.chance(0.35) {
		start := t.mark()
		t.str("https://www.linkedin.com/company/")
		dot := 0
		for dot < len(g.scratch) && g.scratch[dot] != '.' {
			dot++
		}
		t.buf = append(t.buf, g.scratch[:dot]...)
		t.keep(&c.LinkedIn, start)
	}
}

// entityProfile fills an entity's money, risk profile, tax number, bank
// accounts, external ID and tags.
func (g *Generator) entityProfile(c *Contact, taxID bool) {
	p, t := &g.p, &g.txt
	p.wealth = g.rng.NormFloat64() + 0.5
	if g.chance(investedChance(c.Category)) {
		p.investedUSD = min(max(math.Exp(11.5+1.5*p.wealth), 5000), 50e6)
	}
	g.money(c)
	if g.chance(p.level) {
		c.TaxResidency = p.co.code
	}
	if g.chance(p.level - 0.1) {
		g.riskProfile(c, 50)
	}
	if taxID && g.chance(0.3+0.6*p.level) {
		start := t.mark()
		g.firmTaxID(p.co)
		t.keep(&c.TaxID, start)
		c.TaxResidency = p.co.code
	}
	n := 0
	if c.Category == CategoryClient && g.chance(0.3+0.6*p.level) || g.chance(0.1*p.level) {
		n = 1 + b2i(g.chance(0.1))
	}
	g.bankAccounts(c, n)
	g.externalID(c)
	g.entityTags(c)
}

func (g *Generator) entityTags(c *Contact) {
	p := &g.p
	var hint int
	switch c.Kind {
	case KindHousehold:
		hint = pick(g, householdTags)
	case KindTrust:
		hint = pick(g, trustTags)
	case KindRetirement:
		switch p.co.code {
		case "US":
			hint = tag401k
		case "GB":
			hint = tagPensionTransfer
		default:
			hint = tagRetiree
		}
	case KindCompany:
		hint = pick(g, companyTags)
	default:
		hint = pick(g, fundTags)
	}
	n := 0
	if g.chance(0.45) {
		n = 1 + b2i(g.chance(0.25))
	}
	c.Tags = g.strs.take(n)
	for i := range c.Tags {
		c.Tags[i] = tagPool[hint]
		if i > 0 {
			for c.Tags[i] == c.Tags[0] {
				c.Tags[i] = pick(g, tagPool)
			}
		}
	}
}

var (
	usRetirement    = []string{"IRA", "Roth IRA", "Rollover IRA", "SEP IRA", "401(k)"}
	caRetirement    = []string{"RRSP", "TFSA", "RRIF"}
	otherRetirement = []string{"Pension Plan", "Retirement Account"}
	fundCentres     = []string{"US", "GB", "IE", "CH", "SG"}
	usFundForms     = []string{" LP", ", L.P.", " LLC"}
	gbFundForms     = []string{" LP", " Ltd"}
	ieFundForms     = []string{" ICAV", " plc"}
	householdTags   = []int{tagAnnualReview, tagNewsletter, tagEstate, tagCollege}
	trustTags       = []int{tagEstate, tagEstate, tagPhilanthropy, tagTaxPlanning}
	companyTags     = []int{tagBusinessOwner, tagTaxPlanning, tagESG}
	fundTags        = []int{tagESG, tagVIP, tagTaxPlanning}
)
