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
}

// Describe returns the readable name of an action, or the action itself.
func Describe(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return action
}
