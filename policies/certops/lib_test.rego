package certops.lib_test

import data.certops.lib
import rego.v1

test_in_zone_equal if lib.in_zone("apps.example.internal", "apps.example.internal")

test_in_zone_subdomain if lib.in_zone("a.b.apps.example.internal", "Apps.Example.Internal")

test_in_zone_rejects_suffix_without_dot if not lib.in_zone("evilexample.com", "example.com")

test_in_zone_rejects_parent if not lib.in_zone("example.com", "payments.example.com")

test_in_any_zone if lib.in_any_zone("api.payments.example.com", ["shop.example.com", "payments.example.com"])

test_in_any_zone_none if not lib.in_any_zone("api.payments.example.com", [])

test_applies_to_issue if lib.applies with input as {"action": "issue"}

test_not_applies_to_retire if not lib.applies with input as {"action": "retire"}

test_renew_is_not_a_reviewed_change if not lib.reviewed_change with input as {"action": "renew"}

test_replace_is_a_reviewed_change if lib.reviewed_change with input as {"action": "replace"}

test_now_ns if lib.now_ns == 1773532800000000000 with input as {"now": "2026-03-15T00:00:00Z"}
