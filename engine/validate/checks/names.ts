// Subject names: DNS names valid (IDN as punycode, wildcard only as the whole left-most label),
// IP addresses valid, no name listed twice, at least one name, common name among the SANs.
import { isIP } from 'node:net';
import { normalizeDnsName } from '../../util/dnsname.ts';
import type { PathSegment } from '../../loader/positions.ts';
import { formatPath } from '../../diagnostics.ts';
import type { Check, ObjectFinding } from '../check.ts';
import { validOf } from '../check.ts';

/** IPv6 in canonical form (::1, 2001:db8::1), IPv4 unchanged. */
export function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

export const subjectNames: Check = (ctx) => {
  const out: ObjectFinding[] = [];
  for (const o of validOf(ctx, 'Certificate')) {
    const spec = o.value.spec;
    const seen = new Map<string, PathSegment[]>();
    const once = (key: string, path: PathSegment[], shown: string): void => {
      const prev = seen.get(key);
      if (prev) {
        out.push({
          object: o,
          code: 'duplicate-san',
          path,
          message: `"${shown}" is already listed at ${formatPath(prev)}`,
          hint: 'Remove the repeated name.',
        });
      } else seen.set(key, path);
    };
    spec.dnsNames?.forEach((name, i) => {
      const path = ['spec', 'dnsNames', i];
      const r = normalizeDnsName(name);
      if (!r.ok)
        out.push({
          object: o,
          code: 'bad-dns-name',
          path,
          message: `"${name}" ${r.reason}`,
          hint: r.hint,
        });
      else
        once(
          `dns:${r.ascii}`,
          path,
          r.ascii === name.toLowerCase() ? name : `${name} (${r.ascii})`,
        );
    });
    spec.ipAddresses?.forEach((ip, i) => {
      const path = ['spec', 'ipAddresses', i];
      if (!isIP(ip))
        out.push({
          object: o,
          code: 'bad-ip-address',
          path,
          message: `"${ip}" is not an IPv4 or IPv6 address`,
          hint: 'Write a literal address such as 10.0.0.1 or 2001:db8::1.',
        });
      else once(`ip:${canonicalIp(ip)}`, path, ip);
    });
    spec.emailAddresses?.forEach((e, i) =>
      once(`email:${e.toLowerCase()}`, ['spec', 'emailAddresses', i], e),
    );
    spec.uris?.forEach((u, i) => once(`uri:${u}`, ['spec', 'uris', i], u));
    const sans =
      (spec.dnsNames?.length ?? 0) +
      (spec.ipAddresses?.length ?? 0) +
      (spec.emailAddresses?.length ?? 0) +
      (spec.uris?.length ?? 0);
    if (sans === 0) {
      // RFC 5280 and the CA/Browser Forum require subject alternative names; clients ignore the CN.
      out.push({
        object: o,
        code: 'no-names',
        path: ['spec'],
        at: 'key',
        message: spec.commonName
          ? 'certificate has a common name but no subject alternative names'
          : 'certificate has no names',
        hint: spec.commonName
          ? `Add "${spec.commonName}" to spec.dnsNames (or a URI or e-mail name); clients ignore the common name.`
          : 'Add spec.dnsNames (or ipAddresses, emailAddresses, uris).',
      });
    }
    const cn = spec.commonName;
    if (cn && (spec.dnsNames?.length || spec.ipAddresses?.length)) {
      const asDns = normalizeDnsName(cn);
      const key = isIP(cn) ? `ip:${canonicalIp(cn)}` : asDns.ok ? `dns:${asDns.ascii}` : undefined;
      if (!key || !seen.has(key)) {
        out.push({
          object: o,
          severity: 'warning',
          code: 'common-name-not-in-sans',
          path: ['spec', 'commonName'],
          message: `commonName "${cn}" is not among the subject alternative names`,
          hint: 'Add it to spec.dnsNames (clients ignore the common name).',
        });
      }
    }
  }
  return out;
};
