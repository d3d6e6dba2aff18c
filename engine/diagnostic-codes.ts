// Every diagnostic code certops emits, with what it means. Codes are part of the --json contract:
// add new ones, never rename. docs/reference/diagnostics.md is generated from this table.
export const DIAGNOSTIC_CODES = {
  // Reading files
  'no-desired-state': 'The repository has no certs.d/ folder.',
  'file-too-large': 'A file is larger than spec.limits.maxFileBytes (default 256 KiB).',
  'not-utf8': 'A file is not valid UTF-8.',
  'not-text': 'A file contains NUL bytes.',
  'symlink-escape': 'A symbolic link in certs.d leads outside the repository.',
  'symlink-broken': 'A symbolic link in certs.d points to nothing.',
  'symlink-loop': 'Symbolic links make a folder reachable twice.',
  // YAML
  'yaml-syntax': 'The YAML is malformed.',
  'yaml-duplicate-key': 'A mapping has the same key twice.',
  'yaml-tag':
    'An explicit YAML tag (`!!binary`, `!custom`) is used; certs.d takes plain values only.',
  'yaml-alias-limit':
    'A document expands more aliases than spec.limits.maxAliases (alias-bomb guard).',
  'yaml-too-deep': 'Collections nest deeper than 64 levels or indentation exceeds 256 columns.',
  'too-many-documents':
    'A file holds more documents than spec.limits.maxDocumentsPerFile (default 100).',
  // Document shape
  'not-a-mapping': 'A document is not a mapping.',
  'api-version': 'apiVersion is not `certops/v1`.',
  'unknown-kind': 'kind is not one certops knows.',
  'misplaced-kind': '`Defaults` outside a _defaults.yaml file, or `Settings` outside certops.yaml.',
  'defaults-multiple-documents': 'A _defaults.yaml file holds more than one document.',
  'missing-field': 'A required field is missing.',
  'unknown-field':
    'A field is not in the schema (often a misspelling; the hint suggests the closest).',
  'wrong-type': 'A value has the wrong type.',
  'bad-value': 'A value is not allowed (enumeration, pattern, format or range).',
  'inline-secret':
    'A secret is written inline where a reference ({ env } or { file }) is required.',
  // Rules beyond the schema
  'duplicate-name': 'Two objects of one kind share a name.',
  'dangling-reference': 'A reference names an object that does not exist.',
  'wrong-reference-type': 'A reference names an object of the wrong type.',
  'bad-dns-name':
    'A DNS name is invalid (labels, length, wildcard placement, trailing dot, IP address).',
  'bad-ip-address': 'An IP address is invalid.',
  'duplicate-san': 'A subject alternative name is listed twice (after case folding and punycode).',
  'no-names': 'A certificate has no subject alternative names (a common name alone is not enough).',
  'common-name-not-in-sans': 'Warning: the common name is not among the subject alternative names.',
  'bad-duration': 'A duration is malformed or zero.',
  'renewal-window': 'renewBefore is not shorter than the validity.',
  'renewal-conflict': 'renewBefore and renewBeforePercentage are both set in one place.',
  'validity-capped': "Warning: the requested validity exceeds the issuer's maxValidity.",
  'key-size': 'The key size does not fit the key algorithm.',
  'key-usage': 'A certificate asks for a CA key usage (keyCertSign, cRLSign).',
  'revocation-reason': 'A certificate in state `revoked` has no revocation reason.',
  'revocation-unused': 'Warning: spec.revocation is set but the state is not `revoked`.',
  'path-escape': 'A target or solver path leaves its allowed root.',
  'pkcs12-password':
    'A file target writes a PKCS#12 file (files.pkcs12) but has no pkcs12Password.',
  'waiver-expired': 'Warning: a waiver is past its expiry date.',
  // Policies and policy bundles (`certops policy build|test`)
  'rego-syntax': 'A Rego file does not parse (OPA code rego_parse_error).',
  'rego-compile':
    "The Rego checker rejects a module: type errors, unsafe variables, conflicts, recursion (OPA's rego_*_error codes, named in the message).",
  'rego-unsupported':
    "Valid Rego that certops' compiler (regoc) does not implement yet; the message names the construct. `--compiler opa` builds it with OPA.",
  'rego-entrypoint': 'A policy entrypoint (such as certops/results) names no rule.',
  'policy-file':
    'The policies folder is missing, or holds a symbolic link or a Rego file that is not UTF-8.',
  'policy-data':
    'A data.json under the policies folder is not valid JSON or not an object, or two data files set the same value.',
  'policy-test-failed':
    'A Rego test rule (test_*) is false or undefined, or its evaluation failed.',
  'bundle-invalid':
    'A policy bundle (bundle.tar.gz) is not gzip or tar, exceeds a size or entry limit, or lacks its .manifest or wasm module.',
  'bundle-unsafe-entry':
    'A policy bundle holds a link, device or other non-file entry, or a name that leaves the bundle (`..`, drive letters, backslashes).',
  'bundle-manifest':
    "A policy bundle's .manifest is not JSON or does not match schemas/bundle-manifest.schema.json; the path names the field.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
