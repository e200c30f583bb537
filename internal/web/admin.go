package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
)

type auditData struct {
	Records  []audit.Record
	Next     string
	Users    []*auth.User
	Actions  []string
	Entities []string
	Filter   auditFilterForm
}

type auditFilterForm struct {
	Actor, Entity, EntityID, Action, From, To string
}

// auditFilter reads the filter from the query string; dates are whole UTC
// days, To inclusive.
func auditFilter(r *http.Request) (audit.Filter, auditFilterForm, map[string]string) {
	q := r.URL.Query()
	ff := auditFilterForm{Actor: q.Get("actor"), Entity: q.Get("entity"), EntityID: q.Get("entity_id"), Action: q.Get("action"),
		From: q.Get("from"), To: q.Get("to")}
	f := audit.Filter{Actor: ff.Actor, Entity: ff.Entity, EntityID: ff.EntityID, Action: ff.Action}
	bad := map[string]string{}
	if ff.From != "" {
		t, err := time.Parse("2006-01-02", ff.From)
		if err != nil {
			bad["from"] = "Use a date like 2026-01-31."
		}
		f.From = t
	}
	if ff.To != "" {
		t, err := time.Parse("2006-01-02", ff.To)
		if err != nil {
			bad["to"] = "Use a date like 2026-01-31."
		}
		f.To = t.Add(24 * time.Hour)
	}
	if c := q.Get("before"); c != "" {
		f.Before, _ = strconv.ParseInt(c, 10, 64)
	}
	return f, ff, bad
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	f, ff, bad := auditFilter(r)
	d := auditData{Filter: ff}
	var err error
	if len(bad) == 0 {
		f.Limit = 50
		if d.Records, d.Next, err = audit.List(r.Context(), s.DB, f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Users, _ = s.Auth.Users(r.Context())
	d.Actions, _ = audit.Actions(r.Context(), s.DB)
	d.Entities, _ = audit.Entities(r.Context(), s.DB)
	status := http.StatusOK
	if len(bad) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "app/audit", &Page{Title: "Activity log", Form: &Form{Values: r.URL.Query(), Errors: bad}, Data: d})
}

// csvSafe neutralises cells a spreadsheet would run as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	f, _, bad := auditFilter(r)
	if len(bad) > 0 {
		s.renderErrorText(w, r, http.StatusBadRequest, "The date filter is not a date like 2026-01-31.")
		return
	}
	f.Before = 0
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="folio-activity-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "time_utc", "actor_type", "actor_id", "actor", "channel", "ip", "entity", "entity_id", "action", "changes", "hash"})
	err := audit.Each(r.Context(), s.DB, f, func(rec audit.Record) error {
		var ch []string
		for _, c := range rec.Changes {
			ch = append(ch, c.Field+": "+c.Old+" → "+c.New)
		}
		row := []string{strconv.FormatInt(rec.ID, 10), rec.At.Format(time.RFC3339), string(rec.ActorType), rec.ActorID, rec.ActorName,
			string(rec.Channel), rec.IP, rec.Entity, rec.EntityID, rec.Action, strings.Join(ch, "; "), rec.Hash}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		return cw.Write(row)
	})
	cw.Flush()
	if err != nil {
		s.Log.ErrorContext(r.Context(), "audit export", "err", err)
	}
}

type settingsData struct {
	RequireTOTP bool
	MailQueued  int
	SMTP        bool
	BaseURL     string
	Database    string
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	d := settingsData{SMTP: s.Cfg.SMTPURL != "", BaseURL: s.Cfg.BaseURL, Database: s.DB.Dialect.Name()}
	d.RequireTOTP, _ = s.Auth.RequireTOTP(r.Context())
	d.MailQueued, _ = mail.CountQueued(r.Context(), s.DB)
	f := &Form{Values: map[string][]string{}, Errors: map[string]string{}}
	if d.RequireTOTP {
		f.Values.Set("require_totp", "on")
	}
	s.render(w, r, http.StatusOK, "app/settings", &Page{Title: "Settings", Form: f, Data: d})
}

func (s *Server) settingsSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	err := s.Auth.SetRequireTOTP(r.Context(), userFrom(r.Context()), f.Get("require_totp") == "on")
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			s.setFlash(w, "error", errs.MessageOf(err))
			http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Settings saved.")
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.DB.Ping(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unreachable\n"))
		return
	}
	n, err := s.DB.Pending(r.Context())
	if err != nil || n > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("migrations pending: run folio migrate\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
