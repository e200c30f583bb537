package demo

// How to reach a contact: e-mail addresses, phone numbers, postal addresses
// and web profiles.

func (g *Generator) personReach(c *Contact, f *family) {
	g.personEmails(c)
	g.personPhones(c, f)
	g.personAddresses(c, f)
	g.personWeb(c)
}

// personEmails gives nearly everyone an address; fuller profiles have
// two or three, one of them at work.
func (g *Generator) personEmails(c *Contact) {
	p, l := &g.p, g.p.level
	n := 0
	switch {
	case l < 0.25:
		n = b2i(g.chance(0.93))
	case g.chance(0.9 + 0.1*l):
		n = 1 + b2i(g.chance(0.45*l))
		if n == 2 && g.chance(0.3*l) {
			n = 3
		}
	}
	c.Emails = g.emails.take(n)
	usedWork := false
	for i := range c.Emails {
		e := &c.Emails[i]
		e.Primary = i == 0
		switch {
		case p.workDomain && !usedWork && (i > 0 || g.chance(0.35)):
			e.Label, usedWork = "work", true
			g.workEmail(e)
		default:
			e.Label = "home"
			if i > 0 {
				e.Label = "other"
			}
			g.personalEmail(e)
		}
	}
}

func (g *Generator) personPhones(c *Contact, f *family) {
	p, l := &g.p, g.p.level
	n := 0
	if g.chance(0.15 + 0.85*l) {
		n = 1 + b2i(g.chance(0.45*l))
	}
	c.Phones = g.phones.take(n)
	for i := range c.Phones {
		ph := &c.Phones[i]
		ph.Primary = i == 0
		switch ph.Label = g.phoneLabel(c.Phones[:i], f.homePhone != ""); ph.Label {
		case "mobile":
			g.mobile(&ph.Number, p.co, p.ci)
		case "home":
			ph.Number = f.homePhone
		default:
			g.landline(&ph.Number, p.co, p.ci)
		}
	}
}

// personAddresses gives the family's home and, sometimes, a work or
// mailing address.
func (g *Generator) personAddresses(c *Contact, f *family) {
	p, l := &g.p, g.p.level
	home := g.chance(0.05 + 0.95*l)
	second := g.chance(0.3 * l)
	c.Addresses = g.addrs.take(b2i(home) + b2i(second))
	if home {
		c.Addresses[0] = f.home
	}
	if second {
		a := &c.Addresses[len(c.Addresses)-1]
		if p.workDomain && g.chance(0.6) {
			a.Label = "work"
			g.streetAddress(a, p.co, p.ci, 0.6)
		} else {
			a.Label = "mailing"
			g.mailingAddress(a, p.co, p.ci)
		}
		a.Primary = !home
	}
}

// personWeb gives some working people a LinkedIn profile and some
// self-employed a website.
func (g *Generator) personWeb(c *Contact) {
	p, t := &g.p, &g.txt
	working := p.employment == "employed" || p.employment == "self_employed"
	if working && g.chance(0.05+0.35*p.level) {
		start := t.mark()
		t.str("https://www.linkedin.com/in/")
		t.str(p.firstASCII)
		t.byte('-')
		g.lastASCII()
		if g.chance(0.6) {
			t.byte('-')
			for range 6 + g.rng.IntN(3) {
				t.byte("0123456789abcdef"[g.rng.IntN(16)])
			}
		}
		t.keep(&c.LinkedIn, start)
	}
	if p.employment == "self_employed" && p.workDomain && g.chance(0.35) {
		g.website(&c.Website)
	}
}

// phoneLabel labels the next phone: mostly a mobile first, then the
// family's landline or a work number, never the same label twice.
func (g *Generator) phoneLabel(earlier []Phone, hasHome bool) string {
	if len(earlier) == 0 {
		if !hasHome || g.chance(0.85) {
			return "mobile"
		}
		return "home"
	}
	switch earlier[0].Label {
	case "mobile":
		if hasHome && g.chance(0.55) {
			return "home"
		}
		return "work"
	default:
		if g.chance(0.8) {
			return "mobile"
		}
		return "work"
	}
}

func (g *Generator) lastASCII() {
	g.txt.str(g.p.lastASCII)
	g.txt.str(g.p.lastASCII2)
}

// personalEmail makes an address at a mail provider the contact has no
// other address at.
func (g *Generator) personalEmail(e *Email) {
	p, t := &g.p, &g.txt
	var domain string
	for range 4 {
		if len(p.co.mail) > 0 && g.chance(0.35) {
			domain = pick(g, p.co.mail)
		} else {
			domain = globalMail[globalMailW.pick(g.rng)]
		}
		if !p.usedMail(domain) {
			break
		}
	}
	again := p.usedMail(domain)
	if p.nMail < len(p.mail) {
		p.mail[p.nMail] = domain
		p.nMail++
	}
	start := t.mark()
	if domain == "qq.com" && g.chance(0.7) {
		g.pattern("%#######")
		for range g.rng.IntN(3) {
			t.byte('0' + g.digit())
		}
	} else {
		g.localPart()
	}
	if again { // a second address at the same provider
		g.pattern(".%##")
	}
	t.byte('@')
	t.str(domain)
	g.keepEmail(&e.Address, start)
}

func (g *Generator) localPart() {
	p, t := &g.p, &g.txt
	first := p.firstASCII
	switch g.rng.IntN(10) {
	case 0, 1, 2:
		t.str(first)
		t.byte('.')
		g.lastASCII()
	case 3:
		t.str(first)
		g.lastASCII()
	case 4:
		t.byte(first[0])
		g.lastASCII()
	case 5:
		t.str(first)
		t.byte('_')
		g.lastASCII()
	case 6:
		g.lastASCII()
		t.byte('.')
		t.str(first)
	case 7:
		t.str(first)
		t.byte('.')
		g.lastASCII()
		t.padded(p.by%100, 2)
	case 8:
		t.str(first)
		t.byte(p.lastASCII[0])
		g.pattern("%#")
	default:
		t.str(first)
		g.pattern("%##")
	}
}

func (g *Generator) workEmail(e *Email) {
	p, t := &g.p, &g.txt
	start := t.mark()
	switch r := g.rng.IntN(20); {
	case r < 12:
		t.str(p.firstASCII)
		t.byte('.')
		g.lastASCII()
	case r < 17:
		t.byte(p.firstASCII[0])
		g.lastASCII()
	default:
		t.str(p.firstASCII)
	}
	t.byte('@')
	t.buf = append(t.buf, g.scratch...)
	g.keepEmail(&e.Address, start)
}

func (g *Generator) website(dst *string) {
	t := &g.txt
	start := t.mark()
	t.str("https://www.")
	t.buf = append(t.buf, g.scratch...)
	t.keep(dst, start)
}

// mobile makes a mobile number of the country, in E.164.
func (g *Generator) mobile(dst *string, co *country, ci *city) {
	pats := ci.mobile
	if pats == nil {
		pats = co.mobile
	}
	if pats == nil { // the country numbers mobiles like landlines
		g.landline(dst, co, ci)
		return
	}
	t := &g.txt
	start := t.mark()
	t.byte('+')
	t.str(co.cc)
	g.pattern(pick(g, pats))
	t.keep(dst, start)
}

// landline makes a fixed-line number in the city, in E.164.
func (g *Generator) landline(dst *string, co *country, ci *city) {
	t := &g.txt
	start := t.mark()
	t.byte('+')
	t.str(co.cc)
	if co.cc == "1" {
		g.nanp(pick(g, ci.phone))
	} else {
		g.pattern(pick(g, ci.phone))
	}
	t.keep(dst, start)
}

// nanp appends a North American number in the area: the exchange starts
// 2–9, is not an N11 service code, and is not 555, whose numbers are
// reserved for fiction.
func (g *Generator) nanp(area string) {
	t := &g.txt
	t.str(area)
	for {
		a, b, c := 2+g.rng.IntN(8), g.rng.IntN(10), g.rng.IntN(10)
		if b == 1 && c == 1 || a == 5 && b == 5 && c == 5 {
			continue
		}
		t.byte('0' + byte(a))
		t.byte('0' + byte(b))
		t.byte('0' + byte(c))
		break
	}
	g.digitsTo(4)
}

// streetAddress makes a street address in the city; unit is the chance of
// a flat, suite or floor on the second line.
func (g *Generator) streetAddress(a *Address, co *country, ci *city, unit float64) {
	t := &g.txt
	start := t.mark()
	streets := co.streets
	if len(ci.streets) > 0 && (len(streets) == 0 || g.chance(0.5)) {
		streets = ci.streets
	}
	street := pick(g, streets)
	if co.numFirst {
		g.pattern(pick(g, co.houseNo))
		t.str(co.sep)
		t.str(street)
	} else {
		t.str(street)
		t.str(co.sep)
		g.pattern(pick(g, co.houseNo))
	}
	t.keep(&a.Line1, start)
	if len(co.unit) > 0 && g.chance(unit) {
		start = t.mark()
		g.pattern(pick(g, co.unit))
		t.keep(&a.Line2, start)
	}
	g.locality(a, co, ci)
}

func (g *Generator) locality(a *Address, co *country, ci *city) {
	a.City, a.Region, a.Country = ci.name, ci.region, co.code
	if len(ci.postal) > 0 {
		start := g.txt.mark()
		g.pattern(pick(g, ci.postal))
		g.txt.keep(&a.PostalCode, start)
	}
}

// mailingAddress makes a post-office box where the country has them, or
// another street address.
func (g *Generator) mailingAddress(a *Address, co *country, ci *city) {
	if co.poBox == "" || !g.chance(0.6) {
		g.streetAddress(a, co, ci, 0.3)
		return
	}
	start := g.txt.mark()
	g.pattern(co.poBox)
	g.txt.keep(&a.Line1, start)
	g.locality(a, co, ci)
}
