// `npm start`: the main job on the example repository, offline, in a scratch workspace
// (.certops-work/demo): create the private CA, plan, apply to file targets, a hook and a local
// TLS endpoint (nginx when installed, else a built-in server), print status and the state-branch
// log; then move the clock 61 days on and renew what is due, verified over TLS.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';
import { stringify } from 'yaml';
import { main } from '../cli/main.ts';
import { processIO } from '../cli/io.ts';
import { systemClock } from '../clock.ts';
import { exportPrivateKeyPem, webCryptoKeyFactory } from '../crypto/keys.ts';
import { selfSignedIssuer } from '../issuers/self-signed/issuer.ts';
import { nodeTlsProbe } from '../net/tls-probe.ts';
import { openGitStateStore } from '../state/index.ts';
import { startEndpoint, type Endpoint } from './endpoint.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** CERTOPS_DEMO_DIR moves the workspace (tests run the demo in a temp directory). */
const WS = process.env.CERTOPS_DEMO_DIR ?? path.join(ROOT, '.certops-work', 'demo');
const REPO = path.join(WS, 'repo');
const HOME = path.join(WS, 'home');
const EDGE = path.join(REPO, 'deploy', 'nginx');
const DAY = 86_400_000;

const say = (text: string): void =>
  void process.stdout.write(
    `\n\u001b[1m── ${text} ${'─'.repeat(Math.max(0, 70 - text.length))}\u001b[0m\n`,
  );

async function certops(...args: string[]): Promise<number> {
  process.stdout.write(`\u001b[2m$ certops ${args.join(' ')}\u001b[0m\n`);
  const io = {
    ...processIO(),
    env: { ...process.env, CERTOPS_HOME: HOME, CERTOPS_DEPLOY_ROOT: REPO },
  };
  return main(['--repo', REPO, ...args], io);
}

function expectCode(code: number, allowed: number[], what: string): void {
  if (!allowed.includes(code)) throw new Error(`${what} exited ${code}`);
}

/** The edge already serves an old self-signed certificate, as a load balancer would. */
async function bootstrapEdge(): Promise<void> {
  await mkdir(EDGE, { recursive: true });
  const key = await webCryptoKeyFactory.generate({ algorithm: 'ECDSA', size: 256 });
  const now = systemClock.now();
  const cert = await selfSignedIssuer.issue(
    { name: 'bootstrap', spec: { type: 'selfSigned' }, home: HOME, clock: systemClock },
    {
      operationId: 'bootstrap',
      certificate: 'shop-edge',
      dnsNames: ['shop.example.com'],
      ipAddresses: [],
      emailAddresses: [],
      uris: [],
      keyUsages: ['digitalSignature'],
      extendedKeyUsages: ['serverAuth'],
      notBefore: now,
      notAfter: new Date(now.getTime() + 7 * DAY),
      key,
    },
  );
  await writeFile(path.join(EDGE, 'shop-edge.fullchain.pem'), cert.certificatePem);
  await writeFile(path.join(EDGE, 'shop-edge.key'), await exportPrivateKeyPem(key.privateKey), {
    mode: 0o600,
  });
}

async function prepareRepo(endpoint: Endpoint): Promise<void> {
  const target = {
    apiVersion: 'certops/v1',
    kind: 'Target',
    metadata: { name: 'edge-nginx' },
    spec: {
      type: 'nginx',
      directory: 'deploy/nginx',
      files: { fullchain: '{name}.fullchain.pem', key: '{name}.key' },
      configTest: endpoint.configTestArgv,
      reload: endpoint.reloadArgv,
      verify: {
        host: '127.0.0.1',
        port: endpoint.port,
        serverName: 'shop.example.com',
        timeout: '10s',
      },
    },
  };
  const note = `# Rewritten by the demo: the local ${endpoint.kind} endpoint on port ${endpoint.port}.\n`;
  await writeFile(
    path.join(REPO, 'certs.d/platform/targets/edge-nginx.yaml'),
    note + stringify(target),
  );
  await writeFile(path.join(REPO, '.gitignore'), 'deploy/\n');
  await git.init({ fs, dir: REPO, defaultBranch: 'main' });
  await git.add({ fs, dir: REPO, filepath: '.' });
  await git.commit({
    fs,
    dir: REPO,
    message: 'Desired state for the demo',
    author: { name: 'certops demo', email: 'demo@example.com' },
  });
}

async function showEdge(endpoint: Endpoint): Promise<void> {
  const served = await nodeTlsProbe.fingerprint(
    '127.0.0.1',
    endpoint.port,
    'shop.example.com',
    5000,
  );
  const store = openGitStateStore({ dir: REPO, clock: systemClock });
  const rec = (await store.read()).inventory.get('shop-edge');
  const match = rec?.fingerprintSha256 === served;
  process.stdout.write(
    `${endpoint.kind} on 127.0.0.1:${endpoint.port} serves ${served.slice(0, 16)}…, serial ${rec?.serial ?? '?'}: ${match ? 'the recorded certificate ✓' : 'NOT the recorded certificate ✗'}\n`,
  );
  if (!match) throw new Error('the endpoint does not serve the recorded certificate');
}

async function run(): Promise<void> {
  await rm(WS, { recursive: true, force: true });
  await mkdir(WS, { recursive: true });
  await cp(path.join(ROOT, 'certs.d'), path.join(REPO, 'certs.d'), { recursive: true });
  await cp(path.join(ROOT, 'certops.yaml'), path.join(REPO, 'certops.yaml'));
  await cp(path.join(ROOT, 'policies'), path.join(REPO, 'policies'), { recursive: true });
  await bootstrapEdge();
  const endpoint = await startEndpoint(
    path.join(EDGE, 'shop-edge.fullchain.pem'),
    path.join(EDGE, 'shop-edge.key'),
    { preferNginx: process.env.CERTOPS_DEMO_NGINX !== '0' },
  );
  try {
    await prepareRepo(endpoint);
    say(
      `workspace ${path.relative(process.cwd(), WS) || WS}; TLS endpoint: ${endpoint.kind} on port ${endpoint.port}`,
    );
    say('validate the desired state');
    expectCode(await certops('validate'), [0], 'validate');
    say('create the private CA (keys in the workspace home, never in Git)');
    expectCode(await certops('init', '--ca'), [0], 'init --ca');
    say('plan: every change judged by the shipped policies (policies/, Rego compiled to wasm)');
    expectCode(await certops('plan'), [2], 'plan');
    say('apply the private CA certificates (ACME ones need an ACME server: they stay planned)');
    expectCode(await certops('apply', '--issuer', 'private-ca'), [0], 'apply');
    await showEdge(endpoint);
    say('status');
    expectCode(await certops('status'), [0], 'status');
    const later = new Date(systemClock.now().getTime() + 61 * DAY).toISOString().slice(0, 10);
    say(`61 days later (--now ${later}): certificates 30 days from expiry renew`);
    expectCode(await certops('--now', later, 'plan', '--issuer', 'private-ca'), [2], 'plan');
    expectCode(await certops('--now', later, 'apply', '--issuer', 'private-ca'), [0], 'apply');
    await showEdge(endpoint);
    expectCode(await certops('--now', later, 'status'), [0], 'status');
    say('the audit trail: the state branch');
    const log = await openGitStateStore({ dir: REPO, clock: systemClock }).log(12);
    for (const c of log) process.stdout.write(`${c.sha.slice(0, 8)} ${c.message.split('\n')[0]}\n`);
    process.stdout.write(`… see all: git -C ${REPO} log certops/state\n`);
    say('done');
    process.stdout.write(
      `Deployed files: ${path.join(REPO, 'deploy')}\nCA and keys:    ${HOME} (mode 0600, outside the repository)\n`,
    );
  } finally {
    await endpoint.stop();
  }
}

run().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
