# Four-eyes review of changes made through pull requests. Approval rules apply only when the
# engine evaluates a pull request (input.approvals is an array). Outside a pull request (a local
# plan, the scheduled job on the default branch) approvals are absent: branch protection made
# the merge itself reviewed.
package certops.approvals

import data.certops.lib
import rego.v1

cert := input.certificate

author := lower(object.get(input.repo, "author", ""))

in_review if {
	lib.reviewed_change
	is_array(input.approvals)
}

# Approvals by anyone but the pull request's author; self-approval does not count.
independent_approvals contains a if {
	some a in input.approvals
	lower(a.login) != author
}

reviewers contains login if {
	some a in independent_approvals
	login := lower(a.login)
}

# Production certificates guard live traffic: two people other than the author must approve.
results contains {
	"id": "approvals.prod_two_reviewers",
	"level": "deny",
	"message": msg,
} if {
	in_review
	object.get(cert.labels, "env", "") == "prod"
	count(reviewers) < 2
	msg := sprintf("production certificate %s needs 2 approvals by someone other than the author; it has %d", [cert.name, count(reviewers)])
}

security_team := lower(data.certops.config.security_team)

security_approved if {
	some a in independent_approvals
	some team in object.get(a, "teams", [])
	lower(team) == security_team
}

# A wildcard certificate can impersonate every host of its zone: the security team reviews it.
results contains {
	"id": "approvals.wildcard_security",
	"level": "deny",
	"message": msg,
} if {
	in_review
	some name in object.get(cert, "dnsNames", [])
	lib.is_wildcard(name)
	not security_approved
	msg := sprintf("wildcard certificate %s needs an approval from a member of %s", [cert.name, data.certops.config.security_team])
}
