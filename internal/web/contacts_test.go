package web

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/foliocrm/folio/internal/errs"
)

func TestListState_roundTripsThroughTheURL(t *testing.T) {
	tests := []struct {
		query string
		url   string
	}{
		{"", "/contacts"},
		{"q=ana&sort=-email", "/contacts?q=ana&sort=-email"},
		{"cols=email&cols=name&cols=city", "/contacts?cols=name%2Cemail%2Ccity"},
		{"cols=name,category,stage,owner,email,phone,completeness&tag=vip&group=3", "/contacts?group=3&tag=vip"},
		{"category=2&stage=invited&owner=7&cursor=abc", "/contacts?category=2&cursor=abc&owner=7&stage=invited"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		st, err := parseListState(q)
		if err != nil {
			t.Fatalf("%q: %v", tt.query, err)
		}
		if got := st.URL(); got != tt.url {
			t.Errorf("%q → %s, want %s", tt.query, got, tt.url)
		}
		back, _ := url.Parse(st.URL())
		again, err := parseListState(back.Query())
		if err != nil || !reflect.DeepEqual(again, st) {
			t.Errorf("%q does not survive its own URL: %+v vs %+v", tt.query, again, st)
		}
	}
}

func TestListState_refusesWhatItCannotShow(t *testing.T) {
	for _, q := range []string{"cols=name,shoe_size", "owner=ana", "group=-1", "category=1.5"} {
		v, _ := url.ParseQuery(q)
		if _, err := parseListState(v); !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: err %v, want invalid", q, err)
		}
	}
}

func TestContactFromForm_mapsRowErrorsBackToTheRowsTyped(t *testing.T) {
	// Row 1 of the emails was removed in the browser; the identifier in
	// row 0 is ticked for removal. The domain counts in the lists it gets.
	f := &Form{Values: url.Values{
		"kind": {"person"}, "last_name": {"Silva"},
		"emails.0.address": {"a@example.com"}, "emails.2.address": {"broken"}, "emails_primary": {"2"},
		"identifiers.0.id": {"7"}, "identifiers.0.remove": {"on"},
		"identifiers.1.kind": {"tax_id"}, "identifiers.1.number": {"x"},
		"emails.99999.address": {"ignored: beyond the row limit"},
		"invested":             {"12.345"},
	}, Errors: map[string]string{}}
	c, rows, bad := contactFromForm(f)
	if len(c.Emails) != 2 || !c.Emails[1].Primary || c.Emails[0].Primary {
		t.Fatalf("emails %+v", c.Emails)
	}
	if len(c.Identifiers) != 1 || c.Identifiers[0].Number != "x" {
		t.Fatalf("identifiers %+v (the ticked one must be left out)", c.Identifiers)
	}
	if bad["invested"] == "" {
		t.Error("an amount with three decimals was accepted")
	}
	contactErrors(f, errs.FieldErrors(map[string]string{"emails.1": "enter an email address", "identifiers.0": "enter the number"}), rows)
	want := map[string]string{"emails.2": "Enter an email address.", "identifiers.1": "Enter the number."}
	if !reflect.DeepEqual(f.Errors, want) {
		t.Errorf("errors %v, want %v", f.Errors, want)
	}
}

func TestListReturn_goesBackOnlyToAList(t *testing.T) {
	for in, want := range map[string]string{
		"/contacts?q=a&sort=-name": "/contacts?q=a&sort=-name",
		"/":                        "/",
		"https://evil.example/":    "/contacts",
		"//evil.example/contacts":  "/contacts",
		"/admin/users":             "/contacts",
		"/contacts/5/erase":        "/contacts",
	} {
		if got := listReturn(in); got != want {
			t.Errorf("listReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentence_andActorName(t *testing.T) {
	if got := sentence("enter a first or last name"); got != "Enter a first or last name." {
		t.Errorf("sentence = %q", got)
	}
	if got := actorName("Ana Silva <ana@firm.test>"); got != "Ana Silva" {
		t.Errorf("actorName = %q", got)
	}
}
