package demo

// Tax and social-security numbers of persons, one maker per country. They
// pass their countries' check-digit rules and, where the number encodes
// them, agree with the person's birth date and sex.

// personTaxID appends the person's tax or social-security number in co.
func (g *Generator) personTaxID(co *country) {
	if mk, ok := taxIDMakers[co.code]; ok {
		mk(g)
		return
	}
	p, ok := taxIDPatterns[co.code]
	if !ok {
		p = "%########"
	}
	g.pattern(p)
}

// taxIDPatterns are the numbers without check digits.
var taxIDPatterns = map[string]string{
	"NG": "%##########",       // National Identification Number
	"VN": "8#########",        // personal tax code
	"CO": "1%########",        // cédula de ciudadanía
	"FR": "[0-3]############", // numéro fiscal
}

var taxIDMakers = map[string]func(*Generator){
	"US": (*Generator).ssn,
	"CA": (*Generator).sin,
	"GB": (*Generator).nino,
	"IE": (*Generator).ppsn,
	"AU": (*Generator).tfn,
	"ES": (*Generator).dni,
	"MX": (*Generator).rfc,
	"AR": (*Generator).cuil,
	"BR": (*Generator).cpf,
	"PT": (*Generator).nif,
	"DE": (*Generator).steuerID,
	"AT": (*Generator).svnr,
	"CH": (*Generator).ahv,
	"NL": (*Generator).bsn,
	"IT": (*Generator).codiceFiscale,
	"PL": (*Generator).pesel,
	"SE": (*Generator).personnummer,
	"NO": (*Generator).fodselsnummer,
	"DK": (*Generator).cpr,
	"TR": (*Generator).kimlik,
	"GR": (*Generator).afm,
	"RU": (*Generator).inn,
	"IN": (*Generator).pan,
	"CN": (*Generator).chinaID,
	"HK": (*Generator).hkid,
	"SG": (*Generator).nric,
	"JP": (*Generator).myNumber,
	"KR": (*Generator).rrn,
	"AE": (*Generator).emiratesID,
	"SA": (*Generator).saudiID,
	"EG": (*Generator).egyptID,
}

// ssn appends a US Social Security number: no area 000, 666 or 9xx, no
// group 00, no serial 0000.
func (g *Generator) ssn() {
	t := &g.txt
	area := 1 + g.rng.IntN(898)
	if area == 666 {
		area = 667
	}
	t.padded(area, 3)
	t.byte('-')
	t.padded(1+g.rng.IntN(99), 2)
	t.byte('-')
	t.padded(1+g.rng.IntN(9999), 4)
}

// sin appends a Canadian Social Insurance Number, Luhn-checked.
func (g *Generator) sin() {
	var d [20]byte
	d[0] = byte(1 + g.rng.IntN(7))
	g.randomDigits(d[1:8])
	d[8] = luhn(d[:8])
	g.grouped(d[:9], 3, ' ')
}

// nino appends a UK National Insurance number.
func (g *Generator) nino() {
	t := &g.txt
	const first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
	for {
		a, b := first[g.rng.IntN(len(first))], second[g.rng.IntN(len(second))]
		if !unusedNIPrefix(a, b) {
			t.byte(a)
			t.byte(b)
			break
		}
	}
	g.digitsTo(6)
	t.byte("ABCD"[g.rng.IntN(4)])
}

// ppsn appends an Irish Personal Public Service Number.
func (g *Generator) ppsn() {
	t := &g.txt
	var d [20]byte
	g.randomDigits(d[:7])
	sum := 0
	for i := range 7 {
		sum += int(d[i]) * (8 - i)
	}
	g.digitBytes(d[:7])
	t.byte("WABCDEFGHIJKLMNOPQRSTUV"[sum%23])
}

// tfn appends an Australian Tax File Number.
func (g *Generator) tfn() {
	var d [20]byte
	w := [9]int{1, 4, 3, 7, 5, 8, 6, 9, 10}
	for {
		g.randomDigits(d[:8])
		sum := 0
		for i := range 8 {
			sum += int(d[i]) * w[i]
		}
		if sum%11 != 10 {
			d[8] = byte(sum % 11)
			break
		}
	}
	g.grouped(d[:9], 3, ' ')
}

// cuil appends an Argentine CUIL.
func (g *Generator) cuil() {
	p, t := &g.p, &g.txt
	var d [20]byte
	prefix := [2]byte{2, 0}
	if p.female {
		prefix[1] = 7
	}
	w := [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	for {
		copy(d[:2], prefix[:])
		d[2] = byte(1 + g.rng.IntN(4))
		g.randomDigits(d[3:10])
		sum := 0
		for i := range 10 {
			sum += int(d[i]) * w[i]
		}
		if check := (11 - sum%11) % 11; check != 10 {
			d[10] = byte(check)
			break
		}
	}
	g.digitBytes(d[:2])
	t.byte('-')
	g.digitBytes(d[2:10])
	t.byte('-')
	g.digitBytes(d[10:11])
}

// cpf appends a Brazilian CPF.
func (g *Generator) cpf() {
	t := &g.txt
	var d [20]byte
	g.randomDigits(d[:9])
	d[9] = cpfCheck(d[:9])
	d[10] = cpfCheck(d[:10])
	g.digitBytes(d[:3])
	t.byte('.')
	g.digitBytes(d[3:6])
	t.byte('.')
	g.digitBytes(d[6:9])
	t.byte('-')
	g.digitBytes(d[9:11])
}

// rfc appends a Mexican RFC: letters from the names, the birth date and a
// three-character homoclave.
func (g *Generator) rfc() {
	p, t := &g.p, &g.txt
	upper := func(c byte) byte { return c - 'a' + 'A' }
	last := p.lastASCII
	t.byte(upper(last[0]))
	vowel := byte('X')
	for i := 1; i < len(last); i++ {
		if c := last[i]; c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' {
			vowel = upper(c)
			break
		}
	}
	t.byte(vowel)
	t.byte('A' + byte(g.rng.IntN(26))) // the mother's surname, not kept in ASCII
	t.byte(upper(p.firstASCII[0]))
	t.padded(p.by%100, 2)
	t.padded(p.bm, 2)
	t.padded(p.bd, 2)
	g.pattern("@%#")
}

// unusedNIPrefix reports National Insurance prefixes HMRC never allocates.
func unusedNIPrefix(a, b byte) bool {
	const unused = "BG GB KN NK NT TN ZZ"
	for i := 0; i < len(unused); i += 3 {
		if unused[i] == a && unused[i+1] == b {
			return true
		}
	}
	return false
}
