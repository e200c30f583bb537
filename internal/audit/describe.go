package audit

// actionLabels are the readable names of recorded actions.
var actionLabels = map[string]string{
	"auth.signin":                    "Signed in",
	"auth.signin_password":           "Passed the password step",
	"auth.signin_failed":             "Failed sign-in",
	"auth.signin_throttled":          "Sign-in refused (too many failures)",
	"auth.signin_disabled":           "Sign-in refused (account disabled)",
	"auth.totp_failed":               "Wrong two-factor code",
	"auth.signout":                   "Signed out",
	"auth.denied":                    "Access refused",
	"session.revoke":                 "Signed out a session",
	"user.setup_owner":               "Set up Folio as owner",
	"user.create":                    "Created a user",
	"user.update_access":             "Changed a user's access",
	"user.disable":                   "Disabled a user",
	"user.enable":                    "Enabled a user",
	"user.change_name":               "Changed their name",
	"user.change_time_zone":          "Changed their time zone",
	"user.change_email":              "Changed their email",
	"user.change_password":           "Changed their password",
	"user.set_password":              "Password set from the command line",
	"user.password_reset_sent":       "Password reset link sent",
	"user.password_reset":            "Reset their password by link",
	"user.totp_enable":               "Turned on two-factor authentication",
	"user.totp_disable":              "Turned off two-factor authentication",
	"user.totp_reset":                "Cleared a user's two-factor authentication",
	"user.recovery_codes_regenerate": "Created new recovery codes",
	"token.create":                   "Created an API token",
	"token.revoke":                   "Revoked an API token",
	"settings.update":                "Changed firm settings",
	"contact.create":                 "Created the contact",
	"contact.update":                 "Changed the contact",
	"contact.update_owner":           "Changed the owner",
	"contact.tags":                   "Changed tags",
	"contact.group_add":              "Added to a group",
	"contact.group_remove":           "Removed from a group",
	"contact.relate":                 "Added a relationship",
	"contact.unrelate":               "Removed a relationship",
	"contact.reveal":                 "Revealed a sensitive value",
	"contact.delete":                 "Moved to the trash",
	"contact.restore":                "Restored from the trash",
	"contact.erase":                  "Erased personal data",
	"contact.lease_break":            "Broke an edit lock",
	"contact.merge":                  "Merged another contact into this one",
	"contact.merged_away":            "Merged into another contact",
	"contact.document_upload":        "Uploaded a document",
	"contact.document_review":        "Reviewed a document",
	"contact.document_view":          "Opened a document",
	"contact.document_delete":        "Deleted a document",
	"contact.not_duplicate":          "Marked as not a duplicate",
	"segment.create":                 "Created a segment",
	"segment.update":                 "Changed a segment",
	"segment.delete":                 "Deleted a segment",
	"category.create":                "Added a contact category",
	"category.rename":                "Renamed a contact category",
	// BCC logging (internal/inbound)
	"user.bcc_address_create":    "Got a BCC address",
	"user.bcc_address_reset":     "Reset their BCC address",
	"email.bcc_receive":          "Received an email by BCC",
	"email.bcc_delete":           "Deleted an unfiled email",
	"contact.bcc_email_file":     "Filed a received email",
	"contact.bcc_create_contact": "Created from an email's sender",
}

// Describe returns the readable name of an action, or the action itself.
func Describe(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return action
}
