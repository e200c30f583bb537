package demo

// Tax and identity numbers of Asia and the Middle East.

// pan appends an Indian Permanent Account Number.
func (g *Generator) pan() {
	p, t := &g.p, &g.txt
	for range 3 {
		t.byte('A' + byte(g.rng.IntN(26)))
	}
	t.byte('P')
	t.byte(p.lastASCII[0] - 'a' + 'A')
	g.digitsTo(4)
	t.byte('A' + byte(g.rng.IntN(26)))
}

// hkid appends a Hong Kong identity card number.
func (g *Generator) hkid() {
	t := &g.txt
	var d [20]byte
	l := g.rng.IntN(26)
	g.randomDigits(d[:6])
	sum := 9*36 + 8*(l+10)
	for i := range 6 {
		sum += int(d[i]) * (7 - i)
	}
	t.byte('A' + byte(l))
	g.digitBytes(d[:6])
	t.byte('(')
	t.byte("0123456789A"[(11-sum%11)%11])
	t.byte(')')
}

// myNumber appends a Japanese My Number.
func (g *Generator) myNumber() {
	var d [20]byte
	g.randomDigits(d[:11])
	sum := 0
	for n := 1; n <= 11; n++ {
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += int(d[11-n]) * q
	}
	if r := sum % 11; r > 1 {
		d[11] = byte(11 - r)
	}
	g.grouped(d[:12], 4, ' ')
}

// rrn appends a Korean resident registration number.
func (g *Generator) rrn() {
	p, t := &g.p, &g.txt
	var d [20]byte
	dateDigits(d[:6], p.by%100, p.bm, p.bd)
	d[6] = byte(1 + b2i(p.female))
	if p.by >= 2000 {
		d[6] += 2
	}
	g.randomDigits(d[7:12])
	w := [12]int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
	sum := 0
	for i := range 12 {
		sum += int(d[i]) * w[i]
	}
	d[12] = byte((11 - sum%11) % 10)
	g.digitBytes(d[:6])
	t.byte('-')
	g.digitBytes(d[6:13])
}

// emiratesID appends an Emirates ID number, Luhn-checked.
func (g *Generator) emiratesID() {
	p, t := &g.p, &g.txt
	var d [20]byte
	d[0], d[1], d[2] = 7, 8, 4
	d[3], d[4], d[5], d[6] = byte(p.by/1000), byte(p.by/100%10), byte(p.by/10%10), byte(p.by%10)
	g.randomDigits(d[7:14])
	d[14] = luhn(d[:14])
	g.digitBytes(d[:3])
	t.byte('-')
	g.digitBytes(d[3:7])
	t.byte('-')
	g.digitBytes(d[7:14])
	t.byte('-')
	g.digitBytes(d[14:15])
}

// saudiID appends a Saudi national ID (1) or iqama (2), Luhn-checked.
func (g *Generator) saudiID() {
	p := &g.p
	var d [20]byte
	d[0] = byte(1 + b2i(p.citizen.code != "SA"))
	g.randomDigits(d[1:9])
	d[9] = luhn(d[:9])
	g.digitBytes(d[:10])
}

// egyptID appends an Egyptian national ID: century, birth date,
// governorate, serial and sex.
func (g *Generator) egyptID() {
	p := &g.p
	var d [20]byte
	d[0] = byte(2 + b2i(p.by >= 2000))
	dateDigits(d[1:7], p.by%100, p.bm, p.bd)
	gov := governorates[p.ci.name]
	d[7], d[8] = gov/10, gov%10
	g.randomDigits(d[9:12])
	d[12] = byte(2*g.rng.IntN(5) + b2i(!p.female))
	d[13] = byte(1 + g.rng.IntN(9))
	g.digitBytes(d[:14])
}

// chinaID appends an 18-character resident identity card number: district,
// birth date, serial (odd for men) and an ISO 7064 MOD 11-2 check.
func (g *Generator) chinaID() {
	p, t := &g.p, &g.txt
	var d [17]byte
	district := districts[p.ci.name]
	if district == "" {
		district = "110101"
	}
	for i := range 6 {
		d[i] = district[i] - '0'
	}
	d[6], d[7], d[8], d[9] = byte(p.by/1000), byte(p.by/100%10), byte(p.by/10%10), byte(p.by%10)
	d[10], d[11], d[12], d[13] = byte(p.bm/10), byte(p.bm%10), byte(p.bd/10), byte(p.bd%10)
	g.randomDigits(d[14:16])
	d[16] = byte(2*g.rng.IntN(5) + b2i(!p.female))
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(d[i]) * w[i]
	}
	g.digitBytes(d[:])
	t.byte("10X98765432"[sum%11])
}

// nric appends a Singapore NRIC (citizens) or FIN (foreigners).
func (g *Generator) nric() {
	p, t := &g.p, &g.txt
	var d [7]byte
	g.randomDigits(d[:])
	w := [7]int{2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i := range 7 {
		sum += int(d[i]) * w[i]
	}
	prefix, table := byte('S'), "JZIHGFEDCBA"
	if p.citizen.code != "SG" {
		prefix, table = 'F', "XWUTRQPNMLK"
	}
	if p.by >= 2000 {
		prefix++ // T, G
		sum += 4
	}
	t.byte(prefix)
	g.digitBytes(d[:])
	t.byte(table[sum%11])
}

// governorates and districts are the codes of the cities, as the national
// identity numbers of Egypt and China carry them.
var (
	governorates = map[string]byte{"Cairo": 1, "Alexandria": 2, "Giza": 21}
	districts    = map[string]string{
		"Beijing": "110105", "Shanghai": "310115", "Guangzhou": "440106", "Shenzhen": "440305",
		"Chengdu": "510107", "Hangzhou": "330106",
	}
)
