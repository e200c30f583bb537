package web

import (
	"io/fs"
	"net/http"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/importer"
)

// routes lists every page of the staff UI with the permission it needs.
func (s *Server) routes() {
	pub := auth.PermPublic
	static, _ := fs.Sub(assets, "static")
	files := http.FileServerFS(static)
	s.handle("GET /static/", pub, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		http.StripPrefix("/static/", files).ServeHTTP(w, r)
	})
	s.handle("GET /healthz", pub, s.healthz)
	s.handle("GET /readyz", pub, s.readyz)
	s.handle("/", pub, s.notFound)

	// First run and signing in.
	s.handle("GET /setup", pub, s.setupForm)
	s.handle("POST /setup", pub, s.setupSubmit)
	s.handle("GET /signin", pub, s.signInForm)
	s.handle("POST /signin", pub, s.signInSubmit)
	s.handleGuarded("GET /signin/totp", auth.PermSignedIn, guardSecondFactor, s.secondFactorForm)
	s.handleGuarded("POST /signin/totp", auth.PermSignedIn, guardSecondFactor, s.secondFactorSubmit)
	s.handleGuarded("POST /signout", auth.PermSignedIn, guardEnrolment, s.signOut)
	s.handle("GET /password/forgot", pub, s.forgotForm)
	s.handle("POST /password/forgot", pub, s.forgotSubmit)
	s.handle("GET /password/reset/{token}", pub, s.resetForm)
	s.handle("POST /password/reset/{token}", pub, s.resetSubmit)

	// The CRM: the contact list is the home.
	read, write := auth.PermContactsRead, auth.PermWrite
	s.handle("GET /{$}", read, s.contactList)
	s.handle("GET /contacts", read, s.contactList)
	s.handle("GET /contacts/trash", read, s.contactsTrash)
	s.handle("GET /contacts/duplicates", read, s.duplicatesPage)
	s.handle("POST /contacts/duplicates/scan", write, s.duplicatesScan)
	s.handle("POST /contacts/bulk", write, s.contactsBulk)
	s.handle("GET /contacts/new", write, s.contactNewForm)
	s.handle("POST /contacts/new", write, s.contactCreate)
	s.handle("GET /contacts/{id}", read, s.contactPage)
	s.handle("GET /contacts/{id}/history", read, s.contactHistory)
	// Notes and the timeline (contacts_timeline.go).
	s.handle("GET /contacts/{id}/timeline", read, s.contactTimeline)
	s.handle("POST /contacts/{id}/notes", write, s.noteAdd)
	s.handle("GET /contacts/{id}/notes/{note}/edit", write, s.noteEditForm)
	s.handle("POST /contacts/{id}/notes/{note}/edit", write, s.noteUpdate)
	s.handle("POST /contacts/{id}/notes/{note}/pin", write, s.notePin(true))
	s.handle("POST /contacts/{id}/notes/{note}/unpin", write, s.notePin(false))
	s.handle("GET /contacts/{id}/notes/{note}/delete", write, s.noteDeleteForm)
	s.handle("POST /contacts/{id}/notes/{note}/delete", write, s.noteDelete)
	s.handle("POST /contacts/{id}/reveal", auth.PermSensitive, s.contactReveal)
	s.handle("POST /contacts/{id}/tags", write, s.contactTags)
	s.handle("POST /contacts/{id}/groups", write, s.contactGroupAdd)
	s.handle("POST /contacts/{id}/groups/{gid}/remove", write, s.contactGroupRemove)
	s.handle("POST /contacts/{id}/relationships", write, s.contactRelate)
	s.handle("POST /contacts/{id}/relationships/{rid}/remove", write, s.contactUnrelate)
	s.handle("GET /contacts/{id}/edit", write, s.contactEditForm)
	s.handle("POST /contacts/{id}/edit", write, s.contactUpdate)
	s.handle("POST /contacts/{id}/lease", write, s.contactLeaseRenew)
	s.handle("POST /contacts/{id}/lease/release", write, s.contactLeaseRelease)
	s.handle("POST /contacts/{id}/lease/break", write, s.contactLeaseBreak)
	s.handle("GET /contacts/{id}/delete", write, s.contactDeleteForm)
	s.handle("POST /contacts/{id}/delete", write, s.contactDelete)
	s.handle("POST /contacts/{id}/restore", write, s.contactRestore)
	s.handle("GET /contacts/{id}/erase", write, s.contactEraseForm)
	s.handle("POST /contacts/{id}/erase", write, s.contactErase)
	s.handleUpload("POST /contacts/{id}/documents", write, s.documentUpload)
	s.handle("GET /contacts/{id}/documents/{doc}", read, s.documentDownload)
	s.handle("POST /contacts/{id}/documents/{doc}/review", write, s.documentReview)
	s.handle("GET /contacts/{id}/documents/{doc}/delete", write, s.documentDeleteForm)
	s.handle("POST /contacts/{id}/documents/{doc}/delete", write, s.documentDelete)
	s.handle("POST /contacts/{id}/duplicates/{other}/dismiss", write, s.duplicateDismiss)
	s.handle("GET /contacts/{id}/merge/{other}", write, s.mergeForm)
	s.handle("POST /contacts/{id}/merge/{other}", write, s.contactMerge)
	// Saved views are the user's own list preferences: reading is enough.
	s.handle("POST /views", read, s.viewSave)
	s.handle("POST /views/{id}/delete", read, s.viewDelete)
	s.handle("GET /segments", read, s.segmentsPage)
	s.handle("POST /segments", write, s.segmentSave)
	s.handle("POST /segments/{id}", write, s.segmentSave)
	s.handle("GET /segments/{id}/delete", write, s.segmentDeleteForm)
	s.handle("POST /segments/{id}/delete", write, s.segmentDelete)
	s.handle("GET /groups", read, s.groupsPage)
	s.handle("POST /groups", write, s.groupSave)
	s.handle("POST /groups/{id}", write, s.groupSave)
	s.handle("GET /groups/{id}/delete", write, s.groupDeleteForm)
	s.handle("POST /groups/{id}/delete", write, s.groupDelete)
	// Importing and exporting contacts (imports.go, imports_export.go).
	s.handle("GET /contacts/export", auth.PermExport, s.contactsExport)
	s.handle("GET /imports", read, s.importsPage)
	s.handleUpload("POST /imports", write, s.importUpload)
	s.handle("GET /imports/template.csv", read, s.importTemplate(importer.FormatCSV))
	s.handle("GET /imports/template.xlsx", read, s.importTemplate(importer.FormatXLSX))
	s.handle("GET /imports/{id}", read, s.importPage)
	s.handle("GET /imports/{id}/progress", read, s.importProgress)
	s.handle("GET /imports/{id}/errors.csv", read, s.importErrors)
	s.handle("POST /imports/{id}/preview", write, s.importPreview)
	s.handle("POST /imports/{id}/start", write, s.importStart)
	s.handle("POST /imports/{id}/cancel", write, s.importCancel)
	// Tickets about contacts (tickets.go).
	s.ticketRoutes()
	// Calendar and events (calendar.go, events.go).
	s.calendarRoutes()
	// Email out: compose, bulk, templates, email pages (emails.go).
	s.emailRoutes()
	// Tasks (tasks.go).
	s.taskRoutes()
	// BCC logging: unfiled received mail and the BCC address (inbound.go).
	s.inboundRoutes()

	// The signed-in user's own account.
	s.handle("GET /account", auth.PermSignedIn, s.accountPage)
	s.handle("POST /account/profile", auth.PermSignedIn, s.accountProfile)
	s.handle("POST /account/time-zone", auth.PermSignedIn, s.accountTimeZone)
	s.handle("POST /account/email", auth.PermSignedIn, s.accountEmail)
	s.handle("POST /account/password", auth.PermSignedIn, s.accountPassword)
	s.handle("GET /account/sessions", auth.PermSignedIn, s.sessionsPage)
	s.handle("POST /account/sessions/{id}/revoke", auth.PermSignedIn, s.sessionRevoke)
	s.handleGuarded("GET /account/security", auth.PermSignedIn, guardEnrolment, s.securityPage)
	s.handleGuarded("POST /account/totp/start", auth.PermSignedIn, guardEnrolment, s.totpStart)
	s.handleGuarded("POST /account/totp/confirm", auth.PermSignedIn, guardEnrolment, s.totpConfirm)
	s.handle("POST /account/totp/disable", auth.PermSignedIn, s.totpDisable)
	s.handle("POST /account/totp/recovery-codes", auth.PermSignedIn, s.recoveryCodes)
	s.handle("GET /account/tokens", auth.PermSignedIn, s.tokensPage)
	s.handle("POST /account/tokens", auth.PermSignedIn, s.tokenCreate)
	s.handle("POST /account/tokens/{id}/revoke", auth.PermSignedIn, s.tokenRevoke)

	// Administration.
	s.handle("GET /admin/users", auth.PermUsersView, s.usersPage)
	s.handle("GET /admin/users/new", auth.PermUsersAdmin, s.userNewForm)
	s.handle("POST /admin/users", auth.PermUsersAdmin, s.userCreate)
	s.handle("GET /admin/users/{id}", auth.PermUsersView, s.userPage)
	s.handle("POST /admin/users/{id}", auth.PermUsersAdmin, s.userUpdate)
	s.handle("POST /admin/users/{id}/disable", auth.PermUsersAdmin, s.userDisable)
	s.handle("POST /admin/users/{id}/enable", auth.PermUsersAdmin, s.userEnable)
	s.handle("POST /admin/users/{id}/reset-password", auth.PermUsersAdmin, s.userSendReset)
	s.handle("POST /admin/users/{id}/reset-totp", auth.PermUsersAdmin, s.userResetTOTP)
	s.handle("GET /admin/audit", auth.PermAuditView, s.auditPage)
	s.handle("GET /admin/audit.csv", auth.PermAuditView, s.auditCSV)
	s.handle("GET /admin/categories", auth.PermUsersAdmin, s.categoriesPage)
	s.handle("POST /admin/categories", auth.PermUsersAdmin, s.categorySave)
	s.handle("POST /admin/categories/{id}", auth.PermUsersAdmin, s.categorySave)
	s.handle("GET /admin/settings", auth.PermSettings, s.settingsPage)
	s.handle("POST /admin/settings", auth.PermSettings, s.settingsSubmit)
}
