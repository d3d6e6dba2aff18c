// Policy benchmarks for `npm run bench` (issue 4's targets):
// - policy-eval: evaluations/s of the shipped policies (certops/results) through the OPA SDK,
//   in process, with a ~2 KB certificate input built by the engine's own input builder;
// - plan-policy-10k: `certops plan --json` over 10,000 certificates with the shipped policies
//   (data.json assigns each generated team its zone, so results are the exception, as in a
//   real repository);
// - policy-build: `certops policy build` of the shipped policies, cold (empty cache) and cached.
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { policyInput, type PolicyInput } from '../engine/policy/input.ts';
import { RESULTS_ENTRYPOINT } from '../engine/policy/evaluate.ts';
import { loadRepoPolicy } from '../engine/policy/repo-policy.ts';
import { desiredCertificates } from '../engine/plan/desired.ts';
import { validateRepository } from '../engine/validate/validate-repo.ts';
import { commitAll, generateRepo } from './gen-repo.ts';

export interface CliRun {
  wallMs: number;
  maxRssKiB: number;
  code: number;
}

const NOW = new Date('2026-12-01T00:00:00Z');

/**
 * A typical ~2 KB input: an example certificate (4 SANs) renewed in a pull request, with the
 * discovered certificate, two approvals, labels and the paths the pull request touches.
 * `extraNames` adds SANs for the heavy variant (each SAN is checked against the team's zones).
 */
export async function typicalInput(root: string, extraNames = 0): Promise<PolicyInput> {
  const model = (await validateRepository(root, { now: NOW })).model;
  const d = desiredCertificates(model).find((c) => c.name === 'legacy-batch');
  if (!d) throw new Error('legacy-batch is missing from the example repository');
  const names = Array.from(
    { length: 3 + extraNames },
    (_, i) => `node-${i}.batch.payments.example.com`,
  );
  const input = policyInput({
    desired: { ...d, dnsNames: [...d.dnsNames, ...names] },
    change: {
      certificate: d.name,
      action: 'renew',
      reasons: [{ code: 'RenewalWindow', message: 'expires in 20 days' }],
      deploy: [],
      undeploy: [],
      operationId: 'op-bench',
    },
    model,
    now: NOW,
    approvals: [
      { login: 'alice', teams: ['@example/payments', '@example/oncall'] },
      { login: 'bob', teams: ['@example/security'] },
    ],
    repo: {
      author: 'dave',
      changedPaths: [
        'certs.d/payments/legacy-batch.yaml',
        'certs.d/payments/_defaults.yaml',
        'certs.d/payments/waivers/legacy-batch-rsa.yaml',
        'docs/runbooks/payments-batch-certificates.md',
      ],
    },
    discovered: {
      serial: '4f1c9a0b7d2e55aa10c3',
      notBefore: '2026-01-10T08:00:00Z',
      notAfter: '2026-12-21T08:00:00Z',
      issuer: 'CN=Example Issuing CA,OU=Platform Security,O=Example Corporation,C=DE',
      fingerprint: 'ab'.repeat(32),
      key: { algorithm: 'RSA', size: 2048 },
    },
  });
  // More labels and a subject, as a real certificate carries (sorted, as the engine writes).
  const labels: Record<string, string> = {
    ...input.certificate.labels,
    'cost-center': 'cc-4711',
    criticality: 'high',
    'data-class': 'confidential',
    service: 'settlement-batch',
  };
  input.certificate.labels = Object.fromEntries(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k] as string]),
  );
  const cert = input.certificate as unknown as Record<string, unknown>;
  cert.subject = {
    country: 'DE',
    locality: 'Berlin',
    organization: 'Example Corporation',
    organizationalUnit: 'Payments',
  };
  input.certificate = Object.fromEntries(
    Object.keys(cert)
      .sort()
      .map((k) => [k, cert[k]]),
  ) as unknown as PolicyInput['certificate'];
  return input;
}

export async function policyEvalBench(
  root: string,
  extraNames = 0,
  /** evaluations/s to pass; none for an informational run */
  target?: number,
): Promise<Record<string, number | boolean>> {
  const policy = await loadRepoPolicy(root, {
    cacheDir: path.join(root, 'bench/.out/policy-cache'),
  });
  if (!policy) throw new Error('no policies/ in the repository');
  const input = await typicalInput(root, extraNames);
  const bytes = JSON.stringify(input).length;
  const results = policy.bundle.evaluate(input, RESULTS_ENTRYPOINT);
  if (!Array.isArray(results[0]?.result)) throw new Error('certops/results gave no result set');
  // Steady state: V8 tiers the hot wasm functions up to optimised code during the warm-up.
  for (let i = 0; i < 30_000; i++) policy.bundle.evaluate(input, RESULTS_ENTRYPOINT);
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) policy.bundle.evaluate(input, RESULTS_ENTRYPOINT);
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = Math.round(rates[2] as number);
  return {
    inputBytes: bytes,
    resultsPerEvaluation: (results[0]?.result as unknown[]).length,
    evaluationsPerSecond: median,
    minEvaluationsPerSecond: Math.round(rates[0] as number),
    ...(target !== undefined ? { pass: median >= target } : {}),
  };
}

/** The 10k generated repository, committed, with the shipped policies and matching zones. */
export async function planPolicyRepo(root: string, out: string): Promise<string> {
  const repo = path.join(out, 'plan-policy-10k');
  const marker = path.join(repo, '.complete-policy');
  if (
    await stat(marker).then(
      () => true,
      () => false,
    )
  )
    return repo;
  await rm(repo, { recursive: true, force: true });
  await cp(await generateRepo(path.join(out, 'repo-10000'), 10_000), repo, { recursive: true });
  await cp(path.join(root, 'policies'), path.join(repo, 'policies'), { recursive: true });
  const dataFile = path.join(repo, 'policies/data.json');
  const data = JSON.parse(await readFile(dataFile, 'utf8')) as {
    certops: { zones: Record<string, string[]> };
  };
  data.certops.zones = Object.fromEntries(
    Array.from({ length: 100 }, (_, t) => [`team${t}`, [`team${t}.example.com`]]),
  );
  await writeFile(dataFile, `${JSON.stringify(data, null, 2)}\n`);
  await commitAll(repo);
  await mkdir(repo, { recursive: true });
  await writeFile(marker, '');
  return repo;
}
