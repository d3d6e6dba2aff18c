// `npm run bench`: end-to-end benchmarks of the real CLI, each against its target. Results are
// printed and written to bench/.out/results.json; docs/performance.md records them.
// Usage: npm run bench [-- name ...]
//   (names: validate-10k, validate-100k, apply-200, policy-eval, policy-eval-heavy,
//    plan-policy-10k, policy-build, state-commit, acme-100)
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateApplyRepo, generateRepo } from './gen-repo.ts';
import { acmeBench } from './acme.ts';
import { stateCommitBench } from './state-commit.ts';
import { planPolicyRepo, policyEvalBench } from './policy.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'bench', '.out');

interface Run {
  wallMs: number;
  maxRssKiB: number;
  userMs: number;
  systemMs: number;
  code: number;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', path.join(ROOT, 'bench/rusage.mjs'), path.join(ROOT, 'bin/certops.js'), ...args],
      {
        stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...env },
      },
    );
    let usage = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (usage += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      resolve({
        wallMs,
        code: code ?? -1,
        ...(JSON.parse(usage || '{}') as Omit<Run, 'wallMs' | 'code'>),
      });
    });
  });
}

interface Bench {
  name: string;
  target: string;
  run: () => Promise<Record<string, number | string | boolean>>;
}

function validateBench(n: number, limitMs: number, limitRssMiB?: number): Bench {
  return {
    name: `validate-${n / 1000}k`,
    target: `< ${limitMs / 1000} s${limitRssMiB ? `, < ${limitRssMiB} MiB RSS` : ''}`,
    async run() {
      const repo = await generateRepo(path.join(OUT, `repo-${n}`), n);
      await runCli(['validate', '--repo', repo]); // warm the file cache and tsx's transform cache
      const runs: Run[] = [];
      for (let i = 0; i < 3; i++) runs.push(await runCli(['validate', '--repo', repo]));
      const bad = runs.find((r) => r.code !== 0);
      if (bad) throw new Error(`validate exited ${bad.code}`);
      const wall = runs.map((r) => r.wallMs).sort((a, b) => a - b);
      const median = wall[1] as number;
      const rssMiB = Math.max(...runs.map((r) => r.maxRssKiB)) / 1024;
      return {
        files: n,
        medianSeconds: +(median / 1000).toFixed(2),
        minSeconds: +((wall[0] as number) / 1000).toFixed(2),
        maxSeconds: +((wall[2] as number) / 1000).toFixed(2),
        peakRssMiB: Math.round(rssMiB),
        cpuSeconds: +((runs[1] as Run).userMs / 1000 + (runs[1] as Run).systemMs / 1000).toFixed(2),
        filesPerSecond: Math.round(n / (median / 1000)),
        pass: median < limitMs && (limitRssMiB === undefined || rssMiB < limitRssMiB),
      };
    },
  };
}

/** apply on N new certificates (private CA, file targets): issuance, deploy, verify, journal. */
function applyBench(n: number): Bench {
  return {
    name: `apply-${n}`,
    target: 'informational (no target set yet)',
    async run() {
      const repo = path.join(OUT, `apply-${n}`);
      await generateApplyRepo(repo, n);
      const init = await runCli(['--repo', repo, 'init', '--ca'], {
        CERTOPS_HOME: path.join(repo, '.home'),
      });
      if (init.code !== 0) throw new Error(`init --ca exited ${init.code}`);
      const r = await runCli(['--repo', repo, 'apply'], { CERTOPS_HOME: path.join(repo, '.home') });
      if (r.code !== 0) throw new Error(`apply exited ${r.code}`);
      const again = await runCli(['--repo', repo, 'plan'], {
        CERTOPS_HOME: path.join(repo, '.home'),
      });
      return {
        certificates: n,
        applySeconds: +(r.wallMs / 1000).toFixed(2),
        certificatesPerSecond: +(n / (r.wallMs / 1000)).toFixed(1),
        stateCommits: n * 7,
        planAfterSeconds: +(again.wallMs / 1000).toFixed(2),
        peakRssMiB: Math.round(r.maxRssKiB / 1024),
      };
    },
  };
}

/** `plan --json` over 10,000 certificates with the shipped policies; median of 3 warm runs. */
function planPolicyBench(): Bench {
  return {
    name: 'plan-policy-10k',
    target: '< 3 s',
    async run() {
      const repo = await planPolicyRepo(ROOT, OUT);
      const env = { CERTOPS_HOME: path.join(OUT, 'plan-policy-home') };
      await runCli(['plan', '--json', '--now', '2026-12-01', '--repo', repo], env);
      const runs: Run[] = [];
      for (let i = 0; i < 3; i++)
        runs.push(await runCli(['plan', '--json', '--now', '2026-12-01', '--repo', repo], env));
      const bad = runs.find((r) => r.code !== 2 && r.code !== 4);
      if (bad) throw new Error(`plan exited ${bad.code}`);
      const wall = runs.map((r) => r.wallMs).sort((a, b) => a - b);
      const median = wall[1] as number;
      return {
        certificates: 10_000,
        exitCode: (runs[0] as Run).code,
        medianSeconds: +(median / 1000).toFixed(2),
        minSeconds: +((wall[0] as number) / 1000).toFixed(2),
        peakRssMiB: Math.round(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024),
        pass: median < 3_000,
      };
    },
  };
}

/** `certops policy build` of the shipped policies: cold (empty cache) and cached, 3 runs each. */
function policyBuildBench(): Bench {
  return {
    name: 'policy-build',
    target: 'cold < 15 s, cached < 1 s',
    async run() {
      const cache = path.join(OUT, 'policy-build-cache');
      const out = path.join(OUT, 'policy-build', 'bundle.tar.gz');
      const build = () =>
        runCli(['policy', 'build', '--repo', ROOT, '--out', out], { CERTOPS_CACHE_DIR: cache });
      const cold: Run[] = [];
      const cached: Run[] = [];
      for (let i = 0; i < 3; i++) {
        await rm(cache, { recursive: true, force: true });
        cold.push(await build());
        cached.push(await build());
      }
      const bad = [...cold, ...cached].find((r) => r.code !== 0);
      if (bad) throw new Error(`policy build exited ${bad.code}`);
      const median = (runs: Run[]) => runs.map((r) => r.wallMs).sort((a, b) => a - b)[1] as number;
      return {
        coldSeconds: +(median(cold) / 1000).toFixed(2),
        cachedSeconds: +(median(cached) / 1000).toFixed(2),
        pass: median(cold) < 15_000 && median(cached) < 1_000,
      };
    },
  };
}

const BENCHES: Bench[] = [
  validateBench(10_000, 3_000),
  validateBench(100_000, 30_000, 1024),
  applyBench(200),
  {
    name: 'policy-eval',
    target: '>= 50,000 evaluations/s',
    run: () => policyEvalBench(ROOT, 0, 50_000),
  },
  {
    name: 'policy-eval-heavy',
    target: 'informational (26 SANs, each checked against the zones)',
    run: () => policyEvalBench(ROOT, 22),
  },
  planPolicyBench(),
  policyBuildBench(),
  { name: 'state-commit', target: '< 10 ms per commit', run: stateCommitBench },
  {
    name: 'acme-100',
    target:
      'certops overhead <= 20 % over bare acme-client (100 certificates, concurrency 8, pebble)',
    run: () => acmeBench(ROOT, path.join(OUT, 'acme')),
  },
];

const wanted = process.argv.slice(2);
const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}`);
await mkdir(OUT, { recursive: true });
const results: Record<string, unknown> = { machine, date: new Date().toISOString() };
let failed = false;
for (const b of BENCHES.filter((x) => wanted.length === 0 || wanted.includes(x.name))) {
  process.stdout.write(`${b.name} (target ${b.target}) ... `);
  const r = await b.run();
  results[b.name] = { target: b.target, ...r };
  failed ||= r.pass === false;
  console.log(JSON.stringify(r));
}
await writeFile(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
if (failed) {
  console.log('some targets were missed');
  process.exitCode = 1;
}
