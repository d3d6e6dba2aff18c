// The one code path that decides what a policy result means once waivers are applied: failed,
// waived, or failed again because its waiver expired. Pure. Waived results are always returned
// (never hidden); a waiver that matches nothing, or reaches too far into the future, is reported.
import { waiverExpiresAt } from '../validate/checks/waivers.ts';

export interface PolicyResult {
  /** Rule id, e.g. crypto.rsa_recommended_size. */
  id: string;
  level: 'deny' | 'warn';
  message: string;
  subject: { kind: string; name: string; labels: Readonly<Record<string, string>> };
  /** Field in the subject's spec the result is about (spec.privateKey.size), for locating it. */
  path?: string;
}

export interface WaiverView {
  name: string;
  rule: string;
  subject: { kind?: string; names?: string[]; matchLabels?: Readonly<Record<string, string>> };
  owner: string;
  justification: string;
  /** Date (end of that day, UTC) or RFC 3339 time. */
  expires: string;
}

export interface Waived {
  result: PolicyResult;
  waiver: WaiverView;
}

export interface Partition {
  /** Results that count: deny makes plan exit 4, warn is shown. Includes expired-waiver results. */
  failed: PolicyResult[];
  /** Results a valid waiver covers: shown, do not count. */
  waived: Waived[];
  /** Results whose only waivers have expired: they count again (also listed in `failed`). */
  expiredWaiver: Waived[];
  /** Waivers that cover nothing, or whose expiry is beyond the allowed horizon (then ignored). */
  waiverWarnings: { waiver: WaiverView; reason: 'matches-nothing' | 'beyond-horizon' }[];
}

const DAY = 86_400_000;

export function waiverMatches(w: WaiverView, r: PolicyResult): boolean {
  if (w.rule !== r.id) return false;
  const s = w.subject;
  if (s.kind !== undefined && s.kind !== r.subject.kind) return false;
  if (s.names !== undefined && !s.names.includes(r.subject.name)) return false;
  for (const [k, v] of Object.entries(s.matchLabels ?? {}))
    if (r.subject.labels[k] !== v) return false;
  return true;
}

export function partitionResults(
  results: readonly PolicyResult[],
  waivers: readonly WaiverView[],
  now: Date,
  opts: { maxHorizonDays: number },
): Partition {
  const out: Partition = { failed: [], waived: [], expiredWaiver: [], waiverWarnings: [] };
  const horizon = now.getTime() + opts.maxHorizonDays * DAY;
  const usable = waivers.filter((w) => {
    if (waiverExpiresAt(w.expires).getTime() <= horizon) return true;
    out.waiverWarnings.push({ waiver: w, reason: 'beyond-horizon' });
    return false;
  });
  const used = new Set<string>();
  for (const r of results) {
    const matching = usable.filter((w) => waiverMatches(w, r));
    for (const w of matching) used.add(w.name);
    const live = matching.find((w) => waiverExpiresAt(w.expires).getTime() >= now.getTime());
    if (live) out.waived.push({ result: r, waiver: live });
    else if (matching[0]) {
      out.expiredWaiver.push({ result: r, waiver: matching[0] });
      out.failed.push(r);
    } else out.failed.push(r);
  }
  for (const w of usable)
    if (!used.has(w.name)) out.waiverWarnings.push({ waiver: w, reason: 'matches-nothing' });
  return out;
}
