package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

func TestMergePatch_followsRFC7386(t *testing.T) {
	for _, tc := range []struct{ doc, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":["b"]}`, `{"a":["c","d"]}`, `{"a":["c","d"]}`},
		{`{"a":{"b":"c","d":"e"}}`, `{"a":{"b":"x","d":null}}`, `{"a":{"b":"x"}}`},
		{`{"a":"b"}`, `{"a":{"c":"d"}}`, `{"a":{"c":"d"}}`},
		{`{"n":1}`, `{"n":9007199254740993}`, `{"n":9007199254740993}`},
	} {
		doc, err := decodeObject([]byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		patch, err := decodeObject([]byte(tc.patch))
		if err != nil {
			t.Fatal(err)
		}
		mergePatch(doc, patch)
		got, _ := json.Marshal(doc)
		if string(got) != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.doc, tc.patch, got, tc.want)
		}
	}
}

func TestBaseVersion_fromIfMatchOrBody(t *testing.T) {
	for _, tc := range []struct {
		ifMatch, body string
		want, status  int
	}{
		{`"3"`, `{}`, 3, 0},
		{`W/"3"`, `{}`, 3, 0},
		{``, `{"version":4}`, 4, 0},
		{`"4"`, `{"version":4}`, 4, 0},
		{``, `{}`, 0, http.StatusPreconditionRequired},
		{``, `{"version":null}`, 0, http.StatusPreconditionRequired},
		{`*`, `{}`, 0, http.StatusBadRequest},
		{`"3", "4"`, `{}`, 0, http.StatusBadRequest},
		{`"3"`, `{"version":4}`, 0, http.StatusBadRequest},
		{``, `{"version":"4"}`, 0, http.StatusUnprocessableEntity},
		{``, `{"version":0}`, 0, http.StatusUnprocessableEntity},
	} {
		patch, _ := decodeObject([]byte(tc.body))
		got, err := baseVersion(tc.ifMatch, patch)
		var se huma.StatusError
		switch {
		case tc.status == 0 && (err != nil || got != tc.want):
			t.Errorf("If-Match %s, body %s = %d, %v; want %d", tc.ifMatch, tc.body, got, err, tc.want)
		case tc.status != 0 && (!errors.As(err, &se) || se.GetStatus() != tc.status):
			t.Errorf("If-Match %s, body %s = %v; want status %d", tc.ifMatch, tc.body, err, tc.status)
		}
	}
}

func TestFieldsIn_locationsAreHumaStyle(t *testing.T) {
	for key, want := range map[string]string{
		"last_name":    "body.last_name",
		"emails.1":     "body.emails[1]",
		"conditions.0": "body.conditions[0]",
		"joint":        "body.joint_holder_ids",
		"currency":     "body.invested.currency",
	} {
		if got := contactFields.location(key); got != want {
			t.Errorf("location(%q) = %q, want %q", key, got, want)
		}
	}
	if got := inQuery.location("sort"); got != "query.sort" {
		t.Errorf("query location %q", got)
	}
}
