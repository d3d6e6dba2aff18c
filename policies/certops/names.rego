# Name ownership: a team's folder (certs.d/<team>/) may only request names in that team's
# zones (data.certops.zones), and wildcards only in data.certops.wildcard_zones.
package certops.names

import data.certops.lib
import rego.v1

cert := input.certificate

team_zones := object.get(data.certops.zones, cert.team, [])

# Referring to data.certops.wildcard_zones by name (not through data.certops as a whole, which
# would include this package's own rules and make them recursive).
default wildcard_zones := []

wildcard_zones := data.certops.wildcard_zones

# Every requested DNS name by where it comes from: its index in dnsNames, or -1 for the common
# name, which counts when it is a DNS name not also listed in dnsNames (client certificates
# may carry another kind of name there). The spec path is only formatted for a name that
# breaks a rule (path_of), not for every name on every evaluation.
requested[i] := name if {
	some i, name in object.get(cert, "dnsNames", [])
}

requested[-1] := name if {
	name := lower(cert.commonName)
	regex.match(`^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]+$`, name)
	not name in object.get(cert, "dnsNames", [])
}

path_of(i) := "spec.commonName" if i < 0

path_of(i) := sprintf("spec.dnsNames[%d]", [i]) if i >= 0

# The team's zones for messages.
zone_list(zones) := concat(", ", zones) if count(zones) > 0

zone_list(zones) := "none are assigned" if count(zones) == 0

# Only the team owning a zone may request names in it; otherwise any team could obtain a
# certificate for another team's service and impersonate it.
results contains {
	"id": "names.zone_ownership",
	"level": "deny",
	"message": msg,
	"path": path,
} if {
	lib.applies
	some i, name in requested
	not lib.in_any_zone(name, team_zones)
	path := path_of(i)
	msg := sprintf("team %s may not request %s: it is in none of the team's zones (%s)", [cert.team, name, zone_list(team_zones)])
}

# A wildcard covers every host of its zone, including ones other teams run; wildcards are
# restricted to zones meant for them, and only as a single leading label ("*.zone").
results contains {
	"id": "names.wildcard_zone",
	"level": "deny",
	"message": msg,
	"path": path,
} if {
	lib.applies
	some i, name in requested
	lib.is_wildcard(name)
	not wildcard_allowed(name)
	path := path_of(i)
	msg := sprintf("wildcard %s is not allowed; wildcards are only allowed as *.<zone> for the zones %s", [name, concat(", ", wildcard_zones)])
}

wildcard_allowed(name) if {
	startswith(name, "*.")
	base := trim_prefix(name, "*.")
	not contains(base, "*")
	lib.in_any_zone(base, wildcard_zones)
}
