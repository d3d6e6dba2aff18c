package certops.renewal_test

import data.certops.renewal
import rego.v1

change(days, renew) := {
	"certificate": {"name": "web", "durationDays": days, "renewBeforeDays": renew},
	"action": "renew",
	"now": "2026-04-01T00:00:00Z",
}

fires(id, level, inp) if {
	rs := renewal.results with input as inp with data.certops.config as {}
	some r in rs
	r.id == id
	r.level == level
}

# renewal.window_exceeds_lifetime

test_window_equal_to_lifetime_denied if fires("renewal.window_exceeds_lifetime", "deny", change(30, 30))

test_window_longer_than_lifetime_denied if fires("renewal.window_exceeds_lifetime", "deny", change(30, 45))

test_window_shorter_than_lifetime_allowed if not fires("renewal.window_exceeds_lifetime", "deny", change(90, 30))

# A percentage-based window arrives as fractional days.
test_fractional_window_allowed if not fires("renewal.window_exceeds_lifetime", "deny", change(90, 29.7))

# renewal.too_late

test_renew_3_days_before_expiry_denied if fires("renewal.too_late", "deny", change(90, 3))

test_renew_7_days_before_expiry_allowed if not fires("renewal.too_late", "deny", change(90, 7))

test_renew_minimum_from_data if {
	rs := renewal.results with input as change(90, 10) with data.certops.config as {"min_renew_before_days": 14}
	some r in rs
	r.id == "renewal.too_late"
	r.path == "spec.renewBefore"
}

test_retire_not_checked if {
	inp := {"certificate": {"name": "web", "durationDays": 30, "renewBeforeDays": 45}, "action": "retire"}
	not fires("renewal.window_exceeds_lifetime", "deny", inp)
}
