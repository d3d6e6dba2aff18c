// DNS names in certificates (RFC 5280 §4.2.1.6, RFC 1123 host names, CA/B Forum wildcard rules).
// Names are normalised to lower-case ASCII; internationalised names become punycode (A-labels).
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

export type DnsNameResult =
  { ok: true; ascii: string; wildcard: boolean } | { ok: false; reason: string; hint: string };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function normalizeDnsName(input: string): DnsNameResult {
  const fail = (reason: string, hint: string): DnsNameResult => ({ ok: false, reason, hint });
  if (input.length === 0) return fail('is empty', 'Remove the empty entry.');
  if (/\s/.test(input)) return fail('contains white space', 'Remove the spaces.');
  if (input.endsWith('.')) {
    return fail('ends with a dot', `Write it without the trailing dot: "${input.slice(0, -1)}".`);
  }
  if (isIP(input)) {
    return fail('is an IP address, not a DNS name', 'List it under spec.ipAddresses instead.');
  }
  const wildcard = input.startsWith('*.');
  const rest = wildcard ? input.slice(2) : input;
  if (rest.includes('*')) {
    return fail(
      'has a wildcard that is not the whole left-most label',
      'A wildcard may only be the first label on its own, as in "*.example.com".',
    );
  }
  const labels = rest.split('.');
  if (labels.some((l) => l.length === 0)) {
    return fail(
      'has an empty label (two dots in a row, or a leading dot)',
      'Remove the extra dot.',
    );
  }
  // Only non-ASCII input goes through IDNA; ASCII input is checked as written (domainToASCII
  // would silently accept characters such as '_' that are not allowed in host names).
  const ascii = /^[\x00-\x7f]*$/.test(rest) ? rest.toLowerCase() : domainToASCII(rest);
  if (ascii === '') {
    return fail('is not a valid internationalised domain name', 'Check the spelling of the name.');
  }
  for (const label of ascii.split('.')) {
    if (label.length > 63) {
      return fail(
        `has a label longer than 63 characters ("${label.slice(0, 20)}...")`,
        'Shorten the label.',
      );
    }
    if (!LABEL.test(label)) {
      return fail(
        `has an invalid label "${label}"`,
        'Labels hold letters, digits and hyphens, and neither start nor end with a hyphen.',
      );
    }
    if (label.startsWith('xn--') && domainToASCII(label) === '') {
      return fail(
        `has an invalid punycode label "${label}"`,
        'Write the name in Unicode or fix the xn-- label.',
      );
    }
  }
  const full = (wildcard ? '*.' : '') + ascii;
  if (full.length > 253) return fail('is longer than 253 characters', 'Use a shorter name.');
  if (wildcard && ascii.split('.').length < 2) {
    return fail(
      'is a wildcard over a top-level domain',
      'Wildcards need at least two labels after "*.".',
    );
  }
  return { ok: true, ascii: full, wildcard };
}
