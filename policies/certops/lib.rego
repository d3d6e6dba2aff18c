# Helpers shared by the shipped policies. No rules here produce results.
package certops.lib

import rego.v1

# Actions after which a certificate exists or is deployed: the spec rules (crypto, validity,
# names, renewal) apply to them. `retire` and `undeploy` remove a certificate, and a policy
# must never block taking a bad certificate away.
spec_actions := {"issue", "renew", "replace", "deploy"}

# Actions that put a new or changed desired state into effect: the review rules (approvals)
# apply to them. A `renew` re-issues an already reviewed spec and needs no new review.
review_actions := {"issue", "replace"}

applies if input.action in spec_actions

reviewed_change if input.action in review_actions

ns_per_day := 86400000000000

# The evaluation time. The engine passes `now` as RFC 3339 (its injected clock).
now_ns := time.parse_rfc3339_ns(input.now)

# A DNS name is in a zone when it is the zone itself or a subdomain of it. Names arrive
# lower-case with IDNs as A-labels (punycode); zones are compared case-insensitively.
# One test covers both: "." + name ends with "." + zone exactly when name is the zone or a
# subdomain of it (one body: a function's bodies are all evaluated).
in_zone(name, zone) if endswith(concat("", [".", lower(name)]), concat("", [".", lower(zone)]))

# True when `name` is in any of `zones`.
in_any_zone(name, zones) if {
	some zone in zones
	in_zone(name, zone)
}

is_wildcard(name) if contains(name, "*")
