package demo

// Identifiers: which contacts have tax numbers and passports, company tax
// numbers, external IDs, and the digit arithmetic the check digits share.

func (g *Generator) personIDs(c *Contact) {
	p, t := &g.p, &g.txt
	taxChance, passportChance := 0.1*p.level, 0.15*p.level
	switch {
	case p.level == 1: // a complete profile
		taxChance, passportChance = 1, 1
	case c.Category == CategoryClient: // with the complete ones, about 60% of clients
		taxChance, passportChance = 0.33, 0.5*p.level
	case c.Category == CategoryFormerClient:
		taxChance, passportChance = 0.45, 0.3*p.level
	}
	if g.chance(taxChance) {
		start := t.mark()
		g.personTaxID(p.co)
		t.keep(&c.TaxID, start)
		c.TaxResidency = p.co.code
	}
	if g.chance(passportChance) {
		start := t.mark()
		g.pattern(p.citizen.passport)
		t.keep(&c.NationalID, start)
		c.Citizenship = p.citizen.code // the passport's issuer
	}
	g.externalID(c)
}

// externalID gives most clients, and some others, the ID of the CRM they
// were imported from. The number comes from the sequence number, so it is
// unique.
func (g *Generator) externalID(c *Contact) {
	chance := 0.2
	if c.Category == CategoryClient || c.Category == CategoryFormerClient {
		chance = 0.6
	}
	if !g.chance(chance) {
		return
	}
	t := &g.txt
	start := t.mark()
	switch g.rng.IntN(4) {
	case 0:
		t.str("WB-")
		t.padded(c.seq+1, 6)
	case 1:
		t.str("RT-")
		t.int(c.seq + 10000)
	case 2:
		t.str("SF-003")
		t.padded(c.seq+1, 9)
	default:
		t.str("JX")
		t.padded(c.seq+1, 7)
	}
	t.keep(&c.ExternalID, start)
}

// firmTaxID appends a company's, trust's or fund's tax number.
func (g *Generator) firmTaxID(co *country) {
	switch {
	case co.code == "US": // EIN, with a prefix the IRS assigns
		g.txt.str(pick(g, einPrefixes))
		g.pattern("-#######")
	case co.firmTax != "":
		g.pattern(co.firmTax)
	default:
		g.pattern("%########")
	}
}

var einPrefixes = []string{
	"10", "12", "13", "14", "20", "22", "26", "27", "30", "35", "36", "38", "45", "46", "47", "52", "56", "61",
	"75", "81", "82", "83", "84", "85", "86", "87", "88", "91", "92", "93", "98", "99",
}

func (g *Generator) randomDigits(d []byte) {
	for i := range d {
		d[i] = g.digit()
	}
}

// digitBytes appends digit values as characters.
func (g *Generator) digitBytes(d []byte) {
	for _, x := range d {
		g.txt.byte('0' + x)
	}
}

// grouped appends digit values in groups of size separated by sep.
func (g *Generator) grouped(d []byte, size int, sep byte) {
	for i, x := range d {
		if i > 0 && i%size == 0 {
			g.txt.byte(sep)
		}
		g.txt.byte('0' + x)
	}
}

// dateDigits writes three two-digit numbers as six digit values.
func dateDigits(d []byte, a, b, c int) {
	d[0], d[1], d[2], d[3], d[4], d[5] = byte(a/10), byte(a%10), byte(b/10), byte(b%10), byte(c/10), byte(c%10)
}

// luhn returns the check digit that makes payload followed by it pass the
// Luhn test.
func luhn(payload []byte) byte {
	sum := 0
	for i := range payload {
		x := int(payload[len(payload)-1-i])
		if i%2 == 0 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return byte((10 - sum%10) % 10)
}

func cpfCheck(d []byte) byte {
	sum := 0
	for i, x := range d {
		sum += int(x) * (len(d) + 1 - i)
	}
	return byte(sum * 10 % 11 % 10)
}

// mod11Check is 11 minus the weighted sum mod 11, 0 for 11; ok is false when
// that is 10 and no digit works.
func mod11Check(d []byte, w []int) (byte, bool) {
	sum := 0
	for i, x := range d {
		sum += int(x) * w[i]
	}
	k := (11 - sum%11) % 11
	return byte(k), k != 10
}

func weightedMod11(d []byte, w []int) byte {
	sum := 0
	for i, x := range d {
		sum += int(x) * w[i]
	}
	return byte(sum % 11 % 10)
}
