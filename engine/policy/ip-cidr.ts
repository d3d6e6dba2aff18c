// IP addresses and CIDR blocks as Go's net.ParseIP / net.ParseCIDR read them, for
// net.cidr_contains. Addresses are bigints with their bit length (32 or 128). Forms whose Go
// reading is subtle (IPv4 inside IPv6 text such as ::ffff:1.2.3.4, IPv4-mapped addresses, zones,
// a prefix length with a leading zero) throw CidrUnsupported rather than guess.

export class CidrUnsupported extends Error {}

export interface Ip {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

export interface Cidr extends Ip {
  readonly prefix: number;
}

/** An IPv4 or IPv6 address, or null when Go would not parse it. */
export function parseIp(s: string): Ip | null {
  if (s.includes('%')) throw new CidrUnsupported(`IP address with a zone: ${s}`);
  if (s.includes(':')) {
    if (s.includes('.')) throw new CidrUnsupported(`IPv6 address with IPv4 text: ${s}`);
    return parseIpv6(s);
  }
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    value = (value << 8n) | BigInt(p);
  }
  return { bits: 32, value };
}

function parseIpv6(s: string): Ip | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] | null => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : null;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return null;
  const n = head.length + tail.length;
  if (halves.length === 2 ? n > 7 : n !== 8) return null;
  const all = [...head, ...Array<string>(8 - n).fill('0'), ...tail];
  let value = 0n;
  for (const g of all) value = (value << 16n) | BigInt(parseInt(g, 16));
  // Go reads IPv4-mapped addresses (::ffff:0:0/96) as IPv4 in some places and not in others.
  if (value >> 32n === 0xffffn) throw new CidrUnsupported(`IPv4-mapped IPv6 address: ${s}`);
  return { bits: 128, value };
}

/** `addr/len`, or null when Go's ParseCIDR would fail. The value is the network address. */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(len)) return null;
  if (len.length > 1 && len.startsWith('0')) {
    throw new CidrUnsupported(`CIDR prefix length with a leading zero: ${s}`);
  }
  const prefix = Number(len);
  if (prefix > ip.bits) return null;
  return { bits: ip.bits, prefix, value: ip.value & mask(ip.bits, prefix) };
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Does the block hold the address (same family only, as Go's IPNet.Contains)? */
export function cidrHolds(net: Cidr, ip: Ip): boolean {
  return ip.bits === net.bits && (ip.value & mask(net.bits, net.prefix)) === net.value;
}

/** Does block `a` hold both the first and the last address of block `b`? */
export function cidrHoldsCidr(a: Cidr, b: Cidr): boolean {
  const last = b.value | ((1n << BigInt(b.bits - b.prefix)) - 1n);
  return cidrHolds(a, b) && cidrHolds(a, { bits: b.bits, value: last });
}
