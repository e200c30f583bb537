package demo

// Word lists for occupations, employers, firm and fund names, tags and
// e-mail providers.

type sector uint8

const (
	sectorGeneral sector = iota
	sectorTech
	sectorHealth
	sectorFinance
	sectorLaw
	sectorEducation
	sectorEngineering
	sectorPublic
)

type occupation struct {
	title  string
	sector sector
	doctor bool // addressed as Dr
}

var employedJobs = []occupation{
	{"Software Engineer", sectorTech, false}, {"Senior Software Engineer", sectorTech, false},
	{"Product Manager", sectorTech, false}, {"Data Scientist", sectorTech, false}, {"IT Manager", sectorTech, false},
	{"Physician", sectorHealth, true}, {"Surgeon", sectorHealth, true}, {"Anaesthetist", sectorHealth, true},
	{"Registered Nurse", sectorHealth, false}, {"Pharmacist", sectorHealth, false}, {"Physiotherapist", sectorHealth, false},
	{"Teacher", sectorEducation, false}, {"Professor", sectorEducation, true}, {"School Principal", sectorEducation, false},
	{"Attorney", sectorLaw, false}, {"Corporate Counsel", sectorLaw, false}, {"Paralegal", sectorLaw, false},
	{"Accountant", sectorFinance, false}, {"Financial Analyst", sectorFinance, false},
	{"Investment Banker", sectorFinance, false}, {"Portfolio Manager", sectorFinance, false},
	{"Chief Financial Officer", sectorFinance, false}, {"Actuary", sectorFinance, false},
	{"Civil Engineer", sectorEngineering, false}, {"Mechanical Engineer", sectorEngineering, false},
	{"Electrical Engineer", sectorEngineering, false}, {"Site Manager", sectorEngineering, false},
	{"Marketing Director", sectorGeneral, false}, {"Sales Manager", sectorGeneral, false},
	{"HR Manager", sectorGeneral, false}, {"Operations Manager", sectorGeneral, false},
	{"Project Manager", sectorGeneral, false}, {"Management Consultant", sectorGeneral, false},
	{"Chief Executive Officer", sectorGeneral, false}, {"Vice President", sectorGeneral, false},
	{"Research Scientist", sectorHealth, true}, {"Journalist", sectorGeneral, false},
	{"Graphic Designer", sectorGeneral, false}, {"Logistics Coordinator", sectorGeneral, false},
	{"Airline Pilot", sectorGeneral, false}, {"Chef", sectorGeneral, false},
	{"Civil Servant", sectorPublic, false}, {"Police Officer", sectorPublic, false}, {"Diplomat", sectorPublic, false},
}

var selfEmployedJobs = []occupation{
	{"Business Owner", sectorGeneral, false}, {"Consultant", sectorGeneral, false}, {"Dentist", sectorHealth, true},
	{"General Practitioner", sectorHealth, true}, {"Veterinarian", sectorHealth, true}, {"Architect", sectorEngineering, false},
	{"Photographer", sectorGeneral, false}, {"Real Estate Investor", sectorFinance, false},
	{"Restaurateur", sectorGeneral, false}, {"Farmer", sectorGeneral, false}, {"Software Developer", sectorTech, false},
	{"Interior Designer", sectorGeneral, false}, {"Author", sectorGeneral, false}, {"Psychotherapist", sectorHealth, true},
}

// professionalJobs are the people an advisor works alongside.
var professionalJobs = []occupation{
	{"Estate Planning Attorney", sectorLaw, false}, {"Tax Attorney", sectorLaw, false},
	{"Certified Public Accountant", sectorFinance, false}, {"Tax Advisor", sectorFinance, false},
	{"Insurance Agent", sectorFinance, false}, {"Mortgage Broker", sectorFinance, false},
	{"Real Estate Agent", sectorGeneral, false}, {"Notary", sectorLaw, false}, {"Private Banker", sectorFinance, false},
	{"Business Valuation Specialist", sectorFinance, false}, {"Trust Officer", sectorFinance, false},
	{"Compliance Officer", sectorFinance, false},
}

var studentJobs = []string{"Student", "Graduate Student", "Medical Student", "Law Student", "PhD Candidate"}

// Firm names are a prefix and a suffix run together ("Northbridge",
// "Silverwood") and an industry.
var (
	firmPrefixes = []string{
		"North", "South", "West", "East", "Blue", "Silver", "Gold", "Red", "Green", "Stone", "Iron", "Oak", "Cedar",
		"Maple", "Pine", "River", "Lake", "Harbor", "Bay", "Summit", "High", "Bright", "Clear", "Star", "Sun",
		"Fair", "Crown", "Elm", "Alder", "Ash", "Granite", "Copper",
	}
	firmSuffixes = []string{
		"bridge", "field", "wood", "stone", "gate", "view", "point", "side", "ridge", "brook", "haven", "water",
		"land", "wind", "light", "way", "vale", "crest", "mont", "ford",
	}
	sectorIndustries = [...][]string{
		sectorGeneral:     {"Logistics", "Foods", "Media", "Retail", "Hospitality", "Consulting", "Group", "Textiles", "Shipping", "Motors"},
		sectorTech:        {"Software", "Systems", "Analytics", "Labs", "Technologies", "Robotics", "Data"},
		sectorHealth:      {"Health", "Medical Center", "Clinic", "Dental Group", "Pharmaceuticals", "Biotech", "Hospital"},
		sectorFinance:     {"Capital", "Bank", "Asset Management", "Insurance", "Advisors", "Partners"},
		sectorLaw:         {"Legal", "Law Group", "Partners"},
		sectorEducation:   {"University", "Academy", "College", "School"},
		sectorEngineering: {"Engineering", "Construction", "Energy", "Manufacturing", "Architects", "Industries"},
		sectorPublic:      {"Council", "Authority"},
	}
	fundStrategies = []string{
		"Growth", "Value", "Income", "Opportunities", "Credit", "Real Estate", "Infrastructure", "Venture",
		"Balanced", "Global Macro", "Small Cap", "Emerging Markets", "Sustainable Equity", "Private Equity",
	}
	romanNumerals = []string{"II", "III", "IV", "V"}
)

var mailboxes = []string{"info", "contact", "office", "hello", "admin", "accounts"}
var fundMailboxes = []string{"ir", "investors", "operations", "info"}

// globalMail are the e-mail providers used everywhere, weighted.
var (
	globalMail  = []string{"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "proton.me"}
	globalMailW = newWeights([]int{40, 12, 9, 9, 10, 3})
)

var tagPool = []string{
	"vip", "retiree", "high-net-worth", "newsletter", "referral", "esg", "estate-planning", "business-owner",
	"medical", "tech", "401k-rollover", "annual-review", "tax-planning", "college-savings", "philanthropy",
	"expat", "pension-transfer", "do-not-call", "seminar-attendee", "cross-border",
}

// Tags that other rules add; their positions in tagPool.
const (
	tagVIP = iota
	tagRetiree
	tagHNW
	tagNewsletter
	tagReferral
	tagESG
	tagEstate
	tagBusinessOwner
	tagMedical
	tagTech
	tag401k
	tagAnnualReview
	tagTaxPlanning
	tagCollege
	tagPhilanthropy
	tagExpat
	tagPensionTransfer
	tagDoNotCall
	tagSeminar
	tagCrossBorder
)

// freeTags are the tags any contact may carry; the others follow from the
// profile (retiree, expat…) and are added by rule.
var freeTags = []int{
	tagNewsletter, tagNewsletter, tagESG, tagEstate, tagAnnualReview, tagAnnualReview, tagTaxPlanning,
	tagCollege, tagPhilanthropy, tagDoNotCall, tagSeminar, tagCrossBorder,
}

var markets = []string{"equities", "bonds", "funds", "options", "futures", "forex", "crypto", "cfds"}

// marketShare is the share, in percent, of experienced investors trading each market.
var marketShare = []int{72, 45, 78, 14, 6, 7, 14, 4}

// prefixes are honorifics by language: woman, man, woman doctor, man doctor.
var prefixes = map[string][4]string{
	"en": {"Ms", "Mr", "Dr", "Dr"},
	"de": {"Frau", "Herr", "Dr.", "Dr."},
	"fr": {"Mme", "M.", "Dr", "Dr"},
	"es": {"Sra.", "Sr.", "Dra.", "Dr."},
	"pt": {"Sra.", "Sr.", "Dra.", "Dr."},
	"it": {"Sig.ra", "Sig.", "Dott.ssa", "Dott."},
	"nl": {"Mevr.", "Dhr.", "Dr.", "Dr."},
}
