# Certificate lifetime: public issuers follow the CA/Browser Forum schedule (Ballot SC-081),
# private issuers a maximum configured in data.
package certops.validity

import data.certops.lib
import rego.v1

cert := input.certificate

# Maximum validity of publicly trusted TLS certificates before the first step of the schedule.
cabf_initial_max_days := 398

# The CA/Browser Forum schedule (Ballot SC-081), in ascending order of the date each maximum
# takes effect. Publicly trusted CAs refuse longer certificates from that date on.
cabf_schedule := [
	{"from": "2026-03-15T00:00:00Z", "max_days": 200},
	{"from": "2027-03-15T00:00:00Z", "max_days": 100},
	{"from": "2029-03-15T00:00:00Z", "max_days": 47},
]

# The maximum in effect now. The limits only ever shrink, so it is the smallest limit whose
# date has passed.
public_max_days := min(array.concat(
	[cabf_initial_max_days],
	[step.max_days | some step in cabf_schedule; time.parse_rfc3339_ns(step.from) <= lib.now_ns],
))

# Schedule steps still to come, in ascending order.
upcoming_steps := [step | some step in cabf_schedule; time.parse_rfc3339_ns(step.from) > lib.now_ns]

# A public CA would refuse (or silently shorten) a certificate longer than the schedule allows.
results contains {
	"id": "validity.public_max",
	"level": "deny",
	"message": msg,
	"path": "spec.duration",
} if {
	lib.applies
	cert.issuer.public
	cert.durationDays > public_max_days
	msg := sprintf("publicly trusted certificates may be valid at most %d days as of %s (CA/Browser Forum schedule); %s asks for %v days", [public_max_days, input.now, cert.name, cert.durationDays])
}

# The next step of the schedule takes effect before this certificate's next renewal, and the
# renewal would then be refused: shorten the duration now rather than at renewal time.
results contains {
	"id": "validity.public_upcoming_limit",
	"level": "warn",
	"message": msg,
	"path": "spec.duration",
} if {
	lib.applies
	cert.issuer.public
	cert.durationDays <= public_max_days
	step := upcoming_steps[0]
	cert.durationDays > step.max_days
	# The step arrives before the next renewal: step - now <= lifetime - window, in
	# nanoseconds (no division, so whole-day inputs stay exact integers).
	time.parse_rfc3339_ns(step.from) - lib.now_ns <= (cert.durationDays - cert.renewBeforeDays) * lib.ns_per_day
	msg := sprintf("from %s publicly trusted certificates may be valid at most %d days, before this certificate's next renewal; shorten its duration of %v days", [step.from, step.max_days, cert.durationDays])
}

# Private CAs are ours to configure, but long-lived certificates outlive key compromise and
# staff changes unnoticed: data.certops.config.private_max_validity_days caps them.
results contains {
	"id": "validity.private_max",
	"level": "deny",
	"message": msg,
	"path": "spec.duration",
} if {
	lib.applies
	not cert.issuer.public
	max_days := data.certops.config.private_max_validity_days
	cert.durationDays > max_days
	msg := sprintf("certificates from private issuers may be valid at most %v days; %s asks for %v days from %s", [max_days, cert.name, cert.durationDays, cert.issuer.name])
}
