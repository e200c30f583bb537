package demo

// Tax and social-security numbers of continental Europe and Turkey.

// dni appends a Spanish DNI, or an NIE for foreigners.
func (g *Generator) dni() {
	p, t := &g.p, &g.txt
	const letters = "TRWAGMYFPDXBNJZSQVHLCKE"
	n := 10_000_000 + g.rng.IntN(89_999_999)
	if p.citizen.code != "ES" {
		k := g.rng.IntN(3)
		n = n % 10_000_000
		t.byte("XYZ"[k])
		t.padded(n, 7)
		t.byte(letters[(k*10_000_000+n)%23])
		return
	}
	t.int(n)
	t.byte(letters[n%23])
}

// nif appends a Portuguese NIF.
func (g *Generator) nif() {
	var d [20]byte
	d[0] = byte(1 + g.rng.IntN(3))
	g.randomDigits(d[1:8])
	sum := 0
	for i := range 8 {
		sum += int(d[i]) * (9 - i)
	}
	if r := sum % 11; r >= 2 {
		d[8] = byte(11 - r)
	}
	g.digitBytes(d[:9])
}

// svnr appends an Austrian social-security number, which carries the birth
// date.
func (g *Generator) svnr() {
	p, t := &g.p, &g.txt
	var d [20]byte
	w := [10]int{3, 7, 9, 0, 5, 8, 4, 2, 1, 6}
	for {
		d[0] = byte(1 + g.rng.IntN(9))
		g.randomDigits(d[1:3])
		dateDigits(d[4:10], p.bd, p.bm, p.by%100)
		sum := 0
		for i := range 10 {
			sum += int(d[i]) * w[i]
		}
		if sum%11 != 10 {
			d[3] = byte(sum % 11)
			break
		}
	}
	g.digitBytes(d[:4])
	t.byte(' ')
	g.digitBytes(d[4:10])
}

// ahv appends a Swiss AHV number, an EAN-13.
func (g *Generator) ahv() {
	t := &g.txt
	var d [20]byte
	d[0], d[1], d[2] = 7, 5, 6
	g.randomDigits(d[3:12])
	sum := 0
	for i := range 12 {
		sum += int(d[i]) * (1 + 2*(i%2))
	}
	d[12] = byte((10 - sum%10) % 10)
	g.digitBytes(d[:3])
	t.byte('.')
	g.digitBytes(d[3:7])
	t.byte('.')
	g.digitBytes(d[7:11])
	t.byte('.')
	g.digitBytes(d[11:13])
}

// bsn appends a Dutch BSN, which passes the eleven test.
func (g *Generator) bsn() {
	var d [20]byte
	for {
		d[0] = byte(1 + g.rng.IntN(9))
		g.randomDigits(d[1:8])
		sum := 0
		for i := range 8 {
			sum += int(d[i]) * (9 - i)
		}
		if sum%11 != 10 {
			d[8] = byte(sum % 11)
			break
		}
	}
	g.digitBytes(d[:9])
}

// pesel appends a Polish PESEL, which carries the birth date and sex.
func (g *Generator) pesel() {
	p := &g.p
	var d [20]byte
	month := p.bm
	if p.by >= 2000 {
		month += 20
	}
	dateDigits(d[:6], p.by%100, month, p.bd)
	g.randomDigits(d[6:9])
	d[9] = byte(2*g.rng.IntN(5) + b2i(!p.female))
	w := [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i := range 10 {
		sum += int(d[i]) * w[i]
	}
	d[10] = byte((10 - sum%10) % 10)
	g.digitBytes(d[:11])
}

// personnummer appends a Swedish personal identity number: birth date and
// serial, Luhn-checked.
func (g *Generator) personnummer() {
	p, t := &g.p, &g.txt
	var d [20]byte
	dateDigits(d[:6], p.by%100, p.bm, p.bd)
	g.randomDigits(d[6:8])
	d[8] = byte(2*g.rng.IntN(5) + b2i(!p.female))
	d[9] = luhn(d[:9])
	g.digitBytes(d[:6])
	t.byte('-')
	g.digitBytes(d[6:10])
}

// fodselsnummer appends a Norwegian national identity number, with two
// mod-11 checks.
func (g *Generator) fodselsnummer() {
	p := &g.p
	var d [20]byte
	w1 := [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	w2 := [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	for {
		dateDigits(d[:6], p.bd, p.bm, p.by%100)
		ind := g.rng.IntN(250)*2 + b2i(!p.female)
		if p.by >= 2000 {
			ind += 500
		}
		d[6], d[7], d[8] = byte(ind/100), byte(ind/10%10), byte(ind%10)
		k1, ok1 := mod11Check(d[:9], w1[:])
		d[9] = k1
		k2, ok2 := mod11Check(d[:10], w2[:])
		if ok1 && ok2 {
			d[10] = k2
			break
		}
	}
	g.digitBytes(d[:11])
}

// cpr appends a Danish CPR number.
func (g *Generator) cpr() {
	p, t := &g.p, &g.txt
	var d [20]byte
	dateDigits(d[:6], p.bd, p.bm, p.by%100)
	d[6] = byte(g.rng.IntN(4))
	if p.by >= 2000 {
		d[6] = 4
	}
	g.randomDigits(d[7:9])
	d[9] = byte(2*g.rng.IntN(5) + b2i(!p.female))
	g.digitBytes(d[:6])
	t.byte('-')
	g.digitBytes(d[6:10])
}

// kimlik appends a Turkish T.C. Kimlik No.
func (g *Generator) kimlik() {
	var d [20]byte
	d[0] = byte(1 + g.rng.IntN(9))
	g.randomDigits(d[1:9])
	odd := int(d[0] + d[2] + d[4] + d[6] + d[8])
	even := int(d[1] + d[3] + d[5] + d[7])
	d[9] = byte(((odd*7-even)%10 + 10) % 10)
	sum := 0
	for i := range 10 {
		sum += int(d[i])
	}
	d[10] = byte(sum % 10)
	g.digitBytes(d[:11])
}

// afm appends a Greek tax number (AFM).
func (g *Generator) afm() {
	var d [20]byte
	g.randomDigits(d[:8])
	sum := 0
	for i := range 8 {
		sum += int(d[i]) << (8 - i)
	}
	d[8] = byte(sum % 11 % 10)
	g.digitBytes(d[:9])
}

// inn appends a Russian individual's INN, with two checks.
func (g *Generator) inn() {
	var d [20]byte
	region := [...]byte{7, 7, 7, 8, 5, 0, 1, 6, 6, 6, 5, 4, 2, 5}
	k := 2 * g.rng.IntN(len(region)/2)
	d[0], d[1] = region[k], region[k+1]
	g.randomDigits(d[2:10])
	w := [11]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	d[10] = weightedMod11(d[:10], w[1:])
	d[11] = weightedMod11(d[:11], w[:])
	g.digitBytes(d[:12])
}

// steuerID appends a German tax identification number: eleven digits, the
// first not zero, one of the first ten appearing exactly twice and the
// others at most once, and an ISO 7064 MOD 11,10 check digit.
func (g *Generator) steuerID() {
	var d [11]byte
	for i := range 10 {
		d[i] = byte(i)
	}
	g.rng.Shuffle(10, func(i, j int) { d[i], d[j] = d[j], d[i] })
	d[9] = d[g.rng.IntN(9)]
	g.rng.Shuffle(10, func(i, j int) { d[i], d[j] = d[j], d[i] })
	if d[0] == 0 {
		for i := 1; ; i++ {
			if d[i] != 0 {
				d[0], d[i] = d[i], d[0]
				break
			}
		}
	}
	product := 10
	for _, x := range d[:10] {
		sum := (int(x) + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = sum * 2 % 11
	}
	d[10] = byte((11 - product) % 10)
	g.digitBytes(d[:])
}

// codiceFiscale appends an Italian tax code derived from the names, birth
// date, sex and birthplace, with its check letter.
func (g *Generator) codiceFiscale() {
	p, t := &g.p, &g.txt
	start := t.mark()
	nameCode(t, p.lastASCII, false)
	nameCode(t, p.firstASCII, true)
	t.padded(p.by%100, 2)
	t.byte("ABCDEHLMPRST"[p.bm-1])
	t.padded(p.bd+40*b2i(p.female), 2)
	if code, ok := comuni[p.ci.name]; ok && p.citizen.code == "IT" {
		t.str(code)
	} else {
		g.pattern("Z%##") // born abroad
	}
	odd := [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i, c := range t.buf[start:] {
		v := int(c - 'A')
		if c <= '9' {
			v = int(c - '0')
		}
		if i%2 == 0 {
			sum += odd[v]
		} else {
			sum += v
		}
	}
	t.byte('A' + byte(sum%26))
}

// nameCode appends the three letters a codice fiscale takes from a name:
// consonants first (for a given name with four or more, the first, third
// and fourth), then vowels, then X.
func nameCode(t *text, s string, given bool) {
	var cons, vows [32]byte
	nc, nv := 0, 0
	for i := 0; i < len(s) && i < 32; i++ {
		switch c := s[i] - 'a' + 'A'; c {
		case 'A', 'E', 'I', 'O', 'U':
			vows[nv] = c
			nv++
		default:
			cons[nc] = c
			nc++
		}
	}
	if given && nc >= 4 {
		t.byte(cons[0])
		t.byte(cons[2])
		t.byte(cons[3])
		return
	}
	n := 0
	for _, c := range cons[:nc] {
		if n < 3 {
			t.byte(c)
			n++
		}
	}
	for _, c := range vows[:nv] {
		if n < 3 {
			t.byte(c)
			n++
		}
	}
	for ; n < 3; n++ {
		t.byte('X')
	}
}

var comuni = map[string]string{
	"Roma": "H501", "Milano": "F205", "Torino": "L219", "Napoli": "F839", "Firenze": "D612", "Bologna": "A944",
	"Palermo": "G273",
}
