// Micro-benchmark (not a test): evaluations/s of a constant regoc plan through the real SDK
// and the certops loader, with a ~2 KB certificate-shaped input as an object and as an
// ArrayBuffer. Usage: npx tsx bench/regoc-eval.ts
import { loadPolicyBundle } from '../engine/policy/loader.ts';
import { linkPlan } from '../engine/regoc/backend/link.ts';

const input = {
  apiVersion: 'certops.dev/v1',
  kind: 'Certificate',
  metadata: { name: 'api-gateway', labels: { env: 'prod', team: 'platform', tier: 'edge' } },
  spec: {
    commonName: 'api.example.com',
    dnsNames: Array.from({ length: 40 }, (_, i) => `svc-${i}.api.example.com`),
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    duration: '2160h',
    renewBefore: '360h',
    issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' },
    usages: ['digital signature', 'key encipherment', 'server auth'],
  },
  action: 'renew',
  issuer: { name: 'letsencrypt-prod', type: 'acme', public: true },
  facts: {
    serial: '04:9f:2c:11:8a:3b:77:de:01:42:aa:bc:19:7f:c0:d3',
    fingerprint: 'sha256:' + 'ab'.repeat(32),
    signatureAlgorithm: 'ecdsa-with-SHA256',
    notBefore: '2026-09-01T00:00:00Z',
    notAfter: '2026-11-30T00:00:00Z',
  },
  approvals: [
    { user: 'alice', at: '2026-11-20T10:00:00Z' },
    { user: 'bob', at: '2026-11-20T11:00:00Z' },
  ],
  repo: { owner: 'acme', name: 'infra-certs', branch: 'main', path: 'certs.d/prod/api.yaml' },
  now: '2026-11-27T10:00:00Z',
  nowNs: 1795780800123456789n.toString(),
};

const wasm = linkPlan({
  entrypoints: [{ name: 'certops/main', code: [{ op: 'result_const', value: { deny: [] } }] }],
});
const bundle = await loadPolicyBundle({ wasm });
const text = JSON.stringify(input);
const encoder = new TextEncoder();

function rate(label: string, arg: () => unknown): void {
  for (let i = 0; i < 20_000; i++) bundle.evaluate(arg());
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const n = 100_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) bundle.evaluate(arg());
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const fmt = (r: number) => `${Math.round(r / 1000)}k/s`;
  console.log(`${label}: median ${fmt(rates[2] as number)}, min ${fmt(rates[0] as number)}`);
}

console.log(`policy.wasm ${wasm.length} bytes, input ${text.length} bytes`);
rate('object input', () => input);
rate(
  'ArrayBuffer input (stringified per call)',
  () => encoder.encode(JSON.stringify(input)).buffer,
);
