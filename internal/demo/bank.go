package demo

// Bank accounts: IBANs with the country's length, national check digits
// where the BBAN has them and valid mod-97 check digits; ABA routing numbers
// with valid checksums; and the national account formats of countries
// without IBANs.

func (g *Generator) personBanks(c *Contact) {
	p := &g.p
	n := 0
	switch c.Category {
	case CategoryClient:
		if g.chance(0.3 + 0.7*p.level) {
			n = 1 + b2i(g.chance(0.18))
		}
	case CategoryFormerClient:
		n = b2i(g.chance(0.4 * p.level))
	default:
		n = b2i(g.chance(0.12 * p.level))
	}
	g.bankAccounts(c, n)
}

// bankAccounts gives the contact n accounts in the name p.fullName; a
// second account of an expatriate may be at home.
func (g *Generator) bankAccounts(c *Contact, n int) {
	p := &g.p
	c.BankAccounts = g.banks.take(n)
	for i := range c.BankAccounts {
		co := p.co
		if i > 0 && p.citizen != nil && p.citizen != co && g.chance(0.6) {
			co = p.citizen
		}
		g.bankAccount(&c.BankAccounts[i], co)
	}
}

func (g *Generator) bankAccount(ba *BankAccount, co *country) {
	t := &g.txt
	bk := &co.banks[g.rng.IntN(len(co.banks))]
	ba.BankName, ba.Currency = bk.name, co.currency
	t.keepSpan(&ba.Holder, g.p.fullName)

	start := t.mark()
	t.str(bk.bic)
	if len(bk.bic) == 8 {
		switch r := g.rng.IntN(10); {
		case r < 2:
			t.str("XXX")
		case r < 3:
			g.pattern("[A-W][0-9A-Z][0-9A-Z]")
		}
	}
	t.keep(&ba.SWIFT, start)

	if co.ibanLen > 0 {
		g.iban(&ba.IBAN, co, bk)
		return
	}
	if mk, ok := nationalAccounts[co.code]; ok {
		mk(g, ba, bk)
		return
	}
	start = t.mark()
	g.pattern("%#########")
	g.digitsTo(g.rng.IntN(4))
	t.keep(&ba.AccountNumber, start)
}

// nationalAccounts make the account numbers of countries without IBANs.
var nationalAccounts = map[string]func(*Generator, *BankAccount, *bank){
	"US": (*Generator).usAccount,
	"CA": (*Generator).canadianAccount,
	"AU": (*Generator).australianAccount,
	"MX": (*Generator).clabe,
	"AR": (*Generator).cbu,
	"NG": (*Generator).nuban,
	"IN": (*Generator).indianAccount,
	"RU": (*Generator).russianAccount,
	"JP": (*Generator).japaneseAccount,
	"CN": (*Generator).chineseAccount,
	"HK": (*Generator).hongKongAccount,
	"SG": (*Generator).singaporeAccount,
	"KR": (*Generator).koreanAccount,
}

// usAccount is an account number and an ABA routing number: 3, 7 and 1
// times the digits sum to a multiple of ten.
func (g *Generator) usAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.pattern("%#######")
	g.digitsTo(g.rng.IntN(5))
	t.keep(&ba.AccountNumber, start)
	start = t.mark()
	t.str(bk.code)
	t.byte('0' + abaCheck(t.buf[start:]))
	t.keep(&ba.RoutingNumber, start)
}

// canadianAccount is an account number and an electronic routing number:
// 0, the institution, the branch transit.
func (g *Generator) canadianAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.pattern("%######")
	t.keep(&ba.AccountNumber, start)
	start = t.mark()
	t.byte('0')
	t.str(bk.code)
	g.pattern("%####")
	t.keep(&ba.RoutingNumber, start)
}

// australianAccount is an account number and a BSB.
func (g *Generator) australianAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.pattern("%#######")
	g.digitsTo(g.rng.IntN(2))
	t.keep(&ba.AccountNumber, start)
	start = t.mark()
	t.str(bk.code)
	g.pattern("#-###")
	t.keep(&ba.RoutingNumber, start)
}

// clabe is a Mexican CLABE: bank, plaza, account and a check digit with
// weights 3, 7, 1.
func (g *Generator) clabe(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str(bk.code)
	g.digitsTo(14)
	w := [3]int{3, 7, 1}
	sum := 0
	for i, c := range t.buf[start:] {
		sum += int(c-'0') * w[i%3] % 10
	}
	t.byte('0' + byte((10-sum%10)%10))
	t.keep(&ba.AccountNumber, start)
}

// cbu is an Argentine CBU: two blocks, each with a check digit.
func (g *Generator) cbu(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str(bk.code)
	g.digitsTo(4)
	t.byte('0' + cbuCheck(t.buf[start:], cbuWeights1))
	block := t.mark()
	g.digitsTo(13)
	t.byte('0' + cbuCheck(t.buf[block:], cbuWeights2))
	t.keep(&ba.AccountNumber, start)
}

// nuban is a Nigerian NUBAN: ten digits whose last checks the bank code and
// serial.
func (g *Generator) nuban(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.digitsTo(9)
	w := [12]int{3, 7, 3, 3, 7, 3, 3, 7, 3, 3, 7, 3}
	sum := 0
	for i := range 3 {
		sum += int(bk.code[i]-'0') * w[i]
	}
	for i, c := range t.buf[start:] {
		sum += int(c-'0') * w[3+i]
	}
	t.byte('0' + byte((10-sum%10)%10))
	t.keep(&ba.AccountNumber, start)
	ba.RoutingNumber = bk.code
}

// indianAccount is an account number and the branch's IFSC.
func (g *Generator) indianAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.pattern("%##########")
	g.digitsTo(g.rng.IntN(4))
	t.keep(&ba.AccountNumber, start)
	start = t.mark()
	t.str(bk.code)
	g.digitsTo(6)
	t.keep(&ba.RoutingNumber, start)
}

// russianAccount is a personal rouble account and the bank's BIK.
func (g *Generator) russianAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str("40817810")
	g.digitsTo(12)
	t.keep(&ba.AccountNumber, start)
	ba.RoutingNumber = bk.code
}

// japaneseAccount is a bank-branch code and a seven-digit account.
func (g *Generator) japaneseAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str(bk.code)
	t.byte('-')
	g.digitsTo(3)
	t.keep(&ba.RoutingNumber, start)
	start = t.mark()
	g.digitsTo(7)
	t.keep(&ba.AccountNumber, start)
}

// chineseAccount is a 19-digit account under the bank's card prefix.
func (g *Generator) chineseAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str(bk.code)
	g.digitsTo(15)
	t.keep(&ba.AccountNumber, start)
}

// hongKongAccount is bank code, branch and account.
func (g *Generator) hongKongAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str(bk.code)
	g.pattern("-###-######")
	t.keep(&ba.AccountNumber, start)
}

// singaporeAccount is an account number and the bank code.
func (g *Generator) singaporeAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.pattern("%##-#####-#")
	t.keep(&ba.AccountNumber, start)
	ba.RoutingNumber = bk.code
}

// koreanAccount is an account number as the banks print it.
func (g *Generator) koreanAccount(ba *BankAccount, bk *bank) {
	t := &g.txt
	start := t.mark()
	g.pattern("%##-##-######")
	t.keep(&ba.AccountNumber, start)
}

// abaCheck is the ninth digit of a routing number starting with the eight
// given: 3, 7 and 1 times the digits must sum to a multiple of ten.
func abaCheck(d []byte) byte {
	w := [3]int{3, 7, 1}
	sum := 0
	for i, c := range d[:8] {
		sum += int(c-'0') * w[i%3]
	}
	return byte((10 - sum%10) % 10)
}

var (
	cbuWeights1 = []int{7, 1, 3, 9, 7, 1, 3}
	cbuWeights2 = []int{3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3}
)

func cbuCheck(d []byte, w []int) byte {
	sum := 0
	for i, c := range d {
		sum += int(c-'0') * w[i]
	}
	return byte((10 - sum%10) % 10)
}

// iban appends an IBAN: country, check digits, then the BBAN, which for
// some countries carries national check digits of its own.
func (g *Generator) iban(dst *string, co *country, bk *bank) {
	t := &g.txt
	start := t.mark()
	t.str(co.code)
	t.str("00")
	bban := t.mark()
	switch co.code {
	case "FR": // bank, branch, account, RIB key
		t.str(bk.code)
		g.digitsTo(5)
		g.digitsTo(11)
		b := t.buf[bban:]
		key := 97 - (89*atoi(b[:5])+15*atoi(b[5:10])+3*atoi(b[10:21]))%97
		t.padded(key, 2)
	case "ES": // bank, branch, two control digits, account
		t.str(bk.code)
		g.digitsTo(4)
		t.str("00")
		g.digitsTo(10)
		b := t.buf[bban:]
		var first [10]byte
		first[0], first[1] = '0', '0'
		copy(first[2:], b[:8])
		b[8] = '0' + spanishControl(first[:])
		b[9] = '0' + spanishControl(b[10:20])
	case "PT": // bank, branch, account, NIB check digits
		t.str(bk.code)
		g.digitsTo(15)
		t.padded(98-mod97(t.buf[bban:], "00"), 2)
	case "IT": // CIN, ABI, CAB, account
		t.byte('X')
		t.str(bk.code)
		g.digitsTo(5)
		g.digitsTo(12)
		t.buf[bban] = italianCIN(t.buf[bban+1:])
	case "PL": // bank and branch with a check digit, account
		t.str(bk.code)
		g.digitsTo(3)
		w := [7]int{3, 9, 7, 1, 3, 9, 7}
		sum := 0
		for i, c := range t.buf[bban : bban+7] {
			sum += int(c-'0') * w[i]
		}
		t.byte('0' + byte((10-sum%10)%10))
		g.digitsTo(16)
	case "NO": // bank, account, MOD 11 check digit
		w := []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
		for {
			t.buf = t.buf[:bban]
			t.str(bk.code)
			g.digitsTo(6)
			var d [10]byte
			for i, c := range t.buf[bban:] {
				d[i] = c - '0'
			}
			if k, ok := mod11Check(d[:], w); ok {
				t.byte('0' + k)
				break
			}
		}
	default:
		t.str(bk.code)
		g.pattern(co.bban)
	}
	check := 98 - mod97(t.buf[bban:], co.code+"00")
	t.buf[start+2] = '0' + byte(check/10)
	t.buf[start+3] = '0' + byte(check%10)
	t.keep(dst, start)
}

// mod97 is the ISO 7064 MOD 97-10 remainder of bban followed by tail, with
// letters counting as 10 to 35.
func mod97(bban []byte, tail string) int {
	r := 0
	add := func(c byte) {
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	for _, c := range bban {
		add(c)
	}
	for i := 0; i < len(tail); i++ {
		add(tail[i])
	}
	return r
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// spanishControl is a Spanish account's control digit over ten digits.
func spanishControl(d []byte) byte {
	w := [10]int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
	sum := 0
	for i, c := range d[:10] {
		sum += int(c-'0') * w[i]
	}
	switch k := 11 - sum%11; k {
	case 11:
		return 0
	case 10:
		return 1
	default:
		return byte(k)
	}
}

// italianCIN is the check letter of an Italian BBAN, over ABI, CAB and
// account.
func italianCIN(b []byte) byte {
	odd := [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i, c := range b {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c - 'A')
		}
		if i%2 == 0 {
			sum += odd[v]
		} else {
			sum += v
		}
	}
	return 'A' + byte(sum%26)
}
