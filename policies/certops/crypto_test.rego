package certops.crypto_test

import data.certops.crypto
import rego.v1

config := {"ed25519_target_types": ["file", "exec"]}

# An input for one planned issue of a certificate with `key`, `sig` and `targets`.
change(key, sig, targets) := {
	"certificate": {
		"name": "web",
		"team": "platform",
		"privateKey": key,
		"signatureAlgorithm": sig,
		"targets": targets,
	},
	"action": "issue",
	"now": "2026-04-01T00:00:00Z",
}

files := [{"name": "platform-files", "type": "file"}]

key_change(key) := change(key, "SHA256WithRSA", files)

# True when the crypto policy yields a result `id` at `level` for input `inp`.
fires(id, level, inp) if {
	rs := crypto.results with input as inp with data.certops.config as config
	some r in rs
	r.id == id
	r.level == level
}

# crypto.rsa_min_size

test_rsa_1024_denied if fires("crypto.rsa_min_size", "deny", key_change({"algorithm": "RSA", "size": 1024}))

test_rsa_2048_not_denied if not fires("crypto.rsa_min_size", "deny", key_change({"algorithm": "RSA", "size": 2048}))

test_rsa_min_size_points_at_key_size if {
	rs := crypto.results with input as key_change({"algorithm": "RSA", "size": 1024}) with data.certops.config as config
	some r in rs
	r.id == "crypto.rsa_min_size"
	r.path == "spec.privateKey.size"
}

test_rsa_1024_retire_not_denied if {
	inp := {"certificate": {"name": "web", "privateKey": {"algorithm": "RSA", "size": 1024}}, "action": "retire"}
	not fires("crypto.rsa_min_size", "deny", inp)
}

# crypto.rsa_recommended_size

test_rsa_2048_warned if fires("crypto.rsa_recommended_size", "warn", key_change({"algorithm": "RSA", "size": 2048}))

test_rsa_3072_not_warned if not fires("crypto.rsa_recommended_size", "warn", key_change({"algorithm": "RSA", "size": 3072}))

test_rsa_1024_only_denied if not fires("crypto.rsa_recommended_size", "warn", key_change({"algorithm": "RSA", "size": 1024}))

# crypto.ecdsa_curve

test_ecdsa_p521_denied if fires("crypto.ecdsa_curve", "deny", key_change({"algorithm": "ECDSA", "size": 521}))

test_ecdsa_without_size_denied if fires("crypto.ecdsa_curve", "deny", key_change({"algorithm": "ECDSA"}))

test_ecdsa_p256_allowed if not fires("crypto.ecdsa_curve", "deny", key_change({"algorithm": "ECDSA", "size": 256}))

test_ecdsa_p384_allowed if not fires("crypto.ecdsa_curve", "deny", key_change({"algorithm": "ECDSA", "size": 384}))

# crypto.ed25519_target

ed25519 := {"algorithm": "Ed25519"}

test_ed25519_to_nginx_denied if {
	targets := [{"name": "platform-files", "type": "file"}, {"name": "edge-nginx", "type": "nginx"}]
	inp := change(ed25519, "Ed25519", targets)
	fires("crypto.ed25519_target", "deny", inp)
	rs := crypto.results with input as inp with data.certops.config as config
	paths := {r.path | some r in rs; r.id == "crypto.ed25519_target"}
	paths == {"spec.deploy[1].target"}
}

test_ed25519_to_file_and_exec_allowed if {
	targets := [{"name": "platform-files", "type": "file"}, {"name": "identity-hook", "type": "exec"}]
	not fires("crypto.ed25519_target", "deny", change(ed25519, "Ed25519", targets))
}

test_ecdsa_to_nginx_not_checked if {
	inp := change({"algorithm": "ECDSA", "size": 256}, "ECDSAWithSHA256", [{"name": "edge-nginx", "type": "nginx"}])
	not fires("crypto.ed25519_target", "deny", inp)
}

# crypto.weak_signature

test_sha1_signature_denied if fires("crypto.weak_signature", "deny", change({"algorithm": "RSA", "size": 3072}, "SHA1WithRSA", files))

test_md5_signature_denied if fires("crypto.weak_signature", "deny", change({"algorithm": "RSA", "size": 3072}, "MD5WithRSA", files))

test_ecdsa_sha1_signature_denied if fires("crypto.weak_signature", "deny", change({"algorithm": "ECDSA", "size": 256}, "ECDSA-SHA1", files))

test_sha256_signature_allowed if not fires("crypto.weak_signature", "deny", change({"algorithm": "RSA", "size": 3072}, "SHA256WithRSA", files))

test_sha512_signature_allowed if not fires("crypto.weak_signature", "deny", change({"algorithm": "ECDSA", "size": 384}, "ECDSAWithSHA512", files))

test_no_signature_algorithm_allowed if {
	inp := {"certificate": {"name": "web", "privateKey": {"algorithm": "ECDSA", "size": 256}}, "action": "issue"}
	not fires("crypto.weak_signature", "deny", inp)
}
