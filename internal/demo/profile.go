package demo

import (
	"math"
	"strings"
)

// The know-your-customer profile: work, income and wealth, investment
// experience and risk, and tags. What is filled depends on the contact's
// completeness level; what is decided (a person's job, wealth) is decided
// either way, because other fields follow from it.

func (g *Generator) work(c *Contact) {
	p := &g.p
	g.employment(c.Category)
	show := g.chance(p.level + 0.1)
	switch p.employment {
	case "employed":
		if f := g.recentFirm(p.co); f != nil && g.chance(0.3) {
			p.link(f.seq, LinkEmployer)
			c.Employer, show = f.name, true
			g.scratch = append(g.scratch[:0], f.domain...)
			p.workDomain = true
		} else {
			g.employer(&c.Employer, p.job.sector, show)
		}
	case "self_employed":
		if g.chance(0.5) {
			g.ownBusiness(&c.Employer, p.job.sector, show)
		}
	}
	if show {
		g.occupation(c)
	}
}

// employment decides whether the person works, by age, and at what.
func (g *Generator) employment(category string) {
	p := &g.p
	r := g.rng.IntN(100)
	switch {
	case category == CategoryProfessional:
		p.employment = pickBy(r, 70, "employed", "self_employed")
		p.job = &professionalJobs[g.rng.IntN(len(professionalJobs))]
	case p.age >= 67:
		p.employment = pickBy3(r, 85, 95, "retired", "self_employed", "employed")
	case p.age >= 60:
		p.employment = pickBy3(r, 40, 80, "retired", "employed", "self_employed")
	case p.age <= 22:
		p.employment = pickBy3(r, 55, 90, "student", "employed", "unemployed")
	default:
		switch {
		case r < 68:
			p.employment = "employed"
		case r < 90:
			p.employment = "self_employed"
		case r < 94:
			p.employment = "unemployed"
		case r < 97:
			p.employment = "student"
		default:
			p.employment = "retired"
		}
	}
	if p.job == nil {
		switch p.employment {
		case "employed", "retired":
			p.job = &employedJobs[g.rng.IntN(len(employedJobs))]
		case "self_employed":
			p.job = &selfEmployedJobs[g.rng.IntN(len(selfEmployedJobs))]
		}
	}
}

// occupation fills the employment fields of the profile.
func (g *Generator) occupation(c *Contact) {
	p := &g.p
	c.Employment = p.employment
	t := &g.txt
	switch p.employment {
	case "employed", "self_employed":
		c.Occupation = p.job.title
	case "retired":
		if g.chance(0.6) {
			c.Occupation = "Retired"
		} else {
			start := t.mark()
			t.str("Retired ")
			t.str(p.job.title)
			t.keep(&c.Occupation, start)
		}
	case "student":
		c.Occupation = pick(g, studentJobs)
	}
	switch r := g.rng.IntN(100); p.employment {
	case "employed":
		c.IncomeSource = pickBy3(r, 85, 95, "salary", "investments", "other")
	case "self_employed":
		c.IncomeSource = pickBy(r, 85, "business", "investments")
	case "retired":
		c.IncomeSource = pickBy3(r, 60, 90, "pension", "investments", "inheritance")
	case "student":
		c.IncomeSource = pickBy(r, 70, "other", "inheritance")
	default:
		c.IncomeSource = pickBy3(r, 50, 80, "other", "investments", "inheritance")
	}
}

func pickBy(r, cut int, a, b string) string {
	if r < cut {
		return a
	}
	return b
}

func pickBy3(r, cut1, cut2 int, a, b, c string) string {
	if r < cut1 {
		return a
	}
	return pickBy(r, cut2, b, c)
}

// recentFirm picks a remembered company in the country, or nil.
func (g *Generator) recentFirm(co *country) *firmRec {
	n := min(g.nFirms, firmRing)
	if n == 0 {
		return nil
	}
	for range 4 {
		if f := &g.firms[g.rng.IntN(n)]; f.co == co {
			return f
		}
	}
	return nil
}

// employer names an employer in the sector and puts its domain in scratch.
func (g *Generator) employer(dst *string, s sector, keep bool) {
	p, t := &g.p, &g.txt
	english := sameLanguage(p.co.lang, "en")
	if s == sectorPublic && !english {
		s = sectorGeneral // "Oakfield Council" reads English
	}
	start := t.mark()
	pre, suf := pick(g, firmPrefixes), pick(g, firmSuffixes)
	ind := pick(g, sectorIndustries[s])
	switch {
	case s == sectorPublic && g.chance(0.5):
		t.str("City of ")
		t.str(p.ci.name)
		g.scratch = append(g.scratch[:0], p.ci.ascii...)
		if p.co.code == "US" {
			g.scratch = append(g.scratch, ".gov"...)
		} else { // london.gov.uk, sydney.gov.au
			g.scratch = append(g.scratch, ".gov."...)
			g.scratch = append(g.scratch, p.co.tld[strings.LastIndexByte(p.co.tld, '.')+1:]...)
		}
	default:
		t.str(pre)
		t.str(suf)
		t.byte(' ')
		t.str(ind)
		short := g.chance(0.5)
		if s != sectorPublic && s != sectorEducation && len(p.co.legal) > 0 && g.chance(0.6) {
			t.byte(' ')
			t.str(pick(g, p.co.legal))
		}
		g.firmDomain(pre, suf, ind, short, p.co)
	}
	if keep {
		t.keep(dst, start)
	}
	p.workDomain = true
}

// ownBusiness names a self-employed person's business after them.
func (g *Generator) ownBusiness(dst *string, s sector, keep bool) {
	p, t := &g.p, &g.txt
	start := t.mark()
	ind := pick(g, sectorIndustries[s])
	family := p.fam.members[p.slot].last1 // Kowalski Consulting, even for Anna Kowalska
	t.str(family.latin)
	t.byte(' ')
	t.str(ind)
	if len(p.co.legal) > 0 {
		t.byte(' ')
		t.str(pick(g, p.co.legal))
	}
	if keep {
		t.keep(dst, start)
	}
	g.scratch = append(g.scratch[:0], family.ascii...)
	g.scratch = appendASCII(g.scratch, ind)
	g.scratch = append(g.scratch, '.')
	g.scratch = append(g.scratch, p.co.tld...)
	p.workDomain = true
}

// firmDomain puts a firm's domain in scratch: "northbridge.com",
// "silverwoodlogistics.de".
func (g *Generator) firmDomain(pre, suf, ind string, short bool, co *country) {
	b := appendASCII(g.scratch[:0], pre)
	b = append(b, suf...)
	if !short {
		b = appendASCII(b, ind)
	}
	b = append(b, '.')
	b = append(b, co.tld...)
	g.scratch = b
}

// appendASCII appends the lower-case ASCII letters and digits of s.
func appendASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	return b
}

// finances decides wealth, income and what the contact has invested.
func (g *Generator) finances(c *Contact) {
	p := &g.p
	ageF := min(max(float64(p.age-35)/30, -0.5), 1)
	p.wealth = g.rng.NormFloat64() + 0.6*ageF
	if c.Category == CategoryClient {
		p.wealth += 0.3
	}
	if g.chance(investedChance(c.Category)) {
		p.investedUSD = min(max(math.Exp(11+1.45*p.wealth), 2000), 50e6)
	}
	p.netWorthUSD = max(p.investedUSD*(1.3+2*g.rng.Float64()), math.Exp(11.6+1.5*p.wealth))
	noise := g.rng.NormFloat64()
	switch p.employment {
	case "employed":
		p.incomeUSD = math.Exp(11.1 + 0.55*noise + 0.25*p.wealth)
	case "self_employed":
		p.incomeUSD = math.Exp(11.2 + 0.85*noise + 0.3*p.wealth)
	case "retired":
		p.incomeUSD = math.Exp(10.6 + 0.5*noise + 0.3*p.wealth)
	default:
		p.incomeUSD = math.Exp(9.4 + 0.6*noise)
	}
	g.money(c)
	if g.chance(p.level) {
		c.AnnualIncome = incomeBand(p.incomeUSD)
		c.NetWorth = netWorthBand(p.netWorthUSD)
		c.TaxResidency = p.co.code
	}
}

// investedChance is the share of contacts in the category with assets at
// the firm: every client, some who left or have only started.
func investedChance(category string) float64 {
	switch category {
	case CategoryClient:
		return 1
	case CategoryFormerClient:
		return 0.3
	case CategoryProspect:
		return 0.12
	}
	return 0.04
}

// money sets the contact's currency and invested amount.
func (g *Generator) money(c *Contact) {
	p := &g.p
	c.Currency = p.co.currency
	rate, minor := p.co.perUSD, p.co.minor
	if p.co.code != "US" && g.chance(0.12) {
		c.Currency, rate, minor = "USD", 1, 2
	}
	if p.investedUSD > 0 {
		c.InvestedMinor = int64(math.Round(p.investedUSD * rate * math.Pow10(minor)))
	}
}

func incomeBand(usd float64) string {
	switch {
	case usd < 50e3:
		return "0-50k"
	case usd < 100e3:
		return "50-100k"
	case usd < 250e3:
		return "100-250k"
	case usd < 1e6:
		return "250k-1m"
	}
	return "1m+"
}

func netWorthBand(usd float64) string {
	switch {
	case usd < 100e3:
		return "0-100k"
	case usd < 500e3:
		return "100k-500k"
	case usd < 1e6:
		return "500k-1m"
	case usd < 5e6:
		return "1m-5m"
	}
	return "5m+"
}

// experience fills investment experience and the risk profile.
func (g *Generator) experience(c *Contact) {
	p := &g.p
	if g.chance(1.1*p.level - 0.1) {
		score := 0.5*p.wealth + float64(p.age-30)/40 + 0.7*g.rng.NormFloat64()
		var n int
		switch {
		case score < -0.6:
			c.ExperienceYears, c.TradesPerYear = "none", "0"
			if g.chance(0.5) {
				c.MarketsTraded = g.strs.take(1)
				c.MarketsTraded[0] = "funds"
			}
		default:
			c.ExperienceYears = "1-2"
			if score >= 0 {
				c.ExperienceYears = "3-5"
			}
			if score >= 0.7 {
				c.ExperienceYears = "5+"
			}
			var picked [8]bool
			for i, share := range marketShare {
				if i == 6 && p.age < 40 {
					share += 15 // crypto
				}
				if g.rng.IntN(100) < share {
					picked[i] = true
					n++
				}
			}
			if n == 0 {
				picked[0], n = true, 1
			}
			c.MarketsTraded = g.strs.take(n)
			k := 0
			for i, ok := range picked {
				if ok {
					c.MarketsTraded[k] = markets[i]
					k++
				}
			}
			switch r := g.rng.IntN(100) - 8*(n-2); {
			case r < 12:
				c.TradesPerYear = "50+"
			case r < 30:
				c.TradesPerYear = "11-50"
			default:
				c.TradesPerYear = "1-10"
			}
		}
		c.Qualification = g.qualification()
	}
	if g.chance(p.level) {
		g.riskProfile(c, float64(p.age))
	}
}

func (g *Generator) qualification() string {
	p := &g.p
	r := g.rng.IntN(100)
	if p.job != nil && p.job.sector == sectorFinance {
		return pickBy3(r, 50, 80, "industry_experience", "professional_cert", "relevant_degree")
	}
	switch {
	case r < 10:
		return "relevant_degree"
	case r < 14:
		return "professional_cert"
	case r < 18:
		return "industry_experience"
	}
	return "none"
}

// riskProfile sets risk tolerance, objective and horizon: younger and
// wealthier investors take more risk and look further ahead.
func (g *Generator) riskProfile(c *Contact, age float64) {
	p := &g.p
	x := 0.5 - (age-45)/60 + 0.12*p.wealth + 0.35*g.rng.NormFloat64()
	r := g.rng.IntN(100)
	switch {
	case x < 0.25:
		c.RiskTolerance = "low"
		c.InvestmentObjective = pickBy(r, 55, "preservation", "income")
	case x < 0.8:
		c.RiskTolerance = "medium"
		c.InvestmentObjective = pickBy3(r, 45, 90, "growth", "income", "preservation")
	default:
		c.RiskTolerance = "high"
		c.InvestmentObjective = pickBy(r, 78, "growth", "speculation")
	}
	r = g.rng.IntN(100)
	switch {
	case age < 45:
		c.TimeHorizon = pickBy3(r, 75, 95, "long", "medium", "short")
	case age < 65:
		c.TimeHorizon = pickBy3(r, 45, 85, "medium", "long", "short")
	default:
		c.TimeHorizon = pickBy3(r, 50, 90, "short", "medium", "long")
	}
}

// tags gives up to three tags, those the profile suggests first.
func (g *Generator) tags(c *Contact) {
	p := &g.p
	var picked [3]int
	n := 0
	add := func(i int) {
		for _, j := range picked[:n] {
			if j == i {
				return
			}
		}
		if n < len(picked) {
			picked[n] = i
			n++
		}
	}
	maybe := func(cond bool, chance float64, tag int) {
		if cond && g.chance(chance) {
			add(tag)
		}
	}
	maybe(p.employment == "retired", 0.5, tagRetiree)
	maybe(p.netWorthUSD >= 1e6, 0.45, tagHNW)
	maybe(p.investedUSD >= 2e6, 0.5, tagVIP)
	maybe(p.employment == "self_employed", 0.4, tagBusinessOwner)
	maybe(p.job != nil && p.job.sector == sectorHealth, 0.3, tagMedical)
	maybe(p.job != nil && p.job.sector == sectorTech, 0.3, tagTech)
	maybe(p.co.code == "US" && p.employment != "student", 0.06, tag401k)
	maybe(p.co.code == "GB" && p.age > 50, 0.1, tagPensionTransfer)
	maybe(p.expat, 0.3, tagExpat)
	maybe(p.referred, 0.6, tagReferral)
	want := [...]int{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3}[g.rng.IntN(20)]
	for n < want {
		add(pick(g, freeTags))
	}
	c.Tags = g.strs.take(n)
	for i := range c.Tags {
		c.Tags[i] = tagPool[picked[i]]
	}
}
