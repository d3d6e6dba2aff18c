// acme-100: 100 certificates issued through `certops apply --concurrency 8` against a local
// pebble, compared in the same run with bench/acme-bare.ts (a bare acme-client script issuing
// 100 the same way at concurrency 8). Both are whole processes timed from spawn to exit; they
// alternate, three runs each, and the medians are compared. Target: certops' overhead ≤ 20 %.
import { spawn } from 'node:child_process';
import { commitAll } from './gen-repo.ts';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startPebble } from '../test/pebble.ts';

const COUNT = 100;
const CONCURRENCY = 8;

function timed(cmd: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - start)
        : reject(new Error(`${path.basename(args[1] ?? cmd)} exited ${code}: ${err}`)),
    );
  });
}

export async function acmeRepo(
  dir: string,
  directoryUrl: string,
  httpPort: number,
  prefix: string,
) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'certs.d', 'certs'), { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), 'deploy/\n.home/\n');
  await writeFile(
    path.join(dir, 'certs.d/objects.yaml'),
    `apiVersion: certops/v1\nkind: Issuer\nmetadata:\n  name: pebble\nspec:\n  type: acme\n` +
      `  directoryUrl: ${directoryUrl}\n  termsOfServiceAgreed: true\n` +
      `  solvers:\n    - http01: { port: ${httpPort} }\n---\n` +
      'apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: files\nspec:\n  type: file\n  directory: deploy\n',
  );
  for (let i = 0; i < COUNT; i++) {
    await writeFile(
      path.join(dir, 'certs.d/certs', `c${i}.yaml`),
      `apiVersion: certops/v1\nkind: Certificate\nmetadata:\n  name: c${i}\nspec:\n  issuer: pebble\n` +
        `  dnsNames: [${prefix}${i}.example.com]\n  deploy:\n    - target: files\n`,
    );
  }
  await commitAll(dir);
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function acmeBench(
  root: string,
  out: string,
): Promise<Record<string, number | string | boolean>> {
  const pebble = await startPebble();
  try {
    const caFile = path.join(out, 'pebble-api-ca.pem');
    await mkdir(out, { recursive: true });
    await writeFile(caFile, pebble.apiCa);
    const env = { NODE_EXTRA_CA_CERTS: caFile };
    const tsx = [path.join(root, 'node_modules/tsx/dist/cli.mjs')];
    const bare: number[] = [];
    const certops: number[] = [];
    for (let run = 0; run < 3; run++) {
      const bareOut = path.join(out, `acme-bare-${run}`);
      await rm(bareOut, { recursive: true, force: true });
      bare.push(
        await timed(
          process.execPath,
          [
            ...tsx,
            path.join(root, 'bench/acme-bare.ts'),
            pebble.directoryUrl,
            String(pebble.httpPort),
            String(COUNT),
            String(CONCURRENCY),
            bareOut,
            `b${run}-`,
          ],
          env,
        ),
      );
      if ((await readdir(bareOut)).length !== 2 * COUNT)
        throw new Error('bare run wrote too few files');
      const repo = path.join(out, `acme-repo-${run}`);
      await acmeRepo(repo, pebble.directoryUrl, pebble.httpPort, `r${run}-`);
      certops.push(
        await timed(
          process.execPath,
          [
            path.join(root, 'bin/certops.js'),
            '--repo',
            repo,
            'apply',
            '--concurrency',
            String(CONCURRENCY),
          ],
          { ...env, CERTOPS_HOME: path.join(repo, '.home') },
        ),
      );
      if (
        (await readdir(path.join(repo, 'deploy'))).filter((f) => f.endsWith('.crt')).length !==
        COUNT
      )
        throw new Error('certops deployed too few certificates');
    }
    const overhead = median(certops) / median(bare) - 1;
    return {
      certificates: COUNT,
      concurrency: CONCURRENCY,
      certopsMedianSeconds: +(median(certops) / 1000).toFixed(2),
      bareMedianSeconds: +(median(bare) / 1000).toFixed(2),
      certopsRunsSeconds: certops.map((x) => +(x / 1000).toFixed(2)).join(' '),
      bareRunsSeconds: bare.map((x) => +(x / 1000).toFixed(2)).join(' '),
      overheadPercent: +(overhead * 100).toFixed(1),
      pass: overhead <= 0.2,
    };
  } finally {
    await pebble.stop();
  }
}
