package norm

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

func TestPhone_returnsE164(t *testing.T) {
	tests := []struct {
		in, region, want string
	}{
		{"+1 650-253-0000", "", "+16502530000"},
		{"(650) 253-0000", "US", "+16502530000"},
		{"650.253.0000", "us", "+16502530000"},
		{"+44 20 7946 0958", "DE", "+442079460958"},
		{"020 7946 0958", "GB", "+442079460958"},
		{"0044 20 7946 0958", "DE", "+442079460958"},
		{"0151 12345678", "DE", "+4915112345678"},
		{"+49 (0)151 1234 5678", "", "+4915112345678"},
		{"  +33 1 42 68 53 00 ", "", "+33142685300"},
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"+39 06 1234 5678", "", "+390612345678"},
	}
	for _, tt := range tests {
		got, err := Phone(tt.in, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("Phone(%q, %q) = %q, %v; want %q", tt.in, tt.region, got, err, tt.want)
		}
	}
}

func TestPhone_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct {
		name, in, region, want string
	}{
		{"empty", " ", "US", "enter a phone number with its country code, like +44 20 7946 0958"},
		{"national without region", "020 7946 0958", "", "enter a phone number with its country code, like +44 20 7946 0958"},
		{"national with unknown region", "020 7946 0958", "QQ", "enter a phone number with its country code, like +44 20 7946 0958"},
		{"no such country code", "+999 1234 5678", "", "the country code of this phone number does not exist; check the digits after the +"},
		{"letters", "call me", "US", "this does not look like a phone number; enter it like +44 20 7946 0958"},
		{"too short", "+44 20", "", "this phone number is too short for country code +44 (United Kingdom)"},
		{"too long for the country", "+44 20 7946 0958 12", "", "this phone number is too long for country code +44 (United Kingdom)"},
		{"too long for any country", "+44 20 7946 0958 1234 5678", "", "this phone number is too long"},
		{"invalid for the country", "+1 123 456 7890", "", "this is not a valid phone number for country code +1 (United States)"},
		{"invalid nationally", "0151 123", "DE", "this is not a valid phone number for country code +49 (Germany); for a number in another country, start with + and the country code"},
		{"non-geographic code", "+800 1234 567", "", "this phone number is too short for country code +800"},
		{"extension", "+1 650-253-0000 ext. 12", "", "enter the phone number without its extension"},
		{"invalid UTF-8", "+44 20 7946 \xff0958", "", "this does not look like a phone number; enter it like +44 20 7946 0958"},
		{"overlong input", "+44 " + string(make([]byte, 100)), "", "this does not look like a phone number; enter it like +44 20 7946 0958"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Phone(tt.in, tt.region)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Phone(%q, %q) = %q, %v; want error %q", tt.in, tt.region, got, err, tt.want)
			}
		})
	}
}

func TestPhoneDisplay_usesInternationalFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+442079460958", "+44 20 7946 0958"},
		{"+16502530000", "+1 650-253-0000"},
		{"+4915112345678", "+49 1511 2345678"},
		{"garbage", "garbage"},
	}
	for _, tt := range tests {
		if got := PhoneDisplay(tt.in); got != tt.want {
			t.Errorf("PhoneDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The fast paths (compacted input, E.164 digits read without the parser)
// give what the parser gives, for example numbers of every region and type
// written in every format.
func TestPhone_fastPathsMatchTheParser(t *testing.T) {
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.UAN, phonenumbers.PAGER}
	checked := 0
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(region, typ)
			if ex == nil {
				continue
			}
			for _, f := range []phonenumbers.PhoneNumberFormat{phonenumbers.E164, phonenumbers.INTERNATIONAL, phonenumbers.NATIONAL} {
				in := phonenumbers.Format(ex, f)
				got, gotErr := Phone(in, region)
				want, wantErr := slowPhone(in, region)
				if got != want || (gotErr == nil) != (wantErr == nil) {
					t.Errorf("Phone(%q, %s) = %q, %v; the parser gives %q, %v", in, region, got, gotErr, want, wantErr)
				}
				checked++
			}
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			if got, want := PhoneTerms(e164), slowPhoneTerms(e164); !slices.Equal(got, want) {
				t.Errorf("PhoneTerms(%q) = %q; the parser gives %q", e164, got, want)
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d numbers checked", checked)
	}
}

func slowPhone(s, region string) (string, error) {
	num, err := phonenumbers.ParseAndKeepRawInput(s, region)
	if err != nil || num.GetExtension() != "" || !phonenumbers.IsValidNumber(num) {
		return "", errors.New("invalid")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

func slowPhoneTerms(e164 string) []string {
	digits := onlyDigits(e164)
	terms := []string{digits}
	if num, err := phonenumbers.Parse("+"+digits, ""); err == nil {
		terms = append(terms, phonenumbers.GetNationalSignificantNumber(num), onlyDigits(phonenumbers.Format(num, phonenumbers.NATIONAL)))
	}
	return unique(terms)
}

// phoneBenchInputs are numbers as people type them into the contact form
// and import files, with the region the form or file gives.
var phoneBenchInputs = map[string][][2]string{
	"US": {
		{"+1 212 555 0142", ""}, {"(415) 555-0199", "US"}, {"212-736-2000", "US"},
		{"+1 650-253-0000", "US"}, {"1 (312) 555 0117", "US"}, {"646.555.0175", "US"},
	},
	"CA": {
		{"+1 416 555 0123", ""}, {"(604) 555-0199", "CA"}, {"514-555-0142", "CA"},
		{"+1 403 555 0188", "CA"}, {"1 (613) 555 0110", "CA"}, {"905.555.0131", "CA"},
	},
	"GB": {
		{"+44 20 7946 0958", ""}, {"020 7946 0958", "GB"}, {"07911 123456", "GB"},
		{"+44 161 496 0123", "GB"}, {"0113 496 0000", "GB"}, {"+44 7911 123456", "US"},
	},
	"mixed": {
		{"+1 212 555 0142", ""}, {"(415) 555-0199", "US"}, {"(604) 555-0199", "CA"},
		{"020 7946 0958", "GB"}, {"+44 7911 123456", ""}, {"030 12345678", "DE"},
		{"+49 151 23456789", ""}, {"01 42 68 53 00", "FR"}, {"+33 6 12 34 56 78", ""},
		{"(02) 9876 5432", "AU"}, {"+61 412 345 678", ""}, {"+91 98765 43210", ""},
		{"022 2345 6789", "IN"}, {"212-736-2000", "US"}, {"+1 416 555 0123", "US"},
	},
}

func BenchmarkPhone(b *testing.B) {
	for _, name := range []string{"US", "CA", "GB", "mixed"} {
		inputs := phoneBenchInputs[name]
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				in := inputs[i%len(inputs)]
				if _, err := Phone(in[0], in[1]); err != nil {
					b.Fatal(in, err)
				}
				i++
			}
		})
	}
}

func BenchmarkPhoneTerms(b *testing.B) {
	for b.Loop() {
		PhoneTerms("+12125550134")
	}
}

// phoneReference is Phone as it was before phone_fast.go: the library's
// Parse and IsValidNumber for every number. Phone must agree with it on
// every input, value and message.
func phoneReference(s, defaultRegion string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errPhoneCountry
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxPhoneInput:
		return "", errors.New("this does not look like a phone number; enter it like +44 20 7946 0958")
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	num, err := phonenumbers.Parse(compactPhone(s), region)
	if err == nil && !phonenumbers.IsValidNumber(num) {
		num, err = phonenumbers.ParseAndKeepRawInput(s, region)
	}
	if err != nil {
		return "", phoneParseError(s, err)
	}
	if num.GetExtension() != "" {
		return "", errors.New("enter the phone number without its extension")
	}
	if !phonenumbers.IsValidNumber(num) {
		where := phoneCountry(num)
		hint := ""
		if num.GetCountryCodeSource() == phonenumbers.PhoneNumber_FROM_DEFAULT_COUNTRY {
			hint = "; for a number in another country, start with + and the country code"
		}
		switch phonenumbers.IsPossibleNumberWithReason(num) {
		case phonenumbers.TOO_SHORT:
			return "", fmt.Errorf("this phone number is too short for %s%s", where, hint)
		case phonenumbers.TOO_LONG:
			return "", fmt.Errorf("this phone number is too long for %s%s", where, hint)
		}
		return "", fmt.Errorf("this is not a valid phone number for %s%s", where, hint)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// phoneCorpusRegions are the default regions numbers of each country are
// tried with: their own, none, and others.
var phoneCorpusCountries = []string{"GB", "DE", "FR", "AU", "IN", "JP", "BR", "MX", "IT"}

// phoneCorpus generates, from a fixed seed, inputs for Phone with the
// default region to read them in: NANP numbers of every area code, numbers
// of other countries written nationally and internationally, numbers of
// every region the library knows, random digits, letters and extensions.
// With short, a sample of the same classes.
func phoneCorpus(short bool) [][2]string {
	r := rand.New(rand.NewPCG(20260101, 42))
	var out [][2]string
	add := func(in, region string) { out = append(out, [2]string{in, region}) }
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	pick := func(list []string) string { return list[r.IntN(len(list))] }

	// NANP: every area code with exchanges valid and not (0xx, 1xx, N11,
	// 555), written every way, read as US, Canadian, without a region and
	// as British.
	nanpFormats := []string{
		"+1 %s %s %s", "%s-%s-%s", "(%s) %s-%s", "%s.%s.%s", "1 %s %s %s", "1-%s-%s-%s",
		"%s%s%s", "+1%s%s%s", "1%s%s%s", "+1 (%s) %s-%s", "1 (%s) %s.%s", "+1-%s-%s-%s",
		"011 1 %s %s %s", "001 %s %s %s", "%s %s %s 9", "%s %s %s", "1 %s %s",
	}
	nanpRegions := []string{"US", "CA", "", "GB"}
	exchanges := []string{"555", "234", "011", "123", "911", "211", "958", "000", "199"}
	formatsPerRegion := 3
	if short {
		exchanges, formatsPerRegion = exchanges[:1], 1
	}
	for area := 200; area <= 999; area++ {
		a := strconv.Itoa(area)
		exs := append(slices.Clone(exchanges), digits(3), fmt.Sprintf("%d%02d", 2+r.IntN(8), r.IntN(100)))
		if short {
			exs = exs[:2]
		}
		for _, ex := range exs {
			sub := digits(4)
			for _, region := range nanpRegions {
				for range formatsPerRegion {
					f := pick(nanpFormats)
					switch strings.Count(f, "%s") {
					case 2:
						add(fmt.Sprintf(f, a, ex+sub), region)
					default:
						add(fmt.Sprintf(f, a, ex, sub), region)
					}
				}
			}
		}
	}

	// mutate returns the national significant number of ex with its tail
	// replaced by random digits and its length changed by up to two.
	mutate := func(nsn string) string {
		keep := r.IntN(len(nsn) + 1)
		n := max(1, len(nsn)+r.IntN(5)-2)
		if keep > n {
			keep = n
		}
		return nsn[:keep] + digits(n-keep)
	}
	spaced := func(d string) string {
		var b strings.Builder
		for i := 0; i < len(d); i++ {
			if i > 0 && r.IntN(4) == 0 {
				b.WriteByte(" -./"[r.IntN(4)])
			}
			b.WriteByte(d[i])
		}
		return b.String()
	}
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	// writeAll adds a number of calling code cc written every way.
	writeAll := func(cc int, nsn, own string) {
		code := strconv.Itoa(cc)
		ndd := phonenumbers.GetNddPrefixForRegion(own, true)
		num := &phonenumbers.PhoneNumber{}
		if n, err := phonenumbers.Parse("+"+code+nsn, ""); err == nil {
			num = n
		}
		regions := []string{own, "", "US", pick(phoneCorpusCountries)}
		forms := []string{
			"+" + code + nsn,
			"+" + code + " " + spaced(nsn),
			ndd + spaced(nsn),
			spaced(nsn),
			"00" + code + spaced(nsn),
			code + nsn,
			"(" + ndd + ")" + nsn,
			phonenumbers.Format(num, phonenumbers.NATIONAL),
			phonenumbers.Format(num, phonenumbers.INTERNATIONAL),
			"+" + code + " (0)" + spaced(nsn),
		}
		n := 4
		if short {
			n = 1
		}
		for range n {
			add(pick(forms), pick(regions))
		}
	}

	// Other countries, national and international, leading zeros (Italy)
	// and national prefixes with carrier codes (Brazil) included.
	perCountry := 700
	if short {
		perCountry = 30
	}
	for _, region := range phoneCorpusCountries {
		cc := phonenumbers.GetCountryCodeForRegion(region)
		var examples []string
		for _, typ := range types {
			if ex := phonenumbers.GetExampleNumberForType(region, typ); ex != nil {
				examples = append(examples, phonenumbers.GetNationalSignificantNumber(ex))
			}
		}
		for range perCountry {
			writeAll(cc, mutate(pick(examples)), region)
		}
	}

	// Every region and non-geographic calling code the library knows.
	perType := 4
	if short {
		perType = 1
	}
	for _, region := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedRegions())) {
		for _, typ := range types {
			if ex := phonenumbers.GetExampleNumberForType(region, typ); ex != nil {
				nsn := phonenumbers.GetNationalSignificantNumber(ex)
				writeAll(int(ex.GetCountryCode()), nsn, region)
				for range perType {
					writeAll(int(ex.GetCountryCode()), mutate(nsn), region)
				}
			}
		}
	}
	for _, cc := range slices.Sorted(maps.Keys(phonenumbers.GetSupportedGlobalNetworkCallingCodes())) {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			nsn := phonenumbers.GetNationalSignificantNumber(ex)
			for range perType * 4 {
				writeAll(cc, mutate(nsn), "001")
			}
		}
	}

	// Random digits, too short to too long, with and without +.
	randomRegions := append([]string{"US", "CA", "", "ZZ", "001", "us", " gb "}, phoneCorpusCountries...)
	nRandom := 55000
	if short {
		nRandom = 2000
	}
	for range nRandom {
		d := digits(4 + r.IntN(15))
		switch r.IntN(4) {
		case 0:
			d = "+" + d
		case 1:
			d = "+" + spaced(d)
		case 2:
			d = spaced(d)
		}
		add(d, pick(randomRegions))
	}

	// Letters, extensions and other writing the fast path leaves alone.
	odd := []string{
		"%s ext. 12", "%s#12", "%s x 123", "%s ext 5", "%s;ext=12", "%s,,12", "%s int 4", "%s - 503#",
		"tel:%s", "%s call after 5", "phone: %s", "%s / x12", "%s O", "++%s", "+ %s", "(+%s)",
		"%s\t", "%s\u00a0", "\uff0b%s", "%s abc", "%s, %s",
	}
	bases := []string{"+1 212 555 0142", "(415) 555-0199", "020 7946 0958", "+44 20 7946 0958",
		"030 12345678", "+49 151 23456789", "06 12 34 56 78", "+61 412 345 678", "+91 98765 43210", "0612345678"}
	nOdd := 2000
	if short {
		nOdd = 200
	}
	for range nOdd {
		f := pick(odd)
		var in string
		if strings.Count(f, "%s") == 2 {
			in = fmt.Sprintf(f, pick(bases), pick(bases))
		} else {
			in = fmt.Sprintf(f, pick(bases))
		}
		add(in, pick(randomRegions))
	}
	for _, in := range []string{
		"1-800-FLOWERS", "1-800-FLOWERS", "call me", "+44 20 7946 095O", "+４４ ２０ ７９４６ ０９５８",
		"+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨", "tel:+1-212-555-0142;phone-context=example.com", "+1 212 555 0142;isub=1",
		"", " ", "+", "1", "12", "+12", "+123", "0", "00", "000", "+0", "+00 44 20 7946 0958", "+01 212 555 0142",
		"+1", "+44", "+800 1234 5678", "+808 1234 5678", "+979 123 456 789", "+882 1234 5678",
	} {
		for _, region := range randomRegions {
			add(in, region)
		}
	}
	return out
}

// Phone takes shortcuts past the library's parser and validator
// (phone_fast.go); on every input of a large corpus it gives what the
// library gives, the same E.164 number or the same message.
//
// Under the race detector, which slows the library's regexps twentyfold,
// a sixth of the short corpus is enough to look for races.
func TestPhone_fastPathAgreesWithLibphonenumber(t *testing.T) {
	corpus := phoneCorpus(testing.Short() || raceEnabled())
	switch {
	case raceEnabled():
		corpus = everyNth(corpus, 6)
	case !testing.Short() && len(corpus) < 200000:
		t.Fatalf("the corpus has %d inputs, want at least 200000", len(corpus))
	}
	var (
		mu       sync.Mutex
		failures int
		fast     int
	)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			localFast := 0
			for i := w; i < len(corpus); i += workers {
				in, region := corpus[i][0], corpus[i][1]
				got, gotErr := Phone(in, region)
				want, wantErr := phoneReference(in, region)
				if cc, nsn, ok := parseCompact(compactPhone(strings.TrimSpace(in)), strings.ToUpper(strings.TrimSpace(region))); ok {
					if valid, known := validNSN(cc, nsn); valid && known {
						localFast++
					}
				}
				if got == want && errorText(gotErr) == errorText(wantErr) {
					continue
				}
				mu.Lock()
				if failures++; failures <= 20 {
					t.Errorf("Phone(%q, %q) = %q, %q; the library gives %q, %q", in, region, got, errorText(gotErr), want, errorText(wantErr))
				}
				mu.Unlock()
			}
			mu.Lock()
			fast += localFast
			mu.Unlock()
		})
	}
	wg.Wait()
	if failures > 0 {
		t.Errorf("%d of %d inputs disagree", failures, len(corpus))
	}
	t.Logf("%d inputs, %d of them valid numbers read without the library", len(corpus), fast)
}

func everyNth(corpus [][2]string, n int) [][2]string {
	var out [][2]string
	for i := 0; i < len(corpus); i += n {
		out = append(out, corpus[i])
	}
	return out
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

func errorText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// Where parseCompact reads a number, it reads what the library's parser
// reads; where validNSN answers, it answers as IsValidNumber. Unlike the
// test above, this also holds them to account on invalid numbers.
func TestPhone_fastStepsAgreeWithTheLibrary(t *testing.T) {
	corpus := phoneCorpus(true)
	if raceEnabled() {
		corpus = everyNth(corpus, 6)
	}
	read, answered := 0, 0
	for _, c := range corpus {
		in := compactPhone(strings.TrimSpace(c[0]))
		region := strings.ToUpper(strings.TrimSpace(c[1]))
		num, err := phonenumbers.Parse(in, region)
		cc, nsn, ok := parseCompact(in, region)
		if ok {
			read++
			if err != nil || int(num.GetCountryCode()) != cc || phonenumbers.GetNationalSignificantNumber(num) != nsn {
				t.Errorf("parseCompact(%q, %q) = %d, %q; Parse gives %v, %v", in, region, cc, nsn, num, err)
			}
		}
		if err != nil {
			continue
		}
		valid, known := validNSN(int(num.GetCountryCode()), phonenumbers.GetNationalSignificantNumber(num))
		if known {
			answered++
			if want := phonenumbers.IsValidNumber(num); valid != want {
				t.Errorf("validNSN(%d, %q) = %v; IsValidNumber gives %v", num.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(num), valid, want)
			}
		}
	}
	if read < len(corpus)/2 || answered < len(corpus)/2 {
		t.Errorf("of %d inputs, parseCompact read %d and validNSN answered %d; the fast paths are not taken", len(corpus), read, answered)
	}
}

// The automata accept what the library's regexps match, for every pattern
// of every region: the descriptions by number type, leading digits and
// international prefixes.
func TestDigitDFA_agreesWithRegexp(t *testing.T) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	perPattern := 150
	if testing.Short() {
		perPattern = 30
	}
	patterns, states := 0, 0
	for _, md := range coll.GetMetadata() {
		check := func(pattern, example string, full bool) {
			dfa, ok := newDigitDFA(pattern, full)
			if !ok {
				t.Errorf("%s: no automaton for %q", md.GetId(), pattern)
				return
			}
			patterns++
			states += len(dfa.end)
			expr := "^(?:" + pattern + ")"
			if full {
				expr += "$"
			}
			re := regexp.MustCompile(expr)
			inputs := []string{"", example}
			for i := 1; i < len(example); i++ {
				inputs = append(inputs, example[:i])
			}
			for range perPattern {
				b := []byte(example[:r.IntN(len(example)+1)])
				for n := r.IntN(18); len(b) < n; {
					b = append(b, byte('0'+r.IntN(10)))
				}
				inputs = append(inputs, string(b))
			}
			for _, in := range inputs {
				var got bool
				if full {
					got = dfa.full(in)
				} else {
					got = dfa.prefix(in)
				}
				if want := re.MatchString(in); got != want {
					t.Errorf("%s: automaton of %q on %q = %v, regexp %v", md.GetId(), expr, in, got, want)
				}
			}
		}
		for _, d := range []*phonenumbers.PhoneNumberDesc{md.GetGeneralDesc(), md.GetFixedLine(), md.GetMobile(),
			md.GetTollFree(), md.GetPremiumRate(), md.GetSharedCost(), md.GetPersonalNumber(), md.GetVoip(),
			md.GetPager(), md.GetUan(), md.GetVoicemail()} {
			check(d.GetNationalNumberPattern(), d.GetExampleNumber(), true)
		}
		example := md.GetGeneralDesc().GetExampleNumber()
		if ld := md.GetLeadingDigits(); ld != "" {
			check(ld, example, false)
		}
		// The parser looks for the international prefix anywhere and takes
		// it only at the start, which is the prefix the automaton matches.
		check(md.GetInternationalPrefix(), "00"+example, false)
	}
	t.Logf("%d patterns, %d automaton states", patterns, states)
}

func TestDigitDFA_handlesAnchorsAndOddPatterns(t *testing.T) {
	tests := []struct {
		pattern string
		full    bool
		in      string
		want    bool
	}{
		{"", true, "", true},
		{"", true, "1", false},
		{"", false, "123", true},
		{"[2-9]\\d{2}", true, "212", true},
		{"[2-9]\\d{2}", true, "2120", false},
		{"[2-9]\\d{2}", false, "2120", true},
		{"1|12", false, "19", true},
		{"12$|1", false, "12", true},
		{"12$", false, "123", false},
		{"(?:0|90)(\\d{2})?", false, "9012", true},
		{"x*", true, "", true},
		{"[^1]", true, "2", true},
	}
	for _, tt := range tests {
		dfa, ok := newDigitDFA(tt.pattern, tt.full)
		if !ok {
			t.Errorf("newDigitDFA(%q) failed", tt.pattern)
			continue
		}
		got := dfa.prefix(tt.in)
		if tt.full {
			got = dfa.full(tt.in)
		}
		if got != tt.want {
			t.Errorf("automaton of %q (full %v) on %q = %v, want %v", tt.pattern, tt.full, tt.in, got, tt.want)
		}
	}
	for _, p := range []string{"a)|(b", "\\b1", "(?m)^1"} {
		if _, ok := newDigitDFA(p, true); ok {
			t.Errorf("newDigitDFA(%q) built an automaton; want it refused", p)
		}
	}
}
