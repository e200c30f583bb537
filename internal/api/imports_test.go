package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/errs"
)

func TestRemap_namedColumnsChangeOthersKeepTheirFieldUnlessTaken(t *testing.T) {
	header := []string{"Name", "E-mail", "Work e-mail", "Notes", "Phone"}
	base := []string{"full_name", "email", "email_2", "", "phone"}
	for _, tc := range []struct {
		m    map[string]string
		want string
	}{
		{nil, "[full_name email email_2  phone]"},
		{map[string]string{"Notes": "occupation", "Phone": ""}, "[full_name email email_2 occupation ]"},
		// A field mapped to another column leaves the one it was proposed for.
		{map[string]string{"Work e-mail": "email"}, "[full_name  email  phone]"},
		{map[string]string{"Work e-mail": "email", "E-mail": "email_2"}, "[full_name email_2 email  phone]"},
	} {
		got, err := remap(header, base, tc.m)
		if err != nil || fmt.Sprint(got) != tc.want {
			t.Errorf("remap %v = %v, %v; want %s", tc.m, got, err, tc.want)
		}
	}
	_, err := remap(header, base, map[string]string{"Email": "email", "Note": ""})
	msg := errs.FieldsOf(err)["mapping"]
	if !strings.Contains(msg, `no column "Email", "Note"`) || !strings.Contains(msg, `"Work e-mail"`) {
		t.Errorf("unknown columns: %v", err)
	}
}

func TestUnknownFields_namesEachKeyWithItsColumn(t *testing.T) {
	if msg := unknownFields(map[string]string{"A": "email", "B": "", "C": "first_name"}); msg != "" {
		t.Errorf("known fields refused: %s", msg)
	}
	msg := unknownFields(map[string]string{"A": "emial", "B": "email"})
	if !strings.Contains(msg, `"emial" (for column "A") is not a Folio field`) || !strings.Contains(msg, "/imports/fields") {
		t.Errorf("message %q", msg)
	}
	if msg := unknownFields(map[string]string{"A": "zz", "B": "yy"}); !strings.Contains(msg, "are not Folio fields") {
		t.Errorf("message %q", msg)
	}
}

func TestImportForm_partsAreCheckedBeforeTheFile(t *testing.T) {
	for _, tc := range []struct {
		values map[string]string
		final  bool
		field  string
	}{
		{map[string]string{"start": "yes please"}, false, "start"},
		{map[string]string{"key": "name"}, false, "key"},
		{map[string]string{"mapping": `["email"]`}, false, "mapping"},
		{map[string]string{"mapping": `{"A":"nope"}`}, false, "mapping"},
		{map[string]string{"delimiter": "ab"}, false, "delimiter"},
		{map[string]string{"start": "false", "dry_run": "true"}, true, "dry_run"},
		{map[string]string{"start": "false", "dry_run": "true"}, false, ""},
		{map[string]string{"key": "tax_id", "dry_run": "1", "delimiter": "tab", "encoding": "utf-16"}, true, ""},
	} {
		f := &importForm{values: tc.values}
		fe := errs.Collector{}
		f.check(fe, tc.final)
		_, has := fe[tc.field]
		if tc.field == "" && len(fe) != 0 || tc.field != "" && (!has || len(fe) != 1) {
			t.Errorf("%v (final %v): %v, want an error for %q", tc.values, tc.final, fe, tc.field)
		}
	}
	f := &importForm{values: map[string]string{"key": "tax_id", "dry_run": "1", "delimiter": "tab", "encoding": " utf-16 "}}
	f.check(errs.Collector{}, true)
	if f.key != "tax_id" || !f.dryRun || !f.start || f.opts.Delimiter != '\t' || f.opts.Encoding != "utf-16" {
		t.Errorf("form = %+v", f)
	}
}
