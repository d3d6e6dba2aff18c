package certops.validity_test

import data.certops.validity
import rego.v1

config := {"private_max_validity_days": 398}

public_issuer := {"name": "letsencrypt", "type": "acme", "public": true}

private_issuer := {"name": "private-ca", "type": "ca", "public": false}

# An input issuing a certificate from `issuer` for `days` days (renewed `renew` days before
# expiry) at time `now`.
change(issuer, days, renew, now) := {
	"certificate": {
		"name": "web",
		"issuer": issuer,
		"durationDays": days,
		"renewBeforeDays": renew,
	},
	"action": "issue",
	"now": now,
}

public(days, now) := change(public_issuer, days, 30, now)

fires(id, level, inp) if {
	rs := validity.results with input as inp with data.certops.config as config
	some r in rs
	r.id == id
	r.level == level
}

# validity.public_max: 398 days before 2026-03-15

test_public_398_days_before_2026_allowed if not fires("validity.public_max", "deny", public(398, "2026-01-01T00:00:00Z"))

test_public_399_days_before_2026_denied if fires("validity.public_max", "deny", public(399, "2026-01-01T00:00:00Z"))

test_public_398_days_last_second_allowed if not fires("validity.public_max", "deny", public(398, "2026-03-14T23:59:59Z"))

# 200 days from 2026-03-15

test_public_398_days_from_2026_03_15_denied if fires("validity.public_max", "deny", public(398, "2026-03-15T00:00:00Z"))

test_public_200_days_from_2026_03_15_allowed if not fires("validity.public_max", "deny", public(200, "2026-03-15T00:00:00Z"))

test_public_max_in_other_time_zone if fires("validity.public_max", "deny", public(398, "2026-03-15T01:00:00+01:00"))

# 100 days from 2027-03-15

test_public_200_days_in_2027_denied if fires("validity.public_max", "deny", public(200, "2027-04-01T00:00:00Z"))

test_public_100_days_in_2027_allowed if not fires("validity.public_max", "deny", public(100, "2027-04-01T00:00:00Z"))

# 47 days from 2029-03-15

test_public_90_days_in_2029_denied if fires("validity.public_max", "deny", public(90, "2029-03-15T00:00:00Z"))

test_public_47_days_in_2029_allowed if not fires("validity.public_max", "deny", public(47, "2029-03-15T00:00:00Z"))

test_public_max_message if {
	rs := validity.results with input as public(90, "2029-03-15T00:00:00Z") with data.certops.config as config
	some r in rs
	r.id == "validity.public_max"
	r.path == "spec.duration"
	contains(r.message, "at most 47 days")
}

test_public_rules_ignore_private_issuers if not fires("validity.public_max", "deny", change(private_issuer, 300, 30, "2029-03-15T00:00:00Z"))

# validity.public_upcoming_limit

# 398 days issued on 2026-01-01 renew on day 368; the 200-day limit starts on day 73.
test_upcoming_limit_warned if fires("validity.public_upcoming_limit", "warn", public(398, "2026-01-01T00:00:00Z"))

test_upcoming_limit_warned_2026 if fires("validity.public_upcoming_limit", "warn", public(200, "2026-10-01T00:00:00Z"))

# The next renewal (day 368) comes before the 2026 step (day 804).
test_upcoming_limit_far_away_not_warned if not fires("validity.public_upcoming_limit", "warn", public(398, "2024-01-01T00:00:00Z"))

test_upcoming_limit_compliant_not_warned if not fires("validity.public_upcoming_limit", "warn", public(90, "2026-01-01T00:00:00Z"))

test_upcoming_limit_after_last_step_not_warned if not fires("validity.public_upcoming_limit", "warn", public(47, "2030-01-01T00:00:00Z"))

# Already over today's limit: only the deny.
test_upcoming_limit_not_with_deny if not fires("validity.public_upcoming_limit", "warn", public(399, "2026-01-01T00:00:00Z"))

# validity.private_max

test_private_398_days_allowed if not fires("validity.private_max", "deny", change(private_issuer, 398, 30, "2029-03-15T00:00:00Z"))

test_private_400_days_denied if fires("validity.private_max", "deny", change(private_issuer, 400, 30, "2026-01-01T00:00:00Z"))

test_private_max_from_data if {
	inp := change(private_issuer, 90, 30, "2026-01-01T00:00:00Z")
	rs := validity.results with input as inp with data.certops.config as {"private_max_validity_days": 30}
	some r in rs
	r.id == "validity.private_max"
}

test_private_rule_ignores_public_issuers if not fires("validity.private_max", "deny", public(399, "2025-01-01T00:00:00Z"))
