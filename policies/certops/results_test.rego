# The aggregated entrypoint over certificates of the example repository (certs.d/), evaluated
# with the shipped policies/data.json (loaded by the test runner, as `opa test` does).
package certops.results_test

import data.certops
import rego.v1

# certs.d/payments/legacy-batch.yaml, as the engine passes it to the policies.
legacy_batch := {
	"certificate": {
		"name": "legacy-batch",
		"team": "payments",
		"labels": {"env": "prod", "legacy": "true", "team": "payments"},
		"owner": "@example/payments",
		"issuer": {"name": "private-ca", "type": "ca", "public": false},
		"profile": "tls-server",
		"dnsNames": ["batch.payments.example.com"],
		"ipAddresses": [],
		"uris": [],
		"privateKey": {"algorithm": "RSA", "size": 2048, "rotation": "reuse"},
		"durationDays": 365,
		"renewBeforeDays": 60,
		"targets": [{"name": "payments-files", "type": "file"}],
	},
	"action": "issue",
	"reasons": ["NotIssued"],
	"approvals": [
		{"login": "alice", "teams": ["@example/payments"]},
		{"login": "bob", "teams": ["@example/platform"]},
	],
	"repo": {"author": "dave", "changedPaths": ["certs.d/payments/legacy-batch.yaml"]},
	"now": "2026-04-01T09:30:00Z",
	"now_ns": "1775035800000000000",
}

# certs.d/platform/certs/internal-wildcard.yaml, outside a pull request.
internal_wildcard := {
	"certificate": {
		"name": "internal-wildcard",
		"team": "platform",
		"labels": {"env": "prod", "team": "platform"},
		"owner": "@example/platform",
		"issuer": {"name": "private-ca", "type": "ca", "public": false},
		"dnsNames": ["*.apps.example.internal"],
		"privateKey": {"algorithm": "ECDSA", "size": 256, "rotation": "always"},
		"durationDays": 180,
		"renewBeforeDays": 45,
		"targets": [{"name": "platform-files", "type": "file"}],
	},
	"action": "renew",
	"repo": {"author": "", "changedPaths": []},
	"now": "2026-04-01T09:30:00Z",
}

ids(inp) := {r.id | some r in rs} if {
	rs := certops.results with input as inp
}

test_legacy_batch_only_warns_about_rsa_size if ids(legacy_batch) == {"crypto.rsa_recommended_size"}

test_legacy_batch_warning_is_complete if {
	rs := certops.results with input as legacy_batch
	some r in rs
	r == {
		"id": "crypto.rsa_recommended_size",
		"level": "warn",
		"message": "RSA key of 2048 bits is below the recommended 3072 bits; prefer RSA 3072 or ECDSA P-256",
		"path": "spec.privateKey.size",
	}
}

test_internal_wildcard_passes if count(ids(internal_wildcard)) == 0

# The issue's acceptance case: a 1024-bit RSA key is denied, with the rule id and the path.
test_rsa_1024_denied if {
	inp := {
		"certificate": {
			"name": "legacy-batch",
			"team": "payments",
			"labels": {"env": "staging"},
			"issuer": {"name": "private-ca", "type": "ca", "public": false},
			"dnsNames": ["batch.payments.example.com"],
			"privateKey": {"algorithm": "RSA", "size": 1024},
			"durationDays": 90,
			"renewBeforeDays": 30,
			"targets": [],
		},
		"action": "issue",
		"repo": {"author": "dave", "changedPaths": []},
		"now": "2026-04-01T09:30:00Z",
	}
	rs := certops.results with input as inp
	some r in rs
	r.id == "crypto.rsa_min_size"
	r.level == "deny"
	r.path == "spec.privateKey.size"
}

# Results from every policy package arrive at the one entrypoint.
test_all_packages_aggregated if {
	inp := {
		"certificate": {
			"name": "bad",
			"team": "payments",
			"labels": {"env": "prod"},
			"issuer": {"name": "letsencrypt", "type": "acme", "public": true},
			"dnsNames": ["*.shop.example.com"],
			"privateKey": {"algorithm": "RSA", "size": 1024},
			"durationDays": 398,
			"renewBeforeDays": 3,
			"targets": [],
		},
		"action": "issue",
		"approvals": [],
		"repo": {"author": "dave", "changedPaths": []},
		"now": "2026-04-01T09:30:00Z",
	}
	ids(inp) == {
		"crypto.rsa_min_size",
		"validity.public_max",
		"names.zone_ownership",
		"names.wildcard_zone",
		"approvals.prod_two_reviewers",
		"approvals.wildcard_security",
		"renewal.too_late",
	}
}
