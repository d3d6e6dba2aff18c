# Renewal sanity: the renewal window must fit in the lifetime and leave time to react.
package certops.renewal

import data.certops.lib
import rego.v1

cert := input.certificate

# A window as long as the lifetime makes every fresh certificate due for renewal at once:
# the engine would re-issue on every run.
results contains {
	"id": "renewal.window_exceeds_lifetime",
	"level": "deny",
	"message": msg,
	"path": "spec.renewBefore",
} if {
	lib.applies
	cert.renewBeforeDays >= cert.durationDays
	msg := sprintf("renewal window of %v days is not shorter than the lifetime of %v days; the certificate would be renewed continuously", [cert.renewBeforeDays, cert.durationDays])
}

min_renew_before_days := object.get(data.certops.config, "min_renew_before_days", 7)

# Renewing in the last days before expiry leaves no time to notice and fix a failed renewal
# (CA outage, rate limit, broken target) before the certificate expires.
results contains {
	"id": "renewal.too_late",
	"level": "deny",
	"message": msg,
	"path": "spec.renewBefore",
} if {
	lib.applies
	cert.renewBeforeDays < min_renew_before_days
	msg := sprintf("renewal starts %v days before expiry; start at least %v days before, to leave time to fix a failed renewal", [cert.renewBeforeDays, min_renew_before_days])
}
