# Crypto strength of the certificate's key and signature.
package certops.crypto

import data.certops.lib
import rego.v1

cert := input.certificate

algorithm := lower(cert.privateKey.algorithm)

# RSA keys below 2048 bits are factorable with realistic effort and rejected by every
# mainstream TLS stack (NIST SP 800-131A, CA/Browser Forum Baseline Requirements).
results contains {
	"id": "crypto.rsa_min_size",
	"level": "deny",
	"message": msg,
	"path": "spec.privateKey.size",
} if {
	lib.applies
	algorithm == "rsa"
	cert.privateKey.size < 2048
	msg := sprintf("RSA key of %v bits is too weak; use at least 2048 bits (3072 recommended) or ECDSA P-256", [cert.privateKey.size])
}

# RSA 2048 is allowed but only good until about 2030 (NIST); 3072 bits or ECDSA is the
# recommendation. A warning, so legacy systems can keep 2048 with a waiver on record.
results contains {
	"id": "crypto.rsa_recommended_size",
	"level": "warn",
	"message": msg,
	"path": "spec.privateKey.size",
} if {
	lib.applies
	algorithm == "rsa"
	cert.privateKey.size >= 2048
	cert.privateKey.size < 3072
	msg := sprintf("RSA key of %v bits is below the recommended 3072 bits; prefer RSA 3072 or ECDSA P-256", [cert.privateKey.size])
}

allowed_ecdsa_sizes := {256, 384}

# Only P-256 and P-384: the curves the Baseline Requirements allow and every client
# supports. P-521 is not accepted by several browsers and TLS libraries.
results contains {
	"id": "crypto.ecdsa_curve",
	"level": "deny",
	"message": msg,
	"path": "spec.privateKey.size",
} if {
	lib.applies
	algorithm == "ecdsa"
	size := object.get(cert.privateKey, "size", null)
	not size in allowed_ecdsa_sizes
	msg := sprintf("ECDSA key size %v is not allowed; use P-256 (256) or P-384 (384)", [size])
}

# Ed25519 certificates are not accepted by browsers or most load balancers, so an Ed25519
# key may only go to target types listed in data.certops.config.ed25519_target_types.
results contains {
	"id": "crypto.ed25519_target",
	"level": "deny",
	"message": msg,
	"path": path,
} if {
	lib.applies
	algorithm == "ed25519"
	supported := object.get(data.certops.config, "ed25519_target_types", [])
	some i, target in object.get(cert, "targets", [])
	not target.type in supported
	path := sprintf("spec.deploy[%d].target", [i])
	msg := sprintf("target \"%s\" (type %s) does not support Ed25519 keys; use ECDSA P-256, or a target of type %s", [target.name, target.type, concat(", ", sort(supported))])
}

# SHA-1 and MD5 signatures are forgeable (chosen-prefix collisions) and rejected by
# browsers; the Baseline Requirements forbid them.
results contains {
	"id": "crypto.weak_signature",
	"level": "deny",
	"message": msg,
	"path": "spec.signatureAlgorithm",
} if {
	lib.applies
	weak_signature(cert.signatureAlgorithm)
	msg := sprintf("signature algorithm %s uses a broken hash; use SHA-256 or stronger", [cert.signatureAlgorithm])
}

# Matches names such as SHA1WithRSA, ECDSAWithSHA1, sha1, SHA-1, MD5WithRSA, md2WithRSA,
# but not SHA-256/SHA-384/SHA-512.
weak_signature(name) if regex.match(`(?i)(sha-?1|md[25])([^0-9]|$)`, name)
