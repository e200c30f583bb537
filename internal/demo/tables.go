package demo

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// The word lists live in Go source as compact strings; they are parsed once
// into the tables below, with every name's ASCII form worked out up front so
// that building an e-mail address costs no transliteration.

// cultureSpec is a naming culture as written in the cultures_*.go files.
type cultureSpec struct {
	key         string
	weight      int     // share of people, about per thousand
	lang        string  // language spoken at home, BCP 47
	script      float64 // share of people living at home whose names stay in their native script
	westernNick float64 // share with a Western nickname, like "David" for 王伟
	// places where the culture's people live, "CC:weight", "CC/City:weight"
	// to restrict to one city; a leading "~" marks an expatriate's country.
	places []string
	// Names are "Latin", or "native=Latin" for non-Latin scripts, with an
	// optional "~Nickname".
	female, male, surnames []string
	family                 familyRule
	feminine               func(string) string // for familyGendered: the feminine surname
	middle                 middleRule
	middleP                float64 // share of people given a middle name
	midFemale, midMale     []string
	patronyms              []string // for middlePatronym: "Latin-given masc-native masc-Latin fem-native fem-Latin"
	order                  nameOrder
	germanASCII            bool // ä, ö, ü become ae, oe, ue in e-mail addresses
	suffixes               bool // "Jr." for sons named after their fathers
}

type familyRule uint8

const (
	familyShared   familyRule = iota // spouses mostly share a surname, some hyphenate
	familyGendered                   // as shared, with feminine forms (Kowalska, Ivanova)
	familyKept                       // spouses keep their own; children take the father's
	familySpanish                    // two surnames: father's first, then mother's first
)

type middleRule uint8

const (
	middleNone     middleRule = iota
	middleGiven               // a second given name
	middlePool                // from midFemale/midMale (Văn, Thị; Kumar, Devi)
	middlePatronym            // Russian patronymic from the father's name
	middleFather              // Arabic: the father's given name
	middleSurname             // Portuguese: the mother's surname
)

type nameOrder uint8

const (
	orderWestern    nameOrder = iota
	orderEastern              // family name first, no space in native script (王伟)
	orderVietnamese           // family, middle, given, with spaces
)

type given struct {
	text  string // in the culture's own script
	latin string
	ascii string // lower-case ASCII, for e-mail addresses
	nick  string
	pat   *patronym
}

func (g *given) show(native bool) string {
	if native {
		return g.text
	}
	return g.latin
}

type surname struct {
	text, latin, ascii    string
	fText, fLatin, fASCII string
}

func (s *surname) forms(female bool) (text, latin, ascii string) {
	if female {
		return s.fText, s.fLatin, s.fASCII
	}
	return s.text, s.latin, s.ascii
}

type patronym struct{ mText, mLatin, fText, fLatin string }

type place struct {
	co   *country
	ci   *city // nil: any of co's cities
	home bool
}

type culture struct {
	*cultureSpec
	female, male       []given
	midFemale, midMale []given
	surnames           []surname
	places             []place
	placeW             weights
	homes              []*country // countries of citizenship
	homeW              weights
	speaksHomeLanguage bool // lang is the language of one of the homes
}

// country is a country of residence, as written in the countries_*.go files.
// Patterns (postal codes, phone numbers, house numbers, account numbers) use
// the placeholders of Generator.pattern.
type country struct {
	code     string // ISO 3166-1 alpha-2
	cc       string // calling code
	lang     string
	currency string
	minor    int     // decimal places of the currency
	perUSD   float64 // rough exchange rate
	tld      string  // domain suffix of local firms: "de", "co.uk"
	mail     []string
	mobile   []string // mobile patterns after the calling code; nil: same as landlines
	cities   []city
	streets  []string
	houseNo  []string
	numFirst bool   // "12 Main Street" rather than "Hauptstraße 12"
	sep      string // between street and house number
	unit     []string
	poBox    string
	legal    []string // company legal forms: "GmbH", "Ltd"
	banks    []bank
	bban     string // the BBAN after the bank code; "" where IBANs are not used
	ibanLen  int
	passport string
	firmTax  string
}

type city struct {
	name, region, tz string
	ascii            string // of the name, for domains
	postal           []string
	phone            []string // landline patterns after the calling code; NANP: area codes
	mobile           []string // overrides the country's
	lang             string   // overrides the country's for speakers of the same language
	streets          []string // the city's own, used as often as the country's
}

type bank struct {
	name string
	bic  string // 8 or 11 characters
	code string // national bank code as it starts the BBAN or routing number
}

type tables struct {
	cultures  []culture
	cultureW  weights
	english   *culture // source of Western nicknames
	countries map[string]*country
}

var loadTables = sync.OnceValue(buildTables)

var cultureSpecs = []*cultureSpec{
	&english, &irish, &spanish, &portuguese, &french, &german, &dutch, &italian,
	&polish, &nordic, &turkish, &greek, &russian,
	&indian, &southIndian, &chinese, &japanese, &korean, &vietnamese,
	&nigerian, &arabic,
}

func buildTables() *tables {
	t := &tables{countries: map[string]*country{}}
	for _, list := range [][]country{americas, europe, restOfWorld} {
		for i := range list {
			co := &list[i]
			t.countries[co.code] = co
			for j := range co.cities {
				ci := &co.cities[j]
				ci.ascii = asciiFold(ci.name, false)
				if len(ci.streets)+len(co.streets) == 0 {
					panic("demo: no streets in " + ci.name)
				}
			}
		}
	}
	t.cultures = make([]culture, len(cultureSpecs))
	w := make([]int, len(cultureSpecs))
	for i, spec := range cultureSpecs {
		t.cultures[i] = t.buildCulture(spec)
		w[i] = spec.weight
		if spec == &english {
			t.english = &t.cultures[i]
		}
	}
	t.cultureW = newWeights(w)
	return t
}

func (t *tables) buildCulture(spec *cultureSpec) culture {
	c := culture{cultureSpec: spec}
	pats := map[string]*patronym{}
	for _, line := range spec.patronyms {
		f := strings.Fields(line)
		if len(f) != 5 {
			panic("demo: bad patronym " + line)
		}
		pats[f[0]] = &patronym{mText: f[1], mLatin: f[2], fText: f[3], fLatin: f[4]}
	}
	parse := func(list []string) []given {
		out := make([]given, len(list))
		for i, s := range list {
			out[i] = parseGiven(s, spec.germanASCII)
			out[i].pat = pats[out[i].latin]
		}
		return out
	}
	c.female, c.male = parse(spec.female), parse(spec.male)
	c.midFemale, c.midMale = parse(spec.midFemale), parse(spec.midMale)
	if spec.middle == middlePatronym {
		for _, m := range c.male {
			if m.pat == nil {
				panic("demo: no patronym for " + m.latin)
			}
		}
	}
	c.surnames = make([]surname, len(spec.surnames))
	for i, s := range spec.surnames {
		c.surnames[i] = parseSurname(s, spec)
	}
	var pw, hw []int
	for _, p := range spec.places {
		home := !strings.HasPrefix(p, "~")
		p = strings.TrimPrefix(p, "~")
		code, weight, ok := strings.Cut(p, ":")
		n, err := strconv.Atoi(weight)
		if !ok || err != nil {
			panic("demo: bad place " + p)
		}
		code, cityName, _ := strings.Cut(code, "/")
		co := t.countries[code]
		if co == nil {
			panic("demo: no country " + code)
		}
		pl := place{co: co, home: home}
		if cityName != "" {
			for i := range co.cities {
				if co.cities[i].name == cityName {
					pl.ci = &co.cities[i]
				}
			}
			if pl.ci == nil {
				panic("demo: no city " + p)
			}
		}
		c.places = append(c.places, pl)
		pw = append(pw, n)
		if home {
			c.homes = append(c.homes, co)
			hw = append(hw, n)
			c.speaksHomeLanguage = c.speaksHomeLanguage || sameLanguage(co.lang, spec.lang)
		}
	}
	c.placeW, c.homeW = newWeights(pw), newWeights(hw)
	return c
}

func parseGiven(s string, german bool) given {
	var g given
	if i := strings.IndexByte(s, '~'); i >= 0 {
		s, g.nick = s[:i], s[i+1:]
	}
	g.text, g.latin = s, s
	if native, latin, ok := strings.Cut(s, "="); ok {
		g.text, g.latin = native, latin
	}
	g.ascii = asciiFold(g.latin, german)
	return g
}

func parseSurname(s string, spec *cultureSpec) surname {
	var n surname
	n.text, n.latin = s, s
	if native, latin, ok := strings.Cut(s, "="); ok {
		n.text, n.latin = native, latin
	}
	n.ascii = asciiFold(n.latin, spec.germanASCII)
	n.fText, n.fLatin, n.fASCII = n.text, n.latin, n.ascii
	if spec.feminine != nil {
		n.fText, n.fLatin = spec.feminine(n.text), spec.feminine(n.latin)
		n.fASCII = asciiFold(n.fLatin, spec.germanASCII)
	}
	return n
}

// weights picks indexes in proportion to integer weights.
type weights struct{ cum []int }

func newWeights(w []int) weights {
	cum := make([]int, len(w))
	total := 0
	for i, x := range w {
		total += x
		cum[i] = total
	}
	if total <= 0 {
		panic("demo: no weight")
	}
	return weights{cum}
}

func (w weights) pick(r *rand.Rand) int {
	x := r.IntN(w.cum[len(w.cum)-1])
	return sort.SearchInts(w.cum, x+1)
}

// fold maps lower-case Latin letters with diacritics to ASCII.
var fold = func() map[rune]string {
	groups := map[string]string{
		"a":  "àáâãåāăąǎạảấầẩẫậắằẳẵặä",
		"ae": "æ",
		"c":  "çćĉċč",
		"d":  "ďđð",
		"e":  "èéêëēĕėęěẹẻẽếềểễệ",
		"g":  "ĝğġģ",
		"h":  "ĥħ",
		"i":  "ìíîïĩīĭįıỉịǐ",
		"j":  "ĵ",
		"k":  "ķ",
		"l":  "ĺļľŀł",
		"n":  "ñńņňŉ",
		"o":  "òóôõōŏőơọỏốồổỗộớờởỡợǒöø",
		"oe": "œ",
		"r":  "ŕŗř",
		"s":  "śŝşšș",
		"ss": "ß",
		"t":  "ţťŧț",
		"th": "þ",
		"u":  "ùúûũūŭůűųưụủứừửữựǔü",
		"w":  "ŵ",
		"y":  "ýÿŷỳỵỷỹ",
		"z":  "źżž",
	}
	m := map[rune]string{}
	for ascii, letters := range groups {
		for _, r := range letters {
			m[r] = ascii
		}
	}
	return m
}()

// asciiFold turns a Latin-script name into the lower-case ASCII letters an
// e-mail address would use: "Ó Súilleabháin" → "osuilleabhain", "Müller" →
// "muller" (or "mueller" with german), "Nguyễn" → "nguyen".
func asciiFold(s string, german bool) string {
	var b strings.Builder
	for _, r := range s {
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case german && r == 'ä':
			b.WriteString("ae")
		case german && r == 'ö':
			b.WriteString("oe")
		case german && r == 'ü':
			b.WriteString("ue")
		default:
			b.WriteString(fold[r]) // apostrophes, spaces, hyphens and marks drop out
		}
	}
	return b.String()
}
