package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/norm"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// routes lists every operation with the permission it needs.
func (x *API) routes() {
	register(x, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/me", Summary: "The user behind the token", Tags: []string{"Account"}},
		auth.PermSignedIn, x.me)
	register(x, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/users", Summary: "List staff users", Tags: []string{"Users"},
		Errors: []int{http.StatusBadRequest}},
		auth.PermUsersView, x.listUsers)
	register(x, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/users", Summary: "Create a staff user", Tags: []string{"Users"},
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, auth.PermUsersAdmin, x.createUser)
	register(x, huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/users/{id}", Summary: "Get a staff user", Tags: []string{"Users"},
		Errors: []int{http.StatusNotFound}}, auth.PermUsersView, x.getUser)
	register(x, huma.Operation{OperationID: "update-user", Method: http.MethodPatch, Path: "/users/{id}", Summary: "Change a user's access or disable them",
		Tags: []string{"Users"}, Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity}}, auth.PermUsersAdmin, x.updateUser)
	register(x, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/tokens", Summary: "List your API tokens", Tags: []string{"Account"}},
		auth.PermSignedIn, x.listTokens)
	register(x, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/tokens", Summary: "Create an API token (its secret is returned once)",
		Tags: []string{"Account"}, DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, auth.PermSignedIn, x.createToken)
	register(x, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/tokens/{id}", Summary: "Revoke an API token",
		Tags: []string{"Account"}, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound}}, auth.PermSignedIn, x.revokeToken)
	register(x, huma.Operation{OperationID: "list-activity", Method: http.MethodGet, Path: "/activity", Summary: "Read the activity log (newest first)",
		Tags: []string{"Activity log"}, Errors: []int{http.StatusBadRequest}}, auth.PermAuditView, x.listActivity)
	x.contactRoutes()
	x.importRoutes()
	x.exportRoutes()
	x.ticketRoutes() // tickets about contacts (tickets.go)
	// Calendar events (events.go).
	x.eventRoutes()
	x.emailRoutes()   // email out (emails.go)
	x.taskRoutes()    // tasks.go
	x.inboundRoutes() // BCC logging (inbound.go)
}

// contactRoutes are the contact operations: reads need contacts.read (which
// contacts, the domain decides), changes records.write, reveal
// sensitive.view.
func (x *API) contactRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
	)
	tags := []string{"Contacts"}
	register(x, huma.Operation{OperationID: "list-contacts", Method: http.MethodGet, Path: "/contacts", Summary: "List and search contacts",
		Description: "Contacts you may see, filtered and sorted, a page at a time. Unknown parameters and values are refused with 400.",
		Tags:        tags, Errors: []int{bad}}, auth.PermContactsRead, x.listContacts)
	register(x, huma.Operation{OperationID: "search-contacts", Method: http.MethodPost, Path: "/contacts/search", Summary: "Advanced search",
		Description: "The list's filters plus up to five conditions on contact fields, combined with all or any.",
		Tags:        tags, Errors: []int{bad}}, auth.PermContactsRead, x.searchContacts)
	register(x, huma.Operation{OperationID: "create-contact", Method: http.MethodPost, Path: "/contacts", Summary: "Create a contact",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{bad}}, auth.PermWrite, x.createContact)

	get := huma.Operation{OperationID: "get-contact", Method: http.MethodGet, Path: "/contacts/{id}", Summary: "Get a contact",
		Description: "The whole contact with computed completeness and values. Identifier and bank account numbers are masked; " +
			"see reveal. A contact merged into another answers 301 with the survivor's URL in Location (and merged_into in the body).",
		Tags: tags, Errors: []int{bad, notFound}}
	x.problemResponses(&get, http.StatusMovedPermanently)
	register(x, get, auth.PermContactsRead, x.getContact)

	patch := huma.Operation{OperationID: "update-contact", Method: http.MethodPatch, Path: "/contacts/{id}", Summary: "Change a contact",
		Description: "A JSON merge patch (RFC 7386, also as application/merge-patch+json) on the contact as GET shows it: members " +
			"left out stay as they are, null clears one, arrays replace the whole list. Identifiers and bank accounts sent with " +
			"their id and without a number keep the stored number. Say which version the change is based on with If-Match " +
			"(the ETag of GET) or version in the body: without it 428; when the contact changed since, 409 with what changed; " +
			"while someone edits it in the staff UI, 423. Changes to a merged contact answer 404 with merged_into.",
		Tags: tags, Errors: []int{bad, notFound, http.StatusPreconditionRequired}}
	x.problemResponses(&patch, http.StatusConflict, http.StatusLocked)
	register(x, patch, auth.PermWrite, x.updateContact)
	x.documentMergePatch(Prefix + patch.Path)

	register(x, huma.Operation{OperationID: "delete-contact", Method: http.MethodDelete, Path: "/contacts/{id}", Summary: "Move a contact to the trash",
		Description: "It can be restored for 30 days, then it is erased.", Tags: tags, DefaultStatus: http.StatusNoContent,
		Errors: []int{bad, notFound}}, auth.PermWrite, x.deleteContact)
	register(x, huma.Operation{OperationID: "restore-contact", Method: http.MethodPost, Path: "/contacts/{id}/restore", Summary: "Restore a contact from the trash",
		Tags: tags, Errors: []int{bad, notFound}}, auth.PermWrite, x.restoreContact)
	register(x, huma.Operation{OperationID: "reveal-contact-value", Method: http.MethodPost, Path: "/contacts/{id}/reveal",
		Summary: "Reveal an identifier or bank account number", Description: "Needs Sensitive Data Access. Every reveal is recorded in the activity log.",
		Tags: tags, Errors: []int{bad, notFound}}, auth.PermSensitive, x.reveal)
	register(x, huma.Operation{OperationID: "set-contact-tags", Method: http.MethodPut, Path: "/contacts/{id}/tags", Summary: "Replace a contact's tags",
		Tags: tags, Errors: []int{bad, notFound}}, auth.PermWrite, x.setTags)
	register(x, huma.Operation{OperationID: "list-contact-relationships", Method: http.MethodGet, Path: "/contacts/{id}/relationships",
		Summary: "List a contact's relationships", Description: "Including joint account holdings (kind joint_holder).",
		Tags: tags, Errors: []int{bad, notFound}}, auth.PermContactsRead, x.listRelationships)
	register(x, huma.Operation{OperationID: "create-contact-relationship", Method: http.MethodPost, Path: "/contacts/{id}/relationships",
		Summary: "Link a contact to another", Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{bad, notFound}},
		auth.PermWrite, x.relate)
	register(x, huma.Operation{OperationID: "delete-contact-relationship", Method: http.MethodDelete, Path: "/contacts/{id}/relationships/{rid}",
		Summary: "Remove a relationship", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound}},
		auth.PermWrite, x.unrelate)
	register(x, huma.Operation{OperationID: "bulk-update-contacts", Method: http.MethodPost, Path: "/contacts/bulk",
		Summary: "Change many contacts at once", Description: "Assign an owner, add to a group, add a tag or move to the trash; each change is logged.",
		Tags: tags, Errors: []int{bad}}, auth.PermWrite, x.bulk)
	register(x, huma.Operation{OperationID: "list-contact-categories", Method: http.MethodGet, Path: "/contact-categories",
		Summary: "List the firm's contact categories", Tags: tags}, auth.PermContactsRead, x.listCategories)

	gtags := []string{"Groups"}
	register(x, huma.Operation{OperationID: "list-groups", Method: http.MethodGet, Path: "/groups", Summary: "List contact groups",
		Tags: gtags}, auth.PermContactsRead, x.listGroups)
	register(x, huma.Operation{OperationID: "get-group", Method: http.MethodGet, Path: "/groups/{id}", Summary: "Get a contact group",
		Tags: gtags, Errors: []int{bad, notFound}}, auth.PermContactsRead, x.getGroup)
	register(x, huma.Operation{OperationID: "create-group", Method: http.MethodPost, Path: "/groups", Summary: "Create a contact group",
		Tags: gtags, DefaultStatus: http.StatusCreated, Errors: []int{bad}}, auth.PermWrite, x.createGroup)
	register(x, huma.Operation{OperationID: "update-group", Method: http.MethodPatch, Path: "/groups/{id}", Summary: "Rename a contact group",
		Tags: gtags, Errors: []int{bad, notFound}}, auth.PermWrite, x.updateGroup)
	register(x, huma.Operation{OperationID: "delete-group", Method: http.MethodDelete, Path: "/groups/{id}", Summary: "Delete a contact group (not its contacts)",
		Tags: gtags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound}}, auth.PermWrite, x.deleteGroup)
	register(x, huma.Operation{OperationID: "add-group-members", Method: http.MethodPost, Path: "/groups/{id}/members", Summary: "Add contacts to a group",
		Tags: gtags, Errors: []int{bad, notFound}}, auth.PermWrite, x.addMembers)
	register(x, huma.Operation{OperationID: "remove-group-member", Method: http.MethodDelete, Path: "/groups/{id}/members/{contact_id}",
		Summary: "Take a contact out of a group", Tags: gtags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound}},
		auth.PermWrite, x.removeMember)

	x.segmentRoutes()
	x.documentRoutes()
	x.duplicateRoutes()
	x.contactHistoryRoutes()
	x.noteRoutes()
	x.viewRoutes()
}

// segmentRoutes are saved searches, firm-wide; each shows how many of the
// caller's contacts match it now.
func (x *API) segmentRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Segments"}
	register(x, huma.Operation{OperationID: "list-segments", Method: http.MethodGet, Path: "/segments", Summary: "List segments",
		Description: "Saved searches, by name, each with how many contacts you can see match it now. List the members with GET /api/v1/contacts?segment=ID.",
		Tags:        tags}, auth.PermContactsRead, x.listSegments)
	register(x, huma.Operation{OperationID: "create-segment", Method: http.MethodPost, Path: "/segments", Summary: "Create a segment",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, auth.PermWrite, x.createSegment)
	register(x, huma.Operation{OperationID: "get-segment", Method: http.MethodGet, Path: "/segments/{id}", Summary: "Get a segment",
		Tags: tags, Errors: []int{bad, notFound}}, auth.PermContactsRead, x.getSegment)
	register(x, huma.Operation{OperationID: "replace-segment", Method: http.MethodPut, Path: "/segments/{id}", Summary: "Replace a segment's name and conditions",
		Tags: tags, Errors: []int{bad, notFound, invalid}}, auth.PermWrite, x.updateSegment)
	register(x, huma.Operation{OperationID: "delete-segment", Method: http.MethodDelete, Path: "/segments/{id}", Summary: "Delete a segment (not its contacts)",
		Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound}}, auth.PermWrite, x.deleteSegment)
}

// documentRoutes are a contact's compliance documents.
func (x *API) documentRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Documents"}
	list := huma.Operation{OperationID: "list-contact-documents", Method: http.MethodGet, Path: "/contacts/{id}/documents",
		Summary: "List a contact's documents", Description: "Newest first, without their bytes.", Tags: tags, Errors: []int{bad, notFound}}
	x.problemResponses(&list, http.StatusMovedPermanently)
	register(x, list, auth.PermContactsRead, x.listDocuments)

	register(x, huma.Operation{OperationID: "upload-contact-document", Method: http.MethodPost, Path: "/contacts/{id}/documents",
		Summary: "Upload a compliance document",
		Description: "A multipart/form-data body with kind, expires_on (optional) and file. The file must be a PDF, JPEG or PNG, " +
			"as read from its bytes: anything else, whatever its name, is refused with 422 naming what it is. " +
			fmt.Sprintf("A file over %d MB is refused with 413. The document starts as pending review.", norm.MaxDocumentSize>>20),
		Tags: tags, DefaultStatus: http.StatusCreated, RequestBody: documentUploadBody(), MaxBodyBytes: documentBodyLimit,
		Middlewares: huma.Middlewares{x.readUploadForm},
		Errors:      []int{bad, notFound, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, invalid}},
		auth.PermWrite, x.uploadDocument)

	get := huma.Operation{OperationID: "get-contact-document", Method: http.MethodGet, Path: "/contacts/{id}/documents/{doc}",
		Summary: "Get a document's details", Tags: tags, Errors: []int{bad, notFound}}
	x.problemResponses(&get, http.StatusMovedPermanently)
	register(x, get, auth.PermContactsRead, x.getDocument)

	content := huma.Operation{OperationID: "download-contact-document", Method: http.MethodGet, Path: "/contacts/{id}/documents/{doc}/content",
		Summary: "Download a document", Description: "The bytes, as an attachment of the type read at upload. Every download is recorded in the activity log.",
		Tags: tags, Responses: documentContentResponse(), Errors: []int{bad, notFound}}
	x.problemResponses(&content, http.StatusMovedPermanently)
	register(x, content, auth.PermContactsRead, x.downloadDocument)

	register(x, huma.Operation{OperationID: "review-contact-document", Method: http.MethodPost, Path: "/contacts/{id}/documents/{doc}/review",
		Summary: "Approve or reject a document", Description: "Rejecting needs a reason. Approved identity and address documents count towards profile completeness.",
		Tags: tags, Errors: []int{bad, notFound, invalid}}, auth.PermWrite, x.reviewDocument)
	register(x, huma.Operation{OperationID: "delete-contact-document", Method: http.MethodDelete, Path: "/contacts/{id}/documents/{doc}",
		Summary: "Delete a document for good", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound}},
		auth.PermWrite, x.deleteDocument)
}

// duplicateRoutes find, dismiss and merge likely duplicates.
func (x *API) duplicateRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Duplicates"}
	of := huma.Operation{OperationID: "list-contact-duplicates", Method: http.MethodGet, Path: "/contacts/{id}/duplicates",
		Summary: "List a contact's likely duplicates",
		Description: "Contacts with the same email address, phone number, ID number or IBAN, or a very similar name with the same date of birth " +
			"or city. Pairs dismissed as not duplicates, and contacts you cannot see, are left out.",
		Tags: tags, Errors: []int{bad, notFound}}
	x.problemResponses(&of, http.StatusMovedPermanently)
	register(x, of, auth.PermContactsRead, x.contactDuplicates)
	register(x, huma.Operation{OperationID: "list-duplicates", Method: http.MethodGet, Path: "/duplicates", Summary: "List likely duplicates across the book",
		Description: "Pairs of contacts of the same kind sharing an email address, an ID number or an IBAN, sharing a phone number " +
			"with similar names, or with similar names and the same date of birth or city, as the last check of the whole book found them " +
			"(scanned_at; Folio checks again in the background after contacts change, or on POST /api/v1/duplicates/scan). " +
			"Strongest signs first (shared email, ID number, IBAN or phone; then date of birth; then city), then newest contacts, a page at a time. Pairs dismissed or merged since, and contacts you cannot see, are left out. " +
			"Similar but different names are found per contact (GET /api/v1/contacts/{id}/duplicates).",
		Tags: tags, Errors: []int{bad}}, auth.PermContactsRead, x.listDuplicates)
	register(x, huma.Operation{OperationID: "scan-duplicates", Method: http.MethodPost, Path: "/duplicates/scan", Summary: "Check the whole book for duplicates now",
		Description: "Replaces the list GET /api/v1/duplicates reads. It reads every contact: seconds on a large book.",
		Tags:        tags}, auth.PermWrite, x.scanDuplicates)
	register(x, huma.Operation{OperationID: "dismiss-duplicate", Method: http.MethodPost, Path: "/duplicates/dismiss",
		Summary: "Mark two contacts as not duplicates", Description: "The pair is no longer listed. Logged.",
		Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{notFound, invalid}}, auth.PermWrite, x.dismissDuplicate)

	merge := huma.Operation{OperationID: "merge-contacts", Method: http.MethodPost, Path: "/contacts/{id}/merge",
		Summary: "Merge another contact into this one",
		Description: "This contact stays; take chooses, field by field, whose value it keeps. Every email, phone, address, identifier, " +
			"bank account, document, tag, group membership and relationship of both is kept, and both histories. The merged contact's " +
			"id answers 301 to this one afterwards. Answers with the merged contact.",
		Tags: []string{"Contacts", "Duplicates"}, Errors: []int{bad, notFound, http.StatusConflict, invalid}}
	x.problemResponses(&merge, http.StatusLocked)
	register(x, merge, auth.PermWrite, x.mergeContacts)
}

// importRoutes upload files of contacts and follow their imports, which
// the server's background worker runs; the API only queues them. Users
// limited to their own contacts see only their own imports.
func (x *API) importRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		conflict = http.StatusConflict
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Imports"}
	upload := huma.Operation{OperationID: "upload-import", Method: http.MethodPost, Path: "/imports", Summary: "Import contacts from a file",
		Description: "A multipart/form-data body with the part file (a CSV, XLSX or vCard file, such as Folio's template, an export " +
			"of Folio or of another CRM) and optional settings, sent before it. The file streams into storage as it arrives; " +
			fmt.Sprintf("one over %s is refused with 413 (FOLIO_IMPORT_MAX_BYTES). ", byteSize(x.importMax())) +
			"Its header row is read and each column is mapped to a field by its name (or as last mapped for files with the same headers); " +
			"mapping changes that. Answers 202 with the queued import and its URL in Location: poll it until status is done, failed " +
			"or cancelled, then read the counts and the rejected rows (errors.csv). With start=false the file is only stored (201), " +
			"to GET the proposed mapping and start it later. A file Folio cannot read (empty, an image, a broken workbook…), an " +
			"unknown part, field key or column, or a bad key is refused with 422 saying why; when the file was stored already, " +
			"the detail names the import to start once corrected. Each row finds the contact it updates by key: filled " +
			"values replace, new emails and phones are added, tags are added; rows without a match create contacts.",
		Tags: tags, DefaultStatus: http.StatusAccepted, MaxBodyBytes: x.importBodyLimit(), Middlewares: huma.Middlewares{x.streamImportForm},
		Errors: []int{bad, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, invalid}}
	register(x, upload, auth.PermWrite, x.uploadImport)
	x.documentImportUpload(Prefix + upload.Path)

	register(x, huma.Operation{OperationID: "list-imports", Method: http.MethodGet, Path: "/imports", Summary: "List imports",
		Description: "Newest first, a page at a time; users limited to their own contacts see their own imports only.",
		Tags:        tags, Errors: []int{bad}}, auth.PermContactsRead, x.listImports)
	register(x, huma.Operation{OperationID: "list-import-fields", Method: http.MethodGet, Path: "/imports/fields",
		Summary:     "List the fields a column can be imported into",
		Description: "Their keys are what a mapping names, and the column names of Folio's template and CSV export. Sensitive fields are stored encrypted.",
		Tags:        tags}, auth.PermContactsRead, x.importFields)
	register(x, huma.Operation{OperationID: "get-import", Method: http.MethodGet, Path: "/imports/{id}", Summary: "Get an import",
		Description: "Its status, columns with their fields, counts so far, progress (percent, speed, time left) and, for a finished import " +
			"with rejected rows, the first of them with their reasons.",
		Tags: tags, Errors: []int{bad, notFound}}, auth.PermContactsRead, x.getImport)
	register(x, huma.Operation{OperationID: "start-import", Method: http.MethodPost, Path: "/imports/{id}/start", Summary: "Start an import",
		Description: "Queues an uploaded import with the mapping, key and dry_run of the body (each optional), or runs again one that was a " +
			"dry run, failed or was cancelled (202); a file is imported from its first row each time, and rows imported before match their " +
			"contacts by key. The mapping is remembered for files with the same headers. Answers with the queued import. 409 while " +
			"it is queued or running, or when the file was imported already (upload it again to import it once more); 403 for " +
			"another user's import unless you are an admin; 422 for an unknown column or field key, a field mapped twice or nothing mapped.",
		Tags: tags, DefaultStatus: http.StatusAccepted, Errors: []int{bad, notFound, conflict, invalid}}, auth.PermWrite, x.startImport)
	register(x, huma.Operation{OperationID: "cancel-import", Method: http.MethodPost, Path: "/imports/{id}/cancel", Summary: "Cancel an import",
		Description: "A queued or uploaded import is cancelled at once; a running one stops after the batch it is storing (cancel_requested " +
			"until then), and the contacts stored so far stay. 409 when it has finished.",
		Tags: tags, Errors: []int{bad, notFound, conflict}}, auth.PermWrite, x.cancelImport)
	register(x, huma.Operation{OperationID: "download-import-errors", Method: http.MethodGet, Path: "/imports/{id}/errors.csv",
		Summary: "Download an import's rejected rows",
		Description: "A CSV attachment, streamed: the file's own columns with each rejected row as it was, then Line and Error. Fix the rows " +
			"and import this file again (Line and Error are not mapped).",
		Tags: tags, Responses: importErrorsResponse(), Errors: []int{bad, notFound}}, auth.PermContactsRead, x.importErrors)
}

// exportRoutes download contacts as files; each export is recorded in the
// activity log.
func (x *API) exportRoutes() {
	const (
		bad     = http.StatusBadRequest
		invalid = http.StatusUnprocessableEntity
	)
	tags := []string{"Contacts", "Imports"}
	what := "Streamed as it is written, with Content-Disposition attachment (contacts-YYYY-MM-DD.csv, .xlsx or .vcf). " +
		"Needs the export grant (403 without it). CSV and XLSX have the columns of the import template, so a file imports back " +
		"as it is; every cell starting with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe so that " +
		"spreadsheets never run it, and Folio's import takes the apostrophe off again. ID numbers are left out unless " +
		"sensitive=true, which needs Sensitive Data Access (403 without it; the attempt is recorded). Every export is " +
		"recorded in the activity log with its format, scope, count and whether it held ID numbers. "
	register(x, huma.Operation{OperationID: "export-contacts", Method: http.MethodGet, Path: "/contacts/export", Summary: "Export contacts",
		Description: "Every contact you may see that the list's search and filters select (q, category, stage, owner, group, tag, " +
			"segment; sorted by sort), as GET /api/v1/contacts would list them. " + what + "Unknown parameters and bad values " +
			"are refused with 400 before anything is written.",
		Tags: tags, Responses: exportResponse(), Errors: []int{bad}}, auth.PermExport, x.exportContacts)
	register(x, huma.Operation{OperationID: "export-contact-selection", Method: http.MethodPost, Path: "/contacts/export",
		Summary:     "Export a selection of contacts",
		Description: "The contacts of ids (at most 10,000), in that order. " + what + "A bad body is refused with 422 before anything is written.",
		Tags:        tags, Responses: exportResponse(), Errors: []int{invalid}}, auth.PermExport, x.exportSelection)
}

// contactHistoryRoutes show a contact's history, which continues on the
// survivor of a merge.
func (x *API) contactHistoryRoutes() {
	activity := huma.Operation{OperationID: "list-contact-activity", Method: http.MethodGet, Path: "/contacts/{id}/activity",
		Summary: "A contact's history", Description: "Its rows of the activity log, newest first, including those of the contacts merged into it.",
		Tags: []string{"Contacts", "Activity log"}, Errors: []int{http.StatusBadRequest, http.StatusNotFound}}
	x.problemResponses(&activity, http.StatusMovedPermanently)
	register(x, activity, auth.PermContactsRead, x.contactActivity)
}

// viewRoutes are the caller's own saved states of the contact list; saving
// one changes no firm data, so reading contacts is enough.
func (x *API) viewRoutes() {
	const invalid = http.StatusUnprocessableEntity
	vtags := []string{"Account"}
	register(x, huma.Operation{OperationID: "list-saved-views", Method: http.MethodGet, Path: "/me/views", Summary: "List your saved contact list views",
		Tags: vtags}, auth.PermContactsRead, x.listViews)
	register(x, huma.Operation{OperationID: "save-view", Method: http.MethodPost, Path: "/me/views", Summary: "Save a contact list view",
		Description: "201 for a new view, 200 when it replaces your view of the same name.",
		Tags:        vtags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, auth.PermContactsRead, x.saveView)
	register(x, huma.Operation{OperationID: "delete-saved-view", Method: http.MethodDelete, Path: "/me/views/{id}", Summary: "Delete one of your saved views",
		Tags: vtags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusBadRequest, http.StatusNotFound}}, auth.PermContactsRead, x.deleteView)
}

// User is a staff user as the API shows it.
type User struct {
	ID              int64      `json:"id"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	Role            string     `json:"role" enum:"owner,admin,advisor,assistant,readonly"`
	Grants          Grants     `json:"grants"`
	OwnContactsOnly bool       `json:"own_contacts_only"`
	TOTPEnabled     bool       `json:"totp_enabled"`
	Disabled        bool       `json:"disabled"`
	CreatedAt       time.Time  `json:"created_at"`
	DisabledAt      *time.Time `json:"disabled_at,omitempty"`
}

// Grants are the permissions given beside the role.
type Grants struct {
	SensitiveDataAccess bool `json:"sensitive_data_access"`
	Export              bool `json:"export"`
	ManageUsers         bool `json:"manage_users"`
	ViewAsInvestor      bool `json:"view_as_investor"`
}

func (g Grants) domain() auth.Grants {
	return auth.Grants{Sensitive: g.SensitiveDataAccess, Export: g.Export, ManageUsers: g.ManageUsers, ViewAsInvestor: g.ViewAsInvestor}
}

func userOut(u *auth.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), OwnContactsOnly: u.OwnContactsOnly, TOTPEnabled: u.TOTPEnabled,
		Disabled: u.DisabledAt != nil, DisabledAt: u.DisabledAt, CreatedAt: u.CreatedAt,
		Grants: Grants{SensitiveDataAccess: u.Grants.Sensitive, Export: u.Grants.Export, ManageUsers: u.Grants.ManageUsers, ViewAsInvestor: u.Grants.ViewAsInvestor}}
}

type meOutput struct{ Body Me }

// me is the caller, with their BCC address (inbound.go).
func (x *API) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	me, err := x.meOut(ctx)
	if err != nil {
		return nil, err
	}
	return &meOutput{Body: me}, nil
}

// badCursor is the 400 for a cursor that no list returned: like every
// problem in the query string, it is a bad request.
func badCursor() error {
	return inQuery.invalid(errs.FieldErrors(map[string]string{"cursor": "not a value returned as next_cursor"}))
}

type listInput struct {
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type userList struct {
	Items      []User `json:"items"`
	NextCursor string `json:"next_cursor"`
}

type userListOutput struct{ Body userList }

func (x *API) listUsers(ctx context.Context, in *listInput) (*userListOutput, error) {
	after := int64(0)
	if in.Cursor != "" {
		var err error
		if after, err = strconv.ParseInt(in.Cursor, 10, 64); err != nil || after < 0 {
			return nil, badCursor()
		}
	}
	users, next, err := x.Auth.UsersPage(ctx, after, in.Limit)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &userListOutput{Body: userList{Items: listOf(users, userOut)}}
	if next > 0 {
		out.Body.NextCursor = itoa(next)
	}
	return out, nil
}

type createUserInput struct {
	Body struct {
		Email           string `json:"email" maxLength:"254"`
		Name            string `json:"name" maxLength:"200"`
		Role            string `json:"role" enum:"owner,admin,advisor,assistant,readonly"`
		Password        string `json:"password,omitempty" maxLength:"128" doc:"Leave out and set invite to email a link instead."`
		Invite          bool   `json:"invite,omitempty" doc:"Email the user a link to choose a password."`
		Grants          Grants `json:"grants,omitempty"`
		OwnContactsOnly bool   `json:"own_contacts_only,omitempty"`
	}
}

type userOutput struct{ Body User }

func (x *API) createUser(ctx context.Context, in *createUserInput) (*userOutput, error) {
	b := in.Body
	u, err := x.Auth.CreateUser(ctx, userFrom(ctx), auth.NewUser{Email: b.Email, Name: b.Name, Role: auth.Role(b.Role), Password: b.Password,
		Invite: b.Invite, Grants: b.Grants.domain(), OwnContactsOnly: b.OwnContactsOnly})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &userOutput{Body: userOut(u)}, nil
}

type idInput struct {
	ID int64 `path:"id"`
}

func (x *API) getUser(ctx context.Context, in *idInput) (*userOutput, error) {
	u, err := x.Auth.UserByID(ctx, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &userOutput{Body: userOut(u)}, nil
}

type updateUserInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name            *string `json:"name,omitempty" maxLength:"200"`
		Role            *string `json:"role,omitempty" enum:"owner,admin,advisor,assistant,readonly"`
		Grants          *Grants `json:"grants,omitempty"`
		OwnContactsOnly *bool   `json:"own_contacts_only,omitempty"`
		Disabled        *bool   `json:"disabled,omitempty" doc:"true disables the user and ends their sessions at once"`
	}
}

func (x *API) updateUser(ctx context.Context, in *updateUserInput) (*userOutput, error) {
	by := userFrom(ctx)
	u, err := x.Auth.UserByID(ctx, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	b := in.Body
	ch := auth.AccessChange{Name: u.Name, Role: u.Role, Grants: u.Grants, OwnContactsOnly: u.OwnContactsOnly}
	if b.Name != nil {
		ch.Name = *b.Name
	}
	if b.Role != nil {
		ch.Role = auth.Role(*b.Role)
	}
	if b.Grants != nil {
		ch.Grants = b.Grants.domain()
	}
	if b.OwnContactsOnly != nil {
		ch.OwnContactsOnly = *b.OwnContactsOnly
	}
	if ch != (auth.AccessChange{Name: u.Name, Role: u.Role, Grants: u.Grants, OwnContactsOnly: u.OwnContactsOnly}) {
		if _, err := x.Auth.UpdateAccess(ctx, by, u.ID, ch); err != nil {
			return nil, x.problem(ctx, err)
		}
	}
	if b.Disabled != nil {
		if err := x.Auth.SetDisabled(ctx, by, u.ID, *b.Disabled); err != nil {
			return nil, x.problem(ctx, err)
		}
	}
	return x.getUser(ctx, &idInput{ID: u.ID})
}

// Token is an API token as the API shows it (never its secret).
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix" doc:"The first characters of the token, to recognise it"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

func tokenOut(t *auth.APIToken) Token {
	return Token{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

type tokenListOutput struct {
	Body struct {
		Items      []Token `json:"items"`
		NextCursor string  `json:"next_cursor"`
	}
}

func (x *API) listTokens(ctx context.Context, _ *struct{}) (*tokenListOutput, error) {
	toks, err := x.Auth.Tokens(ctx, userFrom(ctx))
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &tokenListOutput{}
	out.Body.Items = listOf(toks, tokenOut)
	return out, nil
}

type createTokenInput struct {
	Body struct {
		Name string `json:"name" maxLength:"100" doc:"What uses the token"`
	}
}

type createTokenOutput struct {
	Body struct {
		Token  Token  `json:"token"`
		Secret string `json:"secret" doc:"The bearer token. Shown only in this response."`
	}
}

func (x *API) createToken(ctx context.Context, in *createTokenInput) (*createTokenOutput, error) {
	t, secret, err := x.Auth.CreateToken(ctx, userFrom(ctx), in.Body.Name)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &createTokenOutput{}
	out.Body.Token, out.Body.Secret = tokenOut(t), secret
	return out, nil
}

func (x *API) revokeToken(ctx context.Context, in *idInput) (*struct{}, error) {
	if err := x.Auth.RevokeToken(ctx, userFrom(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

// Activity is one row of the activity log.
type Activity struct {
	ID        int64          `json:"id"`
	At        time.Time      `json:"at"`
	ActorType string         `json:"actor_type"`
	ActorID   string         `json:"actor_id"`
	Actor     string         `json:"actor"`
	Channel   string         `json:"channel"`
	IP        string         `json:"ip"`
	Entity    string         `json:"entity"`
	EntityID  string         `json:"entity_id"`
	Action    string         `json:"action"`
	Changes   []audit.Change `json:"changes"`
	Hash      string         `json:"hash"`
}

type activityInput struct {
	Actor    string    `query:"actor" doc:"user:ID, token:ID, import, portal or system"`
	Entity   string    `query:"entity"`
	EntityID string    `query:"entity_id"`
	Action   string    `query:"action"`
	From     time.Time `query:"from" doc:"RFC 3339 time, inclusive"`
	To       time.Time `query:"to" doc:"RFC 3339 time, exclusive"`
	// Not an embedded listInput: huma skips unexported embedded structs,
	// so cursor and limit would be neither read nor documented.
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type activityOutput struct {
	Body struct {
		Items      []Activity `json:"items"`
		NextCursor string     `json:"next_cursor"`
	}
}

func (x *API) listActivity(ctx context.Context, in *activityInput) (*activityOutput, error) {
	f := audit.Filter{Actor: in.Actor, Entity: in.Entity, EntityID: in.EntityID, Action: in.Action, From: in.From, To: in.To, Limit: in.Limit}
	if err := beforeCursor(&f, in.Cursor); err != nil {
		return nil, err
	}
	return x.activityPage(ctx, f)
}

// beforeCursor reads the cursor of an activity list into f.
func beforeCursor(f *audit.Filter, cursor string) error {
	if cursor == "" {
		return nil
	}
	var err error
	if f.Before, err = strconv.ParseInt(cursor, 10, 64); err != nil || f.Before <= 0 {
		return badCursor()
	}
	return nil
}

// activityPage is the page of the activity log f selects.
func (x *API) activityPage(ctx context.Context, f audit.Filter) (*activityOutput, error) {
	recs, next, err := audit.List(ctx, x.DB, f)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &activityOutput{}
	out.Body.Items = listOf(recs, activityOut)
	out.Body.NextCursor = next
	return out, nil
}
