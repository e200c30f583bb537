package export

import "testing"

func TestNeutralise(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"'", "'"},
		{"''", "''"},
		{"=1+1", "'=1+1"},
		{"+15551234567", "'+15551234567"},
		{"-2", "'-2"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"=", "'="},
		{"+", "'+"},
		{"-", "'-"},
		{"@", "'@"},
		{"\t", "'\t"},
		{"\r", "'\r"},
		// Triggers anywhere but at the start are harmless.
		{"a=1", "a=1"},
		{"1+1", "1+1"},
		{"555-1234", "555-1234"},
		{"ann@example.com", "ann@example.com"},
		{"a\tb", "a\tb"},
		{"a\rb", "a\rb"},
		{" =1", " =1"},
		{"\n=1", "\n=1"},
		{"'abc", "'abc"},
		{"O'Brien", "O'Brien"},
		// Values that already look neutralised get one more apostrophe, so
		// that Restore can undo Neutralise exactly.
		{"'=1", "''=1"},
		{"''+1", "'''+1"},
		{"'a=1", "'a=1"},
		{"Zoë", "Zoë"},
		{"＝1", "＝1"}, // fullwidth equals sign is not a formula
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRestore(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"'", "'"},
		{"''", "''"},
		{"'=1+1", "=1+1"},
		{"'+15551234567", "+15551234567"},
		{"'-2", "-2"},
		{"'@x", "@x"},
		{"'\tx", "\tx"},
		{"'\rx", "\rx"},
		{"''=1", "'=1"},
		{"'abc", "'abc"},
		{"'", "'"},
		{"=1", "=1"}, // not neutralised: left alone
		{"a'=1", "a'=1"},
		{"+1", "+1"},
	}
	for _, tt := range tests {
		if got := Restore(tt.in); got != tt.want {
			t.Errorf("Restore(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNeutraliseRoundTrip checks every string of up to four characters over
// an alphabet of the triggers, the apostrophe and a few ordinary characters.
func TestNeutraliseRoundTrip(t *testing.T) {
	alphabet := []string{"'", "=", "+", "-", "@", "\t", "\r", "a", " ", "\"", "é", "\n"}
	values := []string{""}
	for range 4 {
		var longer []string
		for _, v := range values {
			for _, c := range alphabet {
				longer = append(longer, v+c)
			}
		}
		values = append(values, longer...)
	}
	for _, x := range values {
		checkNeutralised(t, x)
	}
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"", "'", "=1+1", "'=1", "''@", "+1 555", "\t", "plain"} {
		f.Add(s)
	}
	f.Fuzz(checkNeutralised)
}

func checkNeutralised(t *testing.T, x string) {
	t.Helper()
	n := Neutralise(x)
	if n != "" && isTrigger(n[0]) {
		t.Fatalf("Neutralise(%q) = %q starts with a formula character", x, n)
	}
	if got := Restore(n); got != x {
		t.Fatalf("Restore(Neutralise(%q)) = %q", x, got)
	}
	if n != x && n != "'"+x {
		t.Fatalf("Neutralise(%q) = %q, want the value or an apostrophe and the value", x, n)
	}
}
