package web

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

func TestListState_keepsConditionsInTheURL(t *testing.T) {
	tests := []struct {
		query string
		url   string
	}{
		// Empty rows and their operators go; a value with no use goes.
		{"m=all&f1=last_name&o1=equals&v1=silva&f2=&o2=equals&v2=", "/contacts?f1=last_name&m=all&o1=equals&v1=silva"},
		{"f3=city&o3=is_empty&v3=ignored", "/contacts?f3=city&m=all&o3=is_empty"},
		{"m=any&f1=kind&o1=equals&v1=Trust&segment=4&sort=-created", "/contacts?f1=kind&m=any&o1=equals&segment=4&sort=-created&v1=Trust"},
		{"m=any", "/contacts"},
		{"f6=city&o6=equals&v6=beyond+the+last+row", "/contacts"},
		{"edit_segment=2&f1=tag&o1=contains&v1=vip", "/contacts?edit_segment=2&f1=tag&m=all&o1=contains&v1=vip"},
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
	q, _ := url.ParseQuery("f1=city&o1=equals&v1=Lisbon&edit_segment=3&cursor=abc&q=ana")
	st, _ := parseListState(q)
	if got := st.viewQuery(); got != "f1=city&m=all&o1=equals&q=ana&v1=Lisbon" {
		t.Errorf("a view keeps %q", got)
	}
	if got := st.ClearConditions(); got != "/contacts?q=ana" {
		t.Errorf("ClearConditions = %s", got)
	}
}

func TestConditionsOf_translatesWhatPeopleTypeAndNamesTheRow(t *testing.T) {
	cv := condValues{categories: []contact.Category{{ID: 1, Name: "Client"}, {ID: 2, Name: "Prospect"}},
		users: []*auth.User{{ID: 7, Name: "Ana Silva"}}}
	rows := []condRow{
		{N: 1, Field: "category", Op: "equals", Value: "prospect"},
		{N: 2, Field: "stage", Op: "not_equals", Value: "Application Started"},
		{N: 4, Field: "owner", Op: "equals", Value: "7"},
		{N: 5, Field: "citizenship", Op: "equals", Value: "germany"},
	}
	got, nums, err := conditionsOf(rows, cv)
	if err != nil {
		t.Fatal(err)
	}
	want := []contact.Condition{{Field: "category", Op: "equals", Value: "2"}, {Field: "stage", Op: "not_equals", Value: "application_started"},
		{Field: "owner", Op: "equals", Value: "7"}, {Field: "citizenship", Op: "equals", Value: "DE"}}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(nums, []int{1, 2, 4, 5}) {
		t.Errorf("conditions %+v rows %v", got, nums)
	}
	if l := cv.label("category", "2"); l != "Prospect" {
		t.Errorf("label of category 2 = %q", l)
	}

	_, nums, err = conditionsOf([]condRow{{N: 2, Field: "city", Op: "equals", Value: "x"}, {N: 3, Field: "shoe_size", Op: "equals", Value: "42"},
		{N: 5, Field: "category", Op: "equals", Value: "Whale"}}, cv)
	f := &Form{Errors: map[string]string{}}
	conditionErrors(f, err, nums)
	if !errs.Is(err, errs.Invalid) || f.Errors["cond3"] != `There is no field "shoe_size" to search by; choose one from the list.` ||
		f.Errors["cond5"] != `"Whale" is not one of the listed values of category; choose one from the list.` || f.Errors["cond2"] != "" {
		t.Errorf("errors %v", f.Errors)
	}
	if !conditionRefused(f) {
		t.Error("a row's error does not refuse the conditions")
	}
	if conditionRefused(&Form{Errors: map[string]string{"conditions": "add at least one condition", "segment_name": "x"}}) {
		t.Error("a missing condition refuses the list")
	}
}

func TestAttachment_namesTheDownloadSafely(t *testing.T) {
	tests := []struct{ name, ctype, want string }{
		{"passport.pdf", "application/pdf", "attachment; filename=passport.pdf"},
		{"Scan 2024.PDF", "application/pdf", `attachment; filename="Scan 2024.PDF"`},
		{"photo.jpeg", "image/jpeg", "attachment; filename=photo.jpeg"},
		{"page.html", "application/pdf", "attachment; filename=page.html.pdf"},
		{".pdf", "application/pdf", `attachment; filename=.pdf.pdf`},
		{"Fatura Março.pdf", "application/pdf", "attachment; filename*=utf-8''Fatura%20Mar%C3%A7o.pdf"},
	}
	for _, tt := range tests {
		if got := attachment(contact.Document{Filename: tt.name, ContentType: tt.ctype}.DownloadName()); got != tt.want {
			t.Errorf("attachment(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestFileSize_readsLikePeopleSayIt(t *testing.T) {
	for n, want := range map[int64]string{512: "512 bytes", 2048: "2 KB", 1 << 20: "1 MB", 10 << 20: "10 MB", 2621440: "2.5 MB"} {
		if got := fileSize(n); got != want {
			t.Errorf("fileSize(%d) = %q, want %q", n, got, want)
		}
	}
}
