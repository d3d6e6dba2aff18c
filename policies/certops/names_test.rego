package certops.names_test

import data.certops.names
import rego.v1

zones := {
	"platform": ["shop.example.com", "example.internal"],
	"payments": ["payments.example.com"],
}

wildcard_zones := ["apps.example.internal"]

change(team, dns_names) := {
	"certificate": {"name": "web", "team": team, "dnsNames": dns_names},
	"action": "issue",
	"now": "2026-04-01T00:00:00Z",
}

results(inp) := rs if {
	rs := names.results with input as inp
		with data.certops.zones as zones
		with data.certops.wildcard_zones as wildcard_zones
}

fires(id, level, inp) if {
	some r in results(inp)
	r.id == id
	r.level == level
}

# names.zone_ownership

test_own_zone_allowed if not fires("names.zone_ownership", "deny", change("payments", ["api.payments.example.com", "payments.example.com"]))

test_other_teams_zone_denied if fires("names.zone_ownership", "deny", change("payments", ["shop.example.com"]))

test_lookalike_zone_denied if fires("names.zone_ownership", "deny", change("payments", ["evilpayments.example.com"]))

test_team_without_zones_denied if fires("names.zone_ownership", "deny", change("marketing", ["www.example.com"]))

test_zone_ownership_points_at_the_name if {
	rs := results(change("payments", ["api.payments.example.com", "grafana.example.internal"]))
	paths := {r.path | some r in rs; r.id == "names.zone_ownership"}
	paths == {"spec.dnsNames[1]"}
}

test_common_name_checked if {
	inp := {
		"certificate": {"name": "web", "team": "payments", "commonName": "vault.example.internal", "dnsNames": []},
		"action": "issue",
	}
	fires("names.zone_ownership", "deny", inp)
}

test_non_dns_common_name_ignored if {
	inp := {
		"certificate": {"name": "web", "team": "payments", "commonName": "Payments Batch Client", "dnsNames": []},
		"action": "issue",
	}
	not fires("names.zone_ownership", "deny", inp)
}

test_retire_not_checked if {
	inp := {"certificate": {"name": "web", "team": "payments", "dnsNames": ["shop.example.com"]}, "action": "retire"}
	not fires("names.zone_ownership", "deny", inp)
}

# names.wildcard_zone

test_wildcard_in_wildcard_zone_allowed if not fires("names.wildcard_zone", "deny", change("platform", ["*.apps.example.internal"]))

test_wildcard_below_wildcard_zone_allowed if not fires("names.wildcard_zone", "deny", change("platform", ["*.eu.apps.example.internal"]))

test_wildcard_outside_wildcard_zone_denied if fires("names.wildcard_zone", "deny", change("platform", ["*.example.internal"]))

test_wildcard_not_leading_denied if fires("names.wildcard_zone", "deny", change("platform", ["web*.apps.example.internal"]))

test_double_wildcard_denied if fires("names.wildcard_zone", "deny", change("platform", ["*.*.apps.example.internal"]))

test_plain_names_not_wildcards if not fires("names.wildcard_zone", "deny", change("platform", ["grafana.example.internal"]))

# A wildcard in an allowed wildcard zone still needs the zone to be the team's.
test_wildcard_of_other_team_denied if fires("names.zone_ownership", "deny", change("payments", ["*.apps.example.internal"]))

test_common_name_listed_in_dns_names_reported_once if {
	inp := {
		"certificate": {"name": "web", "team": "payments", "commonName": "Shop.example.com", "dnsNames": ["shop.example.com"]},
		"action": "issue",
	}
	paths := {r.path | some r in results(inp); r.id == "names.zone_ownership"}
	paths == {"spec.dnsNames[0]"}
}

test_team_without_zones_message if {
	some r in results(change("marketing", ["www.example.com"]))
	r.message == "team marketing may not request www.example.com: it is in none of the team's zones (none are assigned)"
}
