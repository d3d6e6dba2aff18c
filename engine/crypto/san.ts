// Reads Node's X509Certificate.subjectAltName text: `DNS:a, IP Address:10.0.0.1, email:x@y,
// URI:spiffe://...`. Node (>= 17.3) JSON-quotes a value holding a separator, so a comma inside a
// name cannot forge an extra entry; unquoted values run to the next ", ".
export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
}

const ENTRY_SOURCE = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/.source;

export function parseSubjectAltName(text: string | undefined): SubjectAltNames {
  const out: SubjectAltNames = { dnsNames: [], ipAddresses: [], emailAddresses: [], uris: [] };
  if (!text) return out;
  const ENTRY = new RegExp(ENTRY_SOURCE, 'y');
  while (ENTRY.lastIndex < text.length) {
    const start = ENTRY.lastIndex;
    const m = ENTRY.exec(text);
    if (!m || ENTRY.lastIndex === start) break; // othername etc. in a form we do not read
    const [, type = '', raw = ''] = m;
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (type === 'DNS') out.dnsNames.push(value);
    else if (type === 'IP Address') out.ipAddresses.push(canonicalIp(value));
    else if (type === 'email') out.emailAddresses.push(value);
    else if (type === 'URI') out.uris.push(value);
  }
  return out;
}

/** Node prints IPv6 uncompressed (`0:0:0:0:0:0:0:1`); the URL parser gives RFC 5952 form (`::1`). */
export function canonicalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip.toLowerCase();
  }
}
