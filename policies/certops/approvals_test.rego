package certops.approvals_test

import data.certops.approvals
import rego.v1

config := {"security_team": "@example/security"}

alice := {"login": "alice", "teams": ["@example/payments"]}

bob := {"login": "bob", "teams": ["@example/platform"]}

carol := {"login": "carol", "teams": ["@example/security", "@example/platform"]}

# A pull request by `author` issuing a certificate with `env` and `dns_names`, approved by
# `approved_by`.
change(env, dns_names, author, approved_by) := {
	"certificate": {"name": "web", "team": "platform", "labels": {"env": env}, "dnsNames": dns_names},
	"action": "issue",
	"approvals": approved_by,
	"repo": {"author": author, "changedPaths": ["certs.d/platform/web.yaml"]},
	"now": "2026-04-01T00:00:00Z",
}

prod(approved_by) := change("prod", ["web.example.internal"], "dave", approved_by)

wildcard(author, approved_by) := change("staging", ["*.apps.example.internal"], author, approved_by)

fires(id, level, inp) if {
	rs := approvals.results with input as inp with data.certops.config as config
	some r in rs
	r.id == id
	r.level == level
}

# approvals.prod_two_reviewers

test_prod_two_approvals_allowed if not fires("approvals.prod_two_reviewers", "deny", prod([alice, bob]))

test_prod_one_approval_denied if fires("approvals.prod_two_reviewers", "deny", prod([alice]))

test_prod_no_approval_denied if fires("approvals.prod_two_reviewers", "deny", prod([]))

test_prod_author_approval_not_counted if {
	inp := change("prod", ["web.example.internal"], "alice", [alice, bob])
	fires("approvals.prod_two_reviewers", "deny", inp)
}

test_prod_author_case_insensitive if {
	inp := change("prod", ["web.example.internal"], "Alice", [alice, bob])
	fires("approvals.prod_two_reviewers", "deny", inp)
}

test_prod_same_reviewer_twice_counted_once if fires("approvals.prod_two_reviewers", "deny", prod([alice, {"login": "ALICE", "teams": []}]))

test_staging_one_approval_allowed if not fires("approvals.prod_two_reviewers", "deny", change("staging", ["web.example.internal"], "dave", [alice]))

test_prod_renewal_needs_no_review if {
	inp := {
		"certificate": {"name": "web", "labels": {"env": "prod"}, "dnsNames": ["web.example.internal"]},
		"action": "renew",
		"approvals": [],
		"repo": {"author": "dave", "changedPaths": []},
	}
	not fires("approvals.prod_two_reviewers", "deny", inp)
}

test_prod_outside_pull_request_not_checked if {
	inp := {
		"certificate": {"name": "web", "labels": {"env": "prod"}, "dnsNames": ["web.example.internal"]},
		"action": "issue",
		"repo": {"author": "dave", "changedPaths": []},
	}
	not fires("approvals.prod_two_reviewers", "deny", inp)
}

# approvals.wildcard_security

test_wildcard_with_security_approval_allowed if not fires("approvals.wildcard_security", "deny", wildcard("dave", [carol]))

test_wildcard_without_security_approval_denied if fires("approvals.wildcard_security", "deny", wildcard("dave", [alice, bob]))

test_wildcard_security_author_self_approval_denied if fires("approvals.wildcard_security", "deny", wildcard("carol", [carol]))

test_wildcard_security_team_case_insensitive if {
	approver := {"login": "erin", "teams": ["@Example/Security"]}
	not fires("approvals.wildcard_security", "deny", wildcard("dave", [approver]))
}

test_non_wildcard_needs_no_security_approval if not fires("approvals.wildcard_security", "deny", change("staging", ["web.example.internal"], "dave", []))
