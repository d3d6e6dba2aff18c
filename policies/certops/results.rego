# The engine's single entrypoint, `certops/results`: every result of every shipped policy for
# one planned change. Each result is {id, level, message, path?}; level is "deny" or "warn".
# A repository's own policies can add results by declaring `results contains r if ...` in
# `package certops` (partial set rules merge across files).
package certops

import rego.v1

results contains r if some r in data.certops.crypto.results

results contains r if some r in data.certops.validity.results

results contains r if some r in data.certops.names.results

results contains r if some r in data.certops.approvals.results

results contains r if some r in data.certops.renewal.results
