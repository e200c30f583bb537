package demo_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/demo"
)

func TestGenerator_taxIDsPassTheirCountriesChecks(t *testing.T) {
	seen := map[string]int{}
	g := demo.New(12)
	for range 60_000 {
		c := g.Next()
		if c.Kind != demo.KindPerson || c.TaxID == "" {
			continue
		}
		seen[c.TaxResidency]++
		if err := checkTaxID(c.TaxResidency, c.TaxID); err != "" {
			t.Errorf("%s tax ID %q: %s", c.TaxResidency, c.TaxID, err)
		}
	}
	for _, cc := range []string{"US", "GB", "DE", "FR", "BR", "CN", "IN", "NG", "JP", "RU", "IT", "ES", "NL", "PL"} {
		if seen[cc] == 0 {
			t.Errorf("no tax IDs from %s; got %v", cc, seen)
		}
	}
}

var taxIDFormats = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^\d{3}-\d{2}-\d{4}$`),
	"CA": regexp.MustCompile(`^\d{3} \d{3} \d{3}$`),
	"GB": regexp.MustCompile(`^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$`),
	"IE": regexp.MustCompile(`^\d{7}[A-W]$`),
	"AU": regexp.MustCompile(`^\d{3} \d{3} \d{3}$`),
	"ES": regexp.MustCompile(`^([XYZ]\d{7}|\d{8})[A-Z]$`),
	"MX": regexp.MustCompile(`^[A-Z]{4}\d{6}[A-Z0-9]{3}$`),
	"AR": regexp.MustCompile(`^2[07]-\d{8}-\d$`),
	"BR": regexp.MustCompile(`^\d{3}\.\d{3}\.\d{3}-\d{2}$`),
	"PT": regexp.MustCompile(`^[123]\d{8}$`),
	"DE": regexp.MustCompile(`^[1-9]\d{10}$`),
	"AT": regexp.MustCompile(`^\d{4} \d{6}$`),
	"CH": regexp.MustCompile(`^756\.\d{4}\.\d{4}\.\d{2}$`),
	"NL": regexp.MustCompile(`^\d{9}$`),
	"IT": regexp.MustCompile(`^[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]$`),
	"PL": regexp.MustCompile(`^\d{11}$`),
	"SE": regexp.MustCompile(`^\d{6}-\d{4}$`),
	"NO": regexp.MustCompile(`^\d{11}$`),
	"DK": regexp.MustCompile(`^\d{6}-\d{4}$`),
	"TR": regexp.MustCompile(`^[1-9]\d{10}$`),
	"GR": regexp.MustCompile(`^\d{9}$`),
	"RU": regexp.MustCompile(`^\d{12}$`),
	"IN": regexp.MustCompile(`^[A-Z]{3}P[A-Z]\d{4}[A-Z]$`),
	"CN": regexp.MustCompile(`^\d{17}[\dX]$`),
	"HK": regexp.MustCompile(`^[A-Z]\d{6}\([\dA]\)$`),
	"SG": regexp.MustCompile(`^[STFG]\d{7}[A-Z]$`),
	"JP": regexp.MustCompile(`^\d{4} \d{4} \d{4}$`),
	"KR": regexp.MustCompile(`^\d{6}-[1-4]\d{6}$`),
	"AE": regexp.MustCompile(`^784-\d{4}-\d{7}-\d$`),
	"SA": regexp.MustCompile(`^[12]\d{9}$`),
	"EG": regexp.MustCompile(`^[23]\d{13}$`),
	"NG": regexp.MustCompile(`^\d{11}$`),
	"VN": regexp.MustCompile(`^8\d{9}$`),
	"CO": regexp.MustCompile(`^1\d{9}$`),
	"FR": regexp.MustCompile(`^[0-3]\d{12}$`),
}

// checkTaxID returns what is wrong with a tax ID of the country, or "".
func checkTaxID(country, id string) string {
	re, ok := taxIDFormats[country]
	if !ok {
		return "no format known for the country"
	}
	if !re.MatchString(id) {
		return "format"
	}
	d := digitsOf(id)
	ok = true
	switch country {
	case "US":
		area, group, serial := id[:3], id[4:6], id[7:]
		ok = area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
	case "CA", "SE", "AE", "SA":
		ok = luhnValid(d)
	case "GB":
		ok = !strings.Contains("BG GB KN NK NT TN ZZ", id[:2])
	case "IE":
		sum := 0
		for i := range 7 {
			sum += d[i] * (8 - i)
		}
		ok = "WABCDEFGHIJKLMNOPQRSTUV"[sum%23] == id[7]
	case "AU":
		ok = weighted(d, 1, 4, 3, 7, 5, 8, 6, 9, 10)%11 == 0
	case "ES": // a NIE's X, Y, Z count as 0, 1, 2
		num := id[:len(id)-1]
		if i := strings.IndexByte("XYZ", num[0]); i >= 0 {
			num = strconv.Itoa(i) + num[1:]
		}
		n, _ := strconv.Atoi(num)
		ok = "TRWAGMYFPDXBNJZSQVHLCKE"[n%23] == id[len(id)-1]
	case "AR":
		k := (11 - weighted(d[:10], 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)%11) % 11
		ok = k == d[10]
	case "BR":
		ok = cpfDigit(d[:9]) == d[9] && cpfDigit(d[:10]) == d[10]
	case "PT":
		ok = d[8] == elevenMinus(weighted(d[:8], 9, 8, 7, 6, 5, 4, 3, 2)%11)
	case "DE":
		ok = steuerIDValid(d)
	case "AT":
		ok = weighted(d, 3, 7, 9, 0, 5, 8, 4, 2, 1, 6)%11 == d[3]
	case "CH":
		ok = (weighted(d[:12], 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3)+d[12])%10 == 0
	case "NL":
		ok = (weighted(d[:8], 9, 8, 7, 6, 5, 4, 3, 2)-d[8])%11 == 0
	case "IT":
		ok = codiceFiscaleValid(id)
	case "PL":
		ok = (weighted(d[:10], 1, 3, 7, 9, 1, 3, 7, 9, 1, 3)+d[10])%10 == 0
	case "NO":
		k1 := (11 - weighted(d[:9], 3, 7, 6, 1, 8, 9, 4, 5, 2)%11) % 11
		k2 := (11 - weighted(d[:10], 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)%11) % 11
		ok = k1 == d[9] && k2 == d[10]
	case "TR":
		d10 := ((d[0]+d[2]+d[4]+d[6]+d[8])*7 - (d[1] + d[3] + d[5] + d[7]) + 100) % 10
		ok = d10 == d[9] && weighted(d[:10], 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)%10 == d[10]
	case "GR":
		ok = weighted(d[:8], 256, 128, 64, 32, 16, 8, 4, 2)%11%10 == d[8]
	case "RU":
		ok = weighted(d[:10], 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)%11%10 == d[10] &&
			weighted(d[:11], 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)%11%10 == d[11]
	case "CN":
		ok = "10X98765432"[weighted(d[:17], 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)%11] == id[17]
	case "HK":
		sum := 9*36 + 8*int(id[0]-'A'+10) + weighted(d[:6], 7, 6, 5, 4, 3, 2)
		check := strings.IndexByte("0123456789A", id[8])
		ok = (sum+check)%11 == 0
	case "SG":
		sum := weighted(d, 2, 7, 6, 5, 4, 3, 2)
		if id[0] == 'T' || id[0] == 'G' {
			sum += 4
		}
		table := "JZIHGFEDCBA"
		if id[0] == 'F' || id[0] == 'G' {
			table = "XWUTRQPNMLK"
		}
		ok = table[sum%11] == id[8]
	case "JP":
		ok = d[11] == elevenMinus(weighted(d[:11], 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)%11)
	case "KR":
		ok = (11-weighted(d[:12], 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)%11)%10 == d[12]
	}
	if !ok {
		return "check digit"
	}
	return ""
}

// elevenMinus is 11 - r, or 0 for remainders 0 and 1.
func elevenMinus(r int) int {
	if r < 2 {
		return 0
	}
	return 11 - r
}

func digitsOf(s string) []int {
	var d []int
	for _, c := range s {
		if c >= '0' && c <= '9' {
			d = append(d, int(c-'0'))
		}
	}
	return d
}

func weighted(d []int, w ...int) int {
	sum := 0
	for i, x := range w {
		sum += d[i] * x
	}
	return sum
}

func luhnValid(d []int) bool {
	sum := 0
	for i := range d {
		x := d[len(d)-1-i]
		if i%2 == 1 {
			if x *= 2; x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}

func cpfDigit(d []int) int {
	sum := 0
	for i, x := range d {
		sum += x * (len(d) + 1 - i)
	}
	return sum * 10 % 11 % 10
}

func steuerIDValid(d []int) bool {
	counts := map[int]int{}
	for _, x := range d[:10] {
		counts[x]++
	}
	repeated := 0
	for _, n := range counts {
		if n > 3 {
			return false
		}
		if n > 1 {
			repeated++
		}
	}
	if repeated != 1 {
		return false
	}
	product := 10
	for _, x := range d[:10] {
		sum := (x + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = sum * 2 % 11
	}
	return (11-product)%10 == d[10]
}

func codiceFiscaleValid(id string) bool {
	odd := []int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i, c := range id[:15] {
		v := int(c - 'A')
		if c <= '9' {
			v = int(c - '0')
		}
		if i%2 == 0 {
			v = odd[v]
		}
		sum += v
	}
	return byte('A'+sum%26) == id[15]
}
