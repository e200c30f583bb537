package norm

import (
	"slices"
	"testing"
)

func TestTerms_splitsFoldedWords(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only separators", " -- ,. ", nil},
		{"hyphens split", "Anne-Marie O'Neil", []string{"anne", "marie", "oneil", "neil"}},
		{"typographic apostrophe", "D’Artagnan", []string{"dartagnan", "artagnan"}},
		{"modifier apostrophe", "Hawaiʻi", []string{"hawaii"}},
		{"short parts are not terms", "don't", []string{"dont"}},
		{"apostrophe at the edges separates", "'quoted' rock'n'roll", []string{"quoted", "rocknroll", "roll"}},
		{"dedupes in order", "Smith, John SMITH jöhn", []string{"smith", "john"}},
		{"digits are words", "Flat 3b, 221B Baker St.", []string{"flat", "3b", "221b", "baker", "st"}},
		{"punctuation splits", "jo.smith@example.com", []string{"jo", "smith", "example", "com"}},
		{"non-Latin words", "Пётр Иванов 王小明", []string{"петр", "иванов", "王小明"}},
		{"marks stay inside words", "प्रिया शर्मा", []string{"प्रिया", "शर्मा"}},
		{"control characters split", "a\x00b", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Terms(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEmailTerms_findByAddressOrLocalPartWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"jo.smith@ex.com", []string{"jo.smith@ex.com", "jo", "smith"}},
		{"Jo.Smith+crm@Example.co.uk", []string{"jo.smith+crm@example.co.uk", "jo", "smith", "crm"}},
		{"anna@anna.de", []string{"anna@anna.de", "anna"}},
		{"not-an-address", []string{"not-an-address", "not", "an", "address"}},
	}
	for _, tt := range tests {
		if got := EmailTerms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("EmailTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhoneTerms_findByInternationalOrNationalDigits(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"+4915112345678", []string{"4915112345678", "15112345678", "015112345678"}},
		{"+442079460958", []string{"442079460958", "2079460958", "02079460958"}},
		{"+14155550123", []string{"14155550123", "4155550123"}},
		{"+390612345678", []string{"390612345678", "0612345678"}}, // Italy keeps its leading 0
		{"not a number", nil},
	}
	for _, tt := range tests {
		if got := PhoneTerms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("PhoneTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
