package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

func token(t *testing.T, s *apptest.Server, u *auth.User) string {
	t.Helper()
	_, secret, err := s.Auth.CreateToken(audit.WithActor(context.Background(), audit.System), u, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func problemOf(t *testing.T, res apptest.Response, status int) map[string]any {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status = %d, want %d\n%s", res.StatusCode, status, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
		t.Fatal(err)
	}
	if p["status"] != float64(status) || p["title"] == "" {
		t.Errorf("problem document %v", p)
	}
	return p
}

func TestAPI_meWithTokenAndProblemsWithout(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		tok := token(t, s, owner)
		res := s.API(t, tok, "GET", "/api/v1/me", "")
		var me map[string]any
		if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &me) != nil || me["email"] != ownerEmail || me["role"] != "owner" {
			t.Fatalf("me = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, "", "GET", "/api/v1/me", ""), 401)
		problemOf(t, s.API(t, "folio_notarealtoken", "GET", "/api/v1/me", ""), 401)
		// last_used_at is recorded
		if n := count(t, s, "SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL"); n != 1 {
			t.Errorf("tokens with last_used_at = %d", n)
		}
	})
}

func TestAPI_revokedTokenAndDisabledUserAreRefused(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		ot, at := token(t, s, owner), token(t, s, adv)
		// Revoke the advisor's second token through the API as the advisor.
		res := s.API(t, at, "POST", "/api/v1/tokens", `{"name":"second"}`)
		if res.StatusCode != 201 {
			t.Fatalf("create token = %d %s", res.StatusCode, res.Body)
		}
		var created struct {
			Token  struct{ ID int64 }
			Secret string
		}
		_ = json.Unmarshal([]byte(res.Body), &created)
		if !strings.HasPrefix(created.Secret, "folio_") {
			t.Fatalf("secret %q", created.Secret)
		}
		if res := s.API(t, at, "DELETE", "/api/v1/tokens/"+itoa(created.Token.ID), ""); res.StatusCode != 204 {
			t.Fatalf("revoke = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, created.Secret, "GET", "/api/v1/me", ""), 401)
		// Disable the advisor: their token stops at once.
		if res := s.API(t, ot, "PATCH", "/api/v1/users/"+adv.IDString(), `{"disabled":true}`); res.StatusCode != 200 {
			t.Fatalf("disable = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, at, "GET", "/api/v1/me", ""), 401)
	})
}

func itoa(n int64) string { return (&auth.User{ID: n}).IDString() }

func TestAPI_badInputGetsProblemDocumentsAndWritesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		tok := token(t, s, owner)
		before := count(t, s, "SELECT COUNT(*) FROM users")
		for name, tc := range map[string]struct {
			body   string
			status int
		}{
			"malformed JSON": {`{"email": "x@firm.test",`, 400},
			"unknown field":  {`{"email":"x@firm.test","name":"X","role":"advisor","password":"` + advPass + `","admin":true}`, 422},
			"wrong type":     {`{"email":42,"name":"X","role":"advisor"}`, 422},
			"bad role":       {`{"email":"x@firm.test","name":"X","role":"king","password":"` + advPass + `"}`, 422},
			"weak password":  {`{"email":"x@firm.test","name":"X","role":"advisor","password":"password"}`, 422},
			"bad email":      {`{"email":"nope","name":"X","role":"advisor","password":"` + advPass + `"}`, 422},
			"oversized body": {`{"name":"` + strings.Repeat("x", 2<<20) + `"}`, 413},
		} {
			t.Run(name, func(t *testing.T) {
				problemOf(t, s.API(t, tok, "POST", "/api/v1/users", tc.body), tc.status)
			})
		}
		if after := count(t, s, "SELECT COUNT(*) FROM users"); after != before {
			t.Errorf("bad requests created %d users", after-before)
		}
		p := problemOf(t, s.API(t, tok, "GET", "/api/v1/users/99999", ""), 404)
		if p["detail"] != "No such user." {
			t.Errorf("404 detail %v", p["detail"])
		}
	})
}

func TestAPI_samePermissionsAsUIAndDenialsLogged(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		_, adv := seeded(t, s)
		at := token(t, s, adv)
		problemOf(t, s.API(t, at, "GET", "/api/v1/users", ""), 403)
		problemOf(t, s.API(t, at, "POST", "/api/v1/users", `{"email":"x@firm.test","name":"X","role":"owner","password":"`+advPass+`"}`), 403)
		problemOf(t, s.API(t, at, "GET", "/api/v1/activity", ""), 403)
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.denied' AND channel = 'api'"); n != 3 {
			t.Errorf("API denials logged = %d, want 3", n)
		}
	})
}

func TestAPI_listsReturnItemsAndNextCursor(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		tok := token(t, s, owner)
		for _, e := range []string{"a@firm.test", "b@firm.test", "c@firm.test"} {
			res := s.API(t, tok, "POST", "/api/v1/users", `{"email":"`+e+`","name":"User `+e+`","role":"assistant","invite":true}`)
			if res.StatusCode != 201 {
				t.Fatalf("create %s = %d %s", e, res.StatusCode, res.Body)
			}
		}
		var seen []string
		cursor := ""
		for page := 0; page < 10; page++ {
			res := s.API(t, tok, "GET", "/api/v1/users?limit=2&cursor="+cursor, "")
			var body struct {
				Items []struct {
					Email string `json:"email"`
				} `json:"items"`
				NextCursor *string `json:"next_cursor"`
			}
			if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &body) != nil || body.NextCursor == nil {
				t.Fatalf("list = %d %s", res.StatusCode, res.Body)
			}
			for _, it := range body.Items {
				seen = append(seen, it.Email)
			}
			if *body.NextCursor == "" {
				break
			}
			cursor = *body.NextCursor
		}
		if len(seen) != 5 {
			t.Errorf("paged through %v", seen)
		}
		res := s.API(t, tok, "GET", "/api/v1/activity?limit=3&action=user.create", "")
		if res.StatusCode != 200 || !strings.Contains(res.Body, `"next_cursor"`) || !strings.Contains(res.Body, `"channel":"api"`) {
			t.Errorf("activity = %d %s", res.StatusCode, res.Body)
		}
		// Invitations went to the outbox.
		if n := count(t, s, "SELECT COUNT(*) FROM mail_outbox WHERE subject = 'You have been invited to Folio'"); n != 3 {
			t.Errorf("invitations queued = %d", n)
		}
	})
}

func TestAPI_openAPIDescribesTheHandlers(t *testing.T) {
	s := apptest.Start(t, dbtest.Kinds()[0], nil)
	res := s.API(t, "", "GET", "/api/v1/openapi.json", "")
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &doc) != nil {
		t.Fatalf("openapi = %d", res.StatusCode)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	for _, r := range s.Routes.Routes() {
		if r.Surface != "api" || strings.HasSuffix(r.Pattern, "openapi.json") {
			continue
		}
		method, path, _ := strings.Cut(r.Pattern, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is served but not described", r.Pattern)
		}
	}
	if !strings.Contains(res.Body, `"bearer"`) {
		t.Error("no bearer security scheme")
	}
}
