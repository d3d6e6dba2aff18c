import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/helpers.ts';
import type { Model } from '../model/object.ts';
import { desiredCertificates, type DesiredCertificate } from '../plan/desired.ts';
import type { Change } from '../plan/planner.ts';
import { compile } from '../regoc/index.ts';
import { validateRepository } from '../validate/validate-repo.ts';
import {
  evaluateChanges,
  parseResults,
  PolicyResultError,
  RESULTS_ENTRYPOINT,
  type EvaluateArgs,
  type PolicyEvaluator,
} from './evaluate.ts';
import { loadPolicyBundle } from './loader.ts';
import { bundleEvaluator } from './repo-policy.ts';

// A real policy, compiled by regoc and run through the OPA SDK: RSA below 3072 bits gets the
// rule the example repository's waiver (certs.d/payments/waivers/legacy-batch-rsa.yaml) names.
const POLICY = `package certops
import rego.v1

results contains {
	"id": "crypto.rsa_recommended_size",
	"level": "warn",
	"message": sprintf("RSA key of %v bits", [input.certificate.privateKey.size]),
	"path": "spec.privateKey.size",
} if {
	input.certificate.privateKey.algorithm == "RSA"
	input.certificate.privateKey.size < 3072
}

results contains {"id": "names.example", "level": "deny", "message": "no .example.net names"} if {
	some n in input.certificate.dnsNames
	endswith(n, ".example.net")
}
`;

const NOW = new Date('2026-12-01T00:00:00Z');
let model: Model;
let desired: DesiredCertificate[];
let evaluator: PolicyEvaluator;

beforeAll(async () => {
  model = (await validateRepository(REPO_ROOT, { now: NOW })).model;
  desired = desiredCertificates(model);
  const built = compile([{ path: 'policies/p.rego', text: POLICY }], {
    entrypoints: [RESULTS_ENTRYPOINT],
  });
  if (!built.ok) throw new Error(JSON.stringify(built.diagnostics));
  evaluator = bundleEvaluator(await loadPolicyBundle({ wasm: built.wasm }));
});

const issue = (certificate: string): Change => ({
  certificate,
  action: 'issue',
  reasons: [{ code: 'NotIssued', message: 'never issued' }],
  deploy: [],
  undeploy: [],
  operationId: `op-${certificate}`,
});

/** evaluateChanges for the example model: legacy-batch issued now, unless `over` says otherwise. */
const judge = (over: Partial<EvaluateArgs> = {}) =>
  evaluateChanges({
    changes: [issue('legacy-batch')],
    desired,
    model,
    evaluator,
    now: NOW,
    maxWaiverDays: 365,
    ...over,
  });

describe('evaluateChanges with a compiled policy', () => {
  it('waives the example repository’s RSA 2048 warning and locates it at its YAML line', () => {
    const r = judge();
    expect(r.evaluated).toBe(1);
    expect(r.denied).toBe(false);
    expect(r.summary).toEqual({ deny: 0, warn: 0, waived: 1, expiredWaivers: 0 });
    const w = r.changes[0]?.waived[0];
    expect(w?.waiver).toBe('legacy-batch-rsa');
    expect(w?.result.message).toBe('RSA key of 2048 bits');
    expect(w?.result.location).toMatchObject({
      file: 'certs.d/payments/legacy-batch.yaml',
      line: 10,
      path: 'spec.privateKey.size',
    });
    expect(r.waiverWarnings).toEqual([]);
  });

  it('turns the result back into a counting one once the waiver has expired', () => {
    const later = new Date('2027-07-01T00:00:00Z');
    const r = judge({ now: later });
    expect(r.summary).toEqual({ deny: 0, warn: 1, waived: 0, expiredWaivers: 1 });
    expect(r.changes[0]?.failed.map((f) => f.id)).toEqual(['crypto.rsa_recommended_size']);
    expect(r.changes[0]?.expiredWaiver[0]?.waiver).toBe('legacy-batch-rsa');
  });

  it('ignores a waiver beyond the horizon and warns about it', () => {
    const r = judge({ maxWaiverDays: 30 });
    expect(r.summary.warn).toBe(1);
    expect(r.waiverWarnings).toEqual([
      {
        waiver: 'legacy-batch-rsa',
        file: 'certs.d/payments/waivers/legacy-batch-rsa.yaml',
        reason: 'beyond-horizon',
      },
    ]);
  });

  it('warns about a waiver whose certificate was judged and gave no matching result', () => {
    const r = judge({ evaluator: { results: () => [] } }); // the violation is fixed
    expect(r.changes).toEqual([]);
    expect(r.waiverWarnings.map((w) => [w.waiver, w.reason])).toEqual([
      ['legacy-batch-rsa', 'matches-nothing'],
    ]);
  });

  it('says nothing about waivers of certificates the plan does not touch', () => {
    const clean = desired.find((d) => d.key.algorithm !== 'RSA');
    expect(clean).toBeDefined();
    const r = judge({ changes: [issue(clean?.name ?? '')] });
    expect(r.changes).toEqual([]);
    expect(r.waiverWarnings).toEqual([]);
  });

  it('skips changes for certificates no longer declared (retire)', () => {
    const r = judge({ changes: [{ ...issue('gone'), action: 'retire' }] });
    expect(r.evaluated).toBe(0);
  });
});

describe('parseResults (policy output is untrusted)', () => {
  const ok = { id: 'a.b', level: 'deny', message: 'm' };
  it('accepts result sets and undefined', () => {
    expect(parseResults([], 'c')).toEqual([]);
    expect(parseResults([{ result: [ok, { ...ok, path: 'spec.x' }] }], 'c')).toHaveLength(2);
  });
  it('sorts a result set whatever order the module dumped it in', () => {
    const b = { id: 'b.rule', level: 'warn', message: 'm' };
    const a2 = { id: 'a.rule', level: 'warn', message: 'z' };
    const a1 = { id: 'a.rule', level: 'deny', message: 'z' };
    expect(parseResults([{ result: [b, a2, a1] }], 'c')).toEqual([a1, a2, b]);
  });
  it.each([
    ['not a set', [{ result: { id: 'x' } }], /is not a set of results/],
    ['a bare string', [{ result: ['deny'] }], /is not an object/],
    ['a bad level', [{ result: [{ ...ok, level: 'error' }] }], /a\.b for c: "level"/],
    ['an empty message', [{ result: [{ ...ok, message: '' }] }], /"message"/],
    ['an extra field', [{ result: [{ ...ok, severity: 1 }] }], /unknown field "severity"/],
    ['a bad id', [{ result: [{ ...ok, id: 'Not An Id' }] }], /"id" must be a rule id/],
  ])('refuses %s', (_name, rs, re) => {
    expect(() => parseResults(rs, 'c')).toThrow(PolicyResultError);
    expect(() => parseResults(rs, 'c')).toThrow(re);
  });
});
