package norm

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// Most of the time phonenumbers spends on a number goes to its pattern
// matching: IsValidNumber tries a pattern for every number type of a
// region, for +1 (the United States, Canada and 23 other regions) region
// after region until one fits, and Phone asked twice. This file gives the
// same answers from the library's own metadata, faster:
//
//   - its patterns, which only ever see the digits of a number, are turned
//     into automata over the ten digits, which answer in one table lookup
//     a digit where the regexp engine backtracks through alternatives;
//   - a number written with digits and separators alone (most of them) is
//     read by following the parser's steps for such input, falling back to
//     the parser wherever they branch into anything less common.
//
// Every step mirrors one of the library (named in the comments) on the same
// metadata and pattern strings; where the library would do something this
// file does not follow (a national prefix rewritten by a transform rule, a
// + followed by 0, a number it refuses, metadata it would panic on), the
// caller is told to ask the library instead. phone_test.go holds the
// proof: Phone agrees with the library on a large corpus, and every
// automaton with its regexp.

// phoneTables indexes the library's metadata the way its unexported
// getMetadataForRegion and getMetadataForNonGeographicalRegion look it up.
type phoneTables struct {
	regions map[string]*phoneMeta // supported regions
	nonGeo  map[int]*phoneMeta    // calling codes of region "001", like +800
}

var phoneData = sync.OnceValue(func() *phoneTables {
	t := &phoneTables{regions: map[string]*phoneMeta{}, nonGeo: map[int]*phoneMeta{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		// The library loads the same collection at init and panics if
		// it cannot; with empty tables everything goes to the library.
		return t
	}
	supported := phonenumbers.GetSupportedRegions()
	for _, md := range coll.GetMetadata() {
		switch id := md.GetId(); {
		case id == "001":
			t.nonGeo[int(md.GetCountryCode())] = &phoneMeta{md: md}
		case supported[id]:
			t.regions[id] = &phoneMeta{md: md}
		}
	}
	return t
})

// meta is the library's getMetadataForRegionOrCallingCode.
func (t *phoneTables) meta(cc int, region string) *phoneMeta {
	if region == "001" {
		if !phonenumbers.GetSupportedCallingCodes()[cc] {
			return nil
		}
		return t.nonGeo[cc]
	}
	return t.regions[region]
}

// phoneMeta is the metadata of one region with its patterns compiled on
// first use; a process sees a handful of regions, not all 250.
type phoneMeta struct {
	md   *phonenumbers.PhoneMetadata
	once sync.Once
	m    *phoneMatchers // nil when some pattern has no automaton
}

func (p *phoneMeta) matchers() *phoneMatchers {
	if p == nil {
		return nil
	}
	p.once.Do(func() { p.m = newPhoneMatchers(p.md) })
	return p.m
}

type phoneMatchers struct {
	general descMatcher
	// The descriptions getNumberTypeHelper tries before mobile; a number
	// matching the general one and any of these has a type, so is valid.
	types              []descMatcher
	mobile             descMatcher
	sameMobileAndFixed bool
	leading            *digitDFA // nil without leading digits
	// The international prefix: the automaton says whether a number
	// starts with it, the regexp (as parsePrefixAsIdd compiles it) where
	// the match it takes ends.
	idd            *digitDFA
	iddRegexp      *regexp.Regexp
	nationalPrefix *regexp.Regexp // nil without one
	transformRule  string
	generalLengths []int32
	localLengths   []int32
}

func newPhoneMatchers(md *phonenumbers.PhoneMetadata) *phoneMatchers {
	m := &phoneMatchers{
		sameMobileAndFixed: md.GetSameMobileAndFixedLinePattern(),
		transformRule:      md.GetNationalPrefixTransformRule(),
		generalLengths:     md.GetGeneralDesc().GetPossibleLength(),
		localLengths:       md.GetGeneralDesc().GetPossibleLengthLocalOnly(),
	}
	if len(m.generalLengths) == 0 {
		return nil // testNumberLength would index an empty list
	}
	ok := true
	desc := func(d *phonenumbers.PhoneNumberDesc) descMatcher {
		if d == nil {
			ok = false // isNumberMatchingDesc would dereference nil
			return descMatcher{}
		}
		dfa, built := newDigitDFA(d.GetNationalNumberPattern(), true)
		ok = ok && built
		return descMatcher{lengths: d.GetPossibleLength(), dfa: dfa}
	}
	m.general = desc(md.GetGeneralDesc())
	for _, d := range []*phonenumbers.PhoneNumberDesc{md.GetPremiumRate(), md.GetTollFree(), md.GetSharedCost(),
		md.GetVoip(), md.GetPersonalNumber(), md.GetPager(), md.GetUan(), md.GetVoicemail(), md.GetFixedLine()} {
		m.types = append(m.types, desc(d))
	}
	m.mobile = desc(md.GetMobile())
	if ld := md.GetLeadingDigits(); ld != "" {
		var built bool
		m.leading, built = newDigitDFA(ld, false)
		ok = ok && built
	}
	var built bool
	m.idd, built = newDigitDFA(md.GetInternationalPrefix(), false)
	ok = ok && built
	re, err := regexp.Compile(md.GetInternationalPrefix())
	if err != nil {
		return nil
	}
	m.iddRegexp = re
	if npp := md.GetNationalPrefixForParsing(); npp != "" {
		// As maybeStripNationalPrefixAndCarrierCode compiles it; the
		// regexp itself, as the match it picks and its groups matter.
		re, err := regexp.Compile("^(?:" + npp + ")")
		if err != nil {
			return nil
		}
		m.nationalPrefix = re
	}
	if !ok {
		return nil
	}
	return m
}

// descMatcher is isNumberMatchingDesc for one PhoneNumberDesc: the
// number's length must be one of the possible lengths, if any are listed,
// and the number must match the pattern.
type descMatcher struct {
	lengths []int32
	dfa     *digitDFA
}

func (d descMatcher) matches(nsn string) bool {
	if len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.dfa.full(nsn)
}

// valid is getNumberTypeHelper(nsn, metadata) != UNKNOWN.
func (m *phoneMatchers) valid(nsn string) bool {
	if !m.general.matches(nsn) {
		return false
	}
	for _, d := range m.types {
		if d.matches(nsn) {
			return true
		}
	}
	return !m.sameMobileAndFixed && m.mobile.matches(nsn)
}

// lengthResult is testNumberLength(number, metadata, UNKNOWN).
func (m *phoneMatchers) lengthResult(number string) phonenumbers.ValidationResult {
	possible := m.generalLengths
	if possible[0] == -1 {
		return phonenumbers.INVALID_LENGTH
	}
	n := int32(len(number))
	switch {
	case slices.Contains(m.localLengths, n):
		return phonenumbers.IS_POSSIBLE_LOCAL_ONLY
	case possible[0] == n:
		return phonenumbers.IS_POSSIBLE
	case possible[0] > n:
		return phonenumbers.TOO_SHORT
	case possible[len(possible)-1] < n:
		return phonenumbers.TOO_LONG
	case slices.Contains(possible[1:], n):
		return phonenumbers.IS_POSSIBLE
	}
	return phonenumbers.INVALID_LENGTH
}

// stripNationalPrefix is maybeStripNationalPrefixAndCarrierCode without the
// carrier code, which Parse drops. It reports false where the prefix
// would be rewritten by the region's transform rule (Argentina, Brazil,
// Japan's 000 numbers and the like), which is left to the library.
func (m *phoneMatchers) stripNationalPrefix(number string) (string, bool) {
	if number == "" || m.nationalPrefix == nil {
		return number, true
	}
	groups := m.nationalPrefix.FindStringSubmatchIndex(number)
	if groups == nil {
		return number, true
	}
	last := len(groups)/2 - 1
	if m.transformRule != "" && groups[last*2] >= 0 {
		return "", false
	}
	// If the number was viable and would not be without the prefix, the
	// prefix is part of it.
	if m.general.dfa.full(number) && !m.general.dfa.full(number[groups[1]:]) {
		return number, true
	}
	return number[groups[1]:], true
}

// parseCompact reads s, ASCII digits with an optional leading +, as
// phonenumbers.Parse(s, region) does, returning the calling code and the
// national significant number (which is the national number with its
// leading zeros). It reports false for any other s and wherever the parser
// would take a path this does not follow, or fail.
func parseCompact(s, region string) (cc int, nsn string, ok bool) {
	digits, international := strings.CutPrefix(s, "+")
	if len(digits) < 3 {
		return 0, "", false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, "", false
		}
	}
	t := phoneData()
	regionMeta := t.regions[region] // nil when the region is not supported
	extracted := false              // the calling code was in the number
	national := digits
	if !international {
		m := regionMeta.matchers()
		if m == nil {
			return 0, "", false // no region to read a national number in
		}
		// parsePrefixAsIdd: the region's international prefix ("00",
		// "011") starts an international number, unless a 0 follows it.
		if m.idd.prefix(digits) {
			loc := m.iddRegexp.FindStringIndex(digits)
			if loc == nil || loc[0] != 0 || loc[1] == len(digits) {
				return 0, "", false
			}
			if digits[loc[1]] != '0' {
				digits, international = digits[loc[1]:], true
			}
		}
	}
	if international {
		// extractCountryCode: the shortest leading digits that are a
		// calling code. A leading 0 is none, and after a + the parser
		// then tries again without it.
		if len(digits) <= 2 || digits[0] == '0' {
			return 0, "", false
		}
		for l := 1; l <= 3; l++ {
			code, _ := strconv.Atoi(digits[:l])
			if phonenumbers.GetSupportedCallingCodes()[code] {
				cc, national, extracted = code, digits[l:], true
				break
			}
		}
		if !extracted {
			return 0, "", false
		}
	} else {
		m := regionMeta.matchers()
		cc, national = int(regionMeta.md.GetCountryCode()), digits
		// maybeExtractCountryCode: a number that starts with the region's
		// own calling code loses it when it is valid only without it, or
		// too long with it ("1 415 555 0199" in the United States).
		if code := strconv.Itoa(cc); strings.HasPrefix(digits, code) {
			potential, ok := m.stripNationalPrefix(digits[len(code):])
			if !ok {
				return 0, "", false
			}
			if (!m.general.dfa.full(digits) && m.general.dfa.full(potential)) ||
				m.lengthResult(digits) == phonenumbers.TOO_LONG {
				national, extracted = potential, true
			}
		}
	}
	if len(national) < 2 {
		return 0, "", false
	}
	// parseHelper: with a calling code from the number, its national
	// prefix is that of the calling code's main region.
	meta := regionMeta
	if extracted {
		if main := phonenumbers.GetRegionCodeForCountryCode(cc); main != region {
			meta = t.meta(cc, main)
		}
	}
	if meta != nil {
		m := meta.matchers()
		if m == nil {
			return 0, "", false
		}
		stripped, ok := m.stripNationalPrefix(national)
		if !ok {
			return 0, "", false
		}
		// The prefix is dropped only if what remains has a possible
		// length; otherwise it may be a short number that starts like one.
		switch m.lengthResult(stripped) {
		case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY, phonenumbers.INVALID_LENGTH:
		default:
			national = stripped
		}
	}
	if len(national) < 2 || len(national) > 17 {
		return 0, "", false
	}
	return cc, national, true
}

// validNSN is phonenumbers.IsValidNumber for the number with calling code
// cc and national significant number nsn. It reports known false where
// the library's metadata has something this does not follow.
//
// IsValidNumber first finds the number's region (GetRegionCodeForNumber):
// the only one of its calling code, or the first that claims it, by
// leading digits or else by being valid there. Then it checks the number
// against that region's patterns.
func validNSN(cc int, nsn string) (valid, known bool) {
	t := phoneData()
	regions := phonenumbers.GetRegionCodesForCountryCode(cc)
	switch len(regions) {
	case 0:
		return false, true
	case 1:
		return t.validForRegion(cc, regions[0], nsn)
	}
	for _, region := range regions {
		p := t.regions[region]
		m := p.matchers()
		if m == nil {
			return false, false
		}
		if m.leading != nil {
			if m.leading.prefix(nsn) {
				return t.validForRegion(cc, region, nsn)
			}
		} else if m.valid(nsn) {
			return int(p.md.GetCountryCode()) == cc, true
		}
	}
	return false, true
}

// validForRegion is phonenumbers.IsValidNumberForRegion.
func (t *phoneTables) validForRegion(cc int, region, nsn string) (valid, known bool) {
	p := t.meta(cc, region)
	if p == nil || (region != "001" && int(p.md.GetCountryCode()) != cc) {
		return false, true
	}
	m := p.matchers()
	if m == nil {
		return false, false
	}
	return m.valid(nsn), true
}

// validNumber is phonenumbers.IsValidNumber(num).
func validNumber(num *phonenumbers.PhoneNumber) bool {
	valid, known := validNSN(int(num.GetCountryCode()), phonenumbers.GetNationalSignificantNumber(num))
	if !known {
		return phonenumbers.IsValidNumber(num)
	}
	return valid
}

// digitDFA is a deterministic automaton over the digits 0-9 that accepts
// exactly the digit strings one of the library's patterns matches, built
// from the regexp program of the very string the library compiles. Go's
// regexp backtracks through a pattern's alternatives, which for a pattern
// listing every area code of a region means hundreds of steps a digit;
// the automaton takes one.
type digitDFA struct {
	next  []int32 // ten a state, by digit; -1 is the state nothing leaves
	end   []bool  // the pattern has matched if the input ends here
	early []bool  // the pattern has matched with more input to follow
}

// maxDFAStates bounds an automaton; the library's patterns need under 300
// (Myanmar's), and one that needed more would go to the library.
const maxDFAStates = 5000

// newDigitDFA builds the automaton of "^(?:pattern)$" (full) or
// "^(?:pattern)" (a prefix, as leading digits and international prefixes
// are matched). It reports false for a pattern that does not stand alone
// (the wrapped string would then mean something else) or that uses an
// assertion other than the beginning or end of the text.
func newDigitDFA(pattern string, full bool) (*digitDFA, bool) {
	if _, err := syntax.Parse(pattern, syntax.Perl); err != nil {
		return nil, false
	}
	expr := "^(?:" + pattern + ")"
	if full {
		expr += "$"
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, false
	}
	for _, in := range prog.Inst {
		if in.Op == syntax.InstEmptyWidth && syntax.EmptyOp(in.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
			return nil, false
		}
	}
	b := &dfaBuilder{prog: prog, ids: map[string]int32{}, seen: make([]uint32, len(prog.Inst))}
	// The program is only started at the beginning of the input: the
	// wrapped pattern begins with ^, so it matches nowhere else.
	if b.state([]uint32{uint32(prog.Start)}, true) < 0 {
		b.add(nil, false, false) // a pattern that matches nothing
	}
	var kernel []uint32
	for s := 0; s < len(b.runes); s++ {
		for d := range 10 {
			kernel = kernel[:0]
			for _, pc := range b.runes[s] {
				if in := &prog.Inst[pc]; matchesDigit(in, rune('0'+d)) {
					kernel = append(kernel, in.Out)
				}
			}
			// Not assigned directly: state appends to next, which may move.
			next := b.state(kernel, false)
			b.dfa.next[s*10+d] = next
			if len(b.runes) > maxDFAStates {
				return nil, false
			}
		}
	}
	return &b.dfa, true
}

func matchesDigit(in *syntax.Inst, r rune) bool {
	switch in.Op {
	case syntax.InstRune1:
		return in.Rune[0] == r
	case syntax.InstRune:
		return in.MatchRune(r)
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	}
	return false
}

type dfaBuilder struct {
	prog  *syntax.Prog
	dfa   digitDFA
	runes [][]uint32 // of each state, the instructions that read a digit
	ids   map[string]int32
	seen  []uint32 // closure marks, by generation
	gen   uint32
	stack []uint32
}

// state returns the state the program is in with its threads at kernel,
// adding it if new. States are told apart by what they do: the digit
// instructions they may run next and whether they accept.
func (b *dfaBuilder) state(kernel []uint32, atStart bool) int32 {
	runes, early := b.closure(kernel, atStart, false, nil)
	_, end := b.closure(kernel, atStart, true, nil)
	if len(runes) == 0 && !early && !end {
		return -1
	}
	slices.Sort(runes)
	key := make([]byte, 0, 4*len(runes)+2)
	for _, pc := range runes {
		key = append(key, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
	}
	key = append(key, flagByte(early), flagByte(end))
	if id, ok := b.ids[string(key)]; ok {
		return id
	}
	id := b.add(runes, early, end)
	b.ids[string(key)] = id
	return id
}

func (b *dfaBuilder) add(runes []uint32, early, end bool) int32 {
	id := int32(len(b.runes))
	b.runes = append(b.runes, runes)
	b.dfa.end = append(b.dfa.end, end)
	b.dfa.early = append(b.dfa.early, early)
	for range 10 {
		b.dfa.next = append(b.dfa.next, -1)
	}
	return id
}

func flagByte(f bool) byte {
	if f {
		return 1
	}
	return 0
}

// closure follows the program from kernel without reading a digit,
// appending to runes the instructions that read one, and reports whether
// it reaches a match. At the start or end of the input, ^ or $ hold.
func (b *dfaBuilder) closure(kernel []uint32, atStart, atEnd bool, runes []uint32) ([]uint32, bool) {
	b.gen++
	match := false
	b.stack = append(b.stack[:0], kernel...)
	for len(b.stack) > 0 {
		pc := b.stack[len(b.stack)-1]
		b.stack = b.stack[:len(b.stack)-1]
		if b.seen[pc] == b.gen {
			continue
		}
		b.seen[pc] = b.gen
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			b.stack = append(b.stack, in.Arg, in.Out)
		case syntax.InstCapture, syntax.InstNop:
			b.stack = append(b.stack, in.Out)
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			if (op&syntax.EmptyBeginText == 0 || atStart) && (op&syntax.EmptyEndText == 0 || atEnd) {
				b.stack = append(b.stack, in.Out)
			}
		case syntax.InstMatch:
			match = true
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			runes = append(runes, pc)
		}
	}
	return runes, match
}

// full reports whether the pattern matches all of s, ASCII digits.
func (d *digitDFA) full(s string) bool {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		if st = d.next[int(st)*10+int(s[i]-'0')]; st < 0 {
			return false
		}
	}
	return d.end[st]
}

// prefix reports whether the pattern matches a beginning of s, ASCII
// digits, as the unanchored regexp of a pattern starting with ^ does.
func (d *digitDFA) prefix(s string) bool {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		if d.early[st] {
			return true
		}
		if st = d.next[int(st)*10+int(s[i]-'0')]; st < 0 {
			return false
		}
	}
	return d.end[st]
}
