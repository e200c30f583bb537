package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

//go:embed templates static
var assets embed.FS

// views holds each page parsed with its layout and the shared partials.
type views struct {
	pages    map[string]*template.Template
	assetVer map[string]string // static file -> content hash for cache busting
}

func parseViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}, assetVer: map[string]string{}}
	err := fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		v.assetVer[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset":    v.assetURL,
		"dict":     dict,
		"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"ago":      ago,
		"deref":    func(t *time.Time) time.Time { return *t },
		"dataURI": func(mime string, b []byte) template.URL {
			return template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b))
		},
		"roles":  func() []auth.Role { return auth.Roles },
		"device": device,
		"action": audit.Describe,
		"query": func(base string, kv ...string) string {
			q := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] != "" {
					q.Set(kv[i], kv[i+1])
				}
			}
			if len(q) == 0 {
				return base
			}
			return base + "?" + q.Encode()
		},
	}
	for k, f := range contactFuncs {
		funcs[k] = f
	}
	for _, layout := range []string{"app", "auth"} {
		base, err := template.New(layout).Funcs(funcs).ParseFS(assets, "templates/partials.html", "templates/"+layout+"/layout.html")
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		files, err := fs.Glob(assets, "templates/"+layout+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if path.Base(f) == "layout.html" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(assets, f)
			if err != nil {
				return nil, fmt.Errorf("templates: %w", err)
			}
			v.pages[layout+"/"+strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}
	return v, nil
}

func (v *views) assetURL(name string) string {
	return "/static/" + name + "?v=" + v.assetVer[name]
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	default:
		return t.UTC().Format("2006-01-02")
	}
}

// Form carries submitted values and per-field errors back to a page; the
// "field" partial shows each error next to its input.
type Form struct {
	Values url.Values
	Errors map[string]string
}

func newForm(r *http.Request) *Form {
	if r.Form == nil {
		_ = r.ParseForm()
	}
	return &Form{Values: r.PostForm, Errors: map[string]string{}}
}

// Get returns a submitted value.
func (f *Form) Get(name string) string {
	if f == nil || f.Values == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Error returns the message for a field.
func (f *Form) Error(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// HasErrors reports whether any field has a message.
func (f *Form) HasErrors() bool { return f != nil && len(f.Errors) > 0 }

// fail fills the form's errors from a domain error; it returns false when
// the error is not a validation error the form can show.
func (f *Form) fail(err error, fallbackField string) bool {
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Conflict, errs.Unauthorized, errs.TooMany, errs.Forbidden:
		if fields := errs.FieldsOf(err); len(fields) > 0 {
			for k, m := range fields {
				f.Errors[k] = m
			}
		} else {
			f.Errors[fallbackField] = errs.MessageOf(err)
		}
		return true
	}
	return false
}

type flash struct {
	Kind    string `json:"k"` // success, error, info, warning
	Message string `json:"m"`
}

const flashCookie = "folio_flash"

func (s *Server) setFlash(w http.ResponseWriter, kind, msg string) {
	b, _ := json.Marshal(flash{Kind: kind, Message: msg})
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies(), MaxAge: 60})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies()})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(b, &f) != nil || f.Message == "" {
		return nil
	}
	switch f.Kind {
	case "success", "error", "info", "warning":
	default:
		f.Kind = "info"
	}
	return &f
}

type navItem struct {
	Label, Href string
	Active      bool
}

// Page is what every template receives.
type Page struct {
	Title   string
	User    *auth.User
	Session *auth.Session
	Nav     []navItem
	// AdminNav are the administration pages the user may open, listed in
	// the user menu.
	AdminNav []navItem
	Flash    *flash
	Form     *Form
	Path     string
	Data     any
}

// nav lists the main navigation (the work of the day, then the ways to
// organise the book) and the administration pages u may open.
func (s *Server) nav(r *http.Request, u *auth.User) (main, admin []navItem) {
	if u == nil {
		return nil, nil
	}
	main = []navItem{{Label: "Contacts", Href: "/contacts"}, {Label: "Tasks", Href: "/tasks"}, {Label: "Calendar", Href: "/calendar"},
		{Label: "Tickets", Href: "/tickets"}, {Label: "Groups", Href: "/groups"}, {Label: "Segments", Href: "/segments"},
		{Label: "Email templates", Href: "/email-templates"}}
	if u.Can(auth.PermUsersView) {
		admin = append(admin, navItem{Label: "Users", Href: "/admin/users"})
	}
	if u.Can(auth.PermAuditView) {
		admin = append(admin, navItem{Label: "Activity log", Href: "/admin/audit"})
	}
	if u.Role == auth.RoleOwner || u.Role == auth.RoleAdmin { // as contact.Viewer.Admin: the category list
		admin = append(admin, navItem{Label: "Categories", Href: "/admin/categories"})
	}
	if u.Can(auth.PermSettings) {
		admin = append(admin, navItem{Label: "Settings", Href: "/admin/settings"})
	}
	p := r.URL.Path
	for _, items := range [][]navItem{main, admin} {
		for i := range items {
			h := items[i].Href
			// The contact list is the home: Contacts is current on / too.
			items[i].Active = p == h || strings.HasPrefix(p, h+"/") || (h == "/contacts" && p == "/")
		}
	}
	return main, admin
}

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.pageTemplate(w, r, name)
	if !ok {
		return
	}
	if p.User == nil {
		p.User = userFrom(r.Context())
		p.Session = sessionFrom(r.Context())
	}
	p.Nav, p.AdminNav = s.nav(r, p.User)
	p.Path = r.URL.Path
	if p.Flash == nil {
		p.Flash = s.takeFlash(w, r)
	}
	s.execute(w, r, status, t, strings.SplitN(name, "/", 2)[0], name, p)
}

// renderFragment writes one named template of a page without the layout,
// for the requests that JavaScript sends.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, status int, page, name string, p *Page) {
	t, ok := s.pageTemplate(w, r, page)
	if !ok {
		return
	}
	p.User, p.Session, p.Path = userFrom(r.Context()), sessionFrom(r.Context()), r.URL.Path
	s.execute(w, r, status, t, name, page+" "+name, p)
}

// pageTemplate finds the parsed page name; an unknown one answers 500
// and ok false.
func (s *Server) pageTemplate(w http.ResponseWriter, r *http.Request, name string) (*template.Template, bool) {
	t, ok := s.views.pages[name]
	if !ok {
		s.Log.ErrorContext(r.Context(), "unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
	return t, ok
}

// execute writes the template name of t with status. It renders into a
// buffer first so a template error becomes a clean 500, never half a page;
// logName names the template in that error's log line.
func (s *Server) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, name, logName string, p *Page) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, p); err != nil {
		s.Log.ErrorContext(r.Context(), "render", "template", logName, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

var errorTitles = map[int]string{
	http.StatusBadRequest:            "The request could not be understood",
	http.StatusForbidden:             "You do not have access to this page",
	http.StatusNotFound:              "Page not found",
	http.StatusRequestEntityTooLarge: "The request is too large",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusInternalServerError:   "Something went wrong",
}

var errorTexts = map[int]string{
	http.StatusBadRequest:            "Go back and try again.",
	http.StatusForbidden:             "Your access level does not include this. If you need it, ask an administrator of your firm. This attempt has been recorded.",
	http.StatusNotFound:              "The page does not exist, or it was moved or deleted.",
	http.StatusRequestEntityTooLarge: "What you sent is larger than this Folio accepts.",
	http.StatusTooManyRequests:       "Wait a little and try again.",
	http.StatusInternalServerError:   "The error has been logged. Try again in a moment; if it persists, tell your administrator.",
}

type errorData struct {
	Code  int
	Title string
	Text  string
}

// renderError shows a 4xx/5xx page in the layout that fits the visitor.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	s.renderErrorText(w, r, status, errorTexts[status])
}

func (s *Server) renderErrorText(w http.ResponseWriter, r *http.Request, status int, text string) {
	title := errorTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	layout := "auth/error"
	if userFrom(r.Context()) != nil {
		layout = "app/error"
	}
	s.render(w, r, status, layout, &Page{Title: title, Data: errorData{Code: status, Title: title, Text: text}})
}

// fail turns a domain error into the right error page, logging only
// unexpected ones.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch errs.CodeOf(err) {
	case errs.NotFound:
		s.renderErrorText(w, r, http.StatusNotFound, errs.MessageOf(err))
	case errs.Forbidden:
		s.renderErrorText(w, r, http.StatusForbidden, errs.MessageOf(err))
	case errs.Invalid:
		s.renderErrorText(w, r, http.StatusBadRequest, errs.MessageOf(err))
	case errs.Conflict, errs.Locked:
		s.renderErrorText(w, r, http.StatusConflict, errs.MessageOf(err))
	case errs.TooMany:
		s.renderErrorText(w, r, http.StatusTooManyRequests, errs.MessageOf(err))
	case errs.Unauthorized:
		s.toSignIn(w, r)
	default:
		s.Log.ErrorContext(r.Context(), "request failed", "err", err)
		s.renderError(w, r, http.StatusInternalServerError)
	}
}

// pathID reads the request's {name} as an id; one that is not a number
// gets the 404 page and ok false.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound)
		return 0, false
	}
	return id, true
}

// saveID is the {id} of a route that both adds (no id: 0) and changes
// (the id of the one to change).
func (s *Server) saveID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if r.PathValue("id") == "" {
		return 0, true
	}
	return s.pathID(w, r, "id")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext accepts only local paths as a post-sign-in destination.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
