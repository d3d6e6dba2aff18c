// Generates a synthetic certs.d repository: N certificates over 100 team folders, each folder
// with a _defaults.yaml, plus issuers, profiles and targets. Deterministic for a given N.
import { mkdir, writeFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const TEAMS = 100;

export async function generateRepo(dir: string, certificates: number): Promise<string> {
  const marker = path.join(dir, '.complete');
  if (
    await stat(marker).then(
      () => true,
      () => false,
    )
  )
    return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'certs.d', 'platform'), { recursive: true });
  await writeFile(
    path.join(dir, 'certops.yaml'),
    'apiVersion: certops/v1\nkind: Settings\nspec:\n  targets:\n    allowedRoots: [/etc/ssl/certops]\n',
  );
  await writeFile(
    path.join(dir, 'certs.d/_defaults.yaml'),
    'apiVersion: certops/v1\nkind: Defaults\nspec:\n  Certificate:\n    spec:\n      issuer: private-ca\n      profile: tls-server\n',
  );
  await writeFile(
    path.join(dir, 'certs.d/platform/objects.yaml'),
    [
      'apiVersion: certops/v1\nkind: Issuer\nmetadata:\n  name: private-ca\nspec:\n  type: ca\n  maxValidity: 398d\n',
      'apiVersion: certops/v1\nkind: Profile\nmetadata:\n  name: tls-server\nspec:\n  privateKey: { algorithm: ECDSA, size: 256 }\n  duration: 90d\n  renewBefore: 30d\n',
    ].join('---\n'),
  );
  for (let t = 0; t < TEAMS; t++) {
    await writeFile(
      path.join(dir, `certs.d/platform/target-team${t}.yaml`),
      `apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: team${t}-files\nspec:\n  type: file\n  directory: /etc/ssl/certops/team${t}\n`,
    );
  }
  for (let t = 0; t < TEAMS; t++) {
    const teamDir = path.join(dir, 'certs.d', `team${t}`);
    await mkdir(teamDir, { recursive: true });
    await writeFile(
      path.join(teamDir, '_defaults.yaml'),
      `apiVersion: certops/v1\nkind: Defaults\nspec:\n  Certificate:\n    metadata:\n      labels: { team: team${t} }\n    spec:\n      deploy:\n        - target: team${t}-files\n`,
    );
  }
  const writes: Promise<void>[] = [];
  for (let i = 0; i < certificates; i++) {
    const t = i % TEAMS;
    const name = `svc-${i}`;
    const body = `# Generated for the validate benchmark.
apiVersion: certops/v1
kind: Certificate
metadata:
  name: ${name}
  labels:
    env: ${i % 3 === 0 ? 'prod' : 'staging'}
    tier: web
spec:
  commonName: ${name}.team${t}.example.com
  dnsNames:
    - ${name}.team${t}.example.com
    - ${name}-internal.team${t}.example.com
  ipAddresses: [10.${t}.${(i >> 8) & 255}.${i & 255}]
  privateKey:
    algorithm: ECDSA
    size: ${i % 2 ? 256 : 384}
  renewBefore: 21d
`;
    writes.push(writeFile(path.join(dir, 'certs.d', `team${t}`, `${name}.yaml`), body));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  await writeFile(marker, '');
  return dir;
}

/** A committed repository of N certificates from the private CA on one file target. */
export async function generateApplyRepo(dir: string, certificates: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'certs.d', 'certs'), { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), 'deploy/\n.home/\n');
  await writeFile(
    path.join(dir, 'certs.d/objects.yaml'),
    'apiVersion: certops/v1\nkind: Issuer\nmetadata:\n  name: private-ca\nspec:\n  type: ca\n---\n' +
      'apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: files\nspec:\n  type: file\n  directory: deploy\n',
  );
  for (let i = 0; i < certificates; i++) {
    await writeFile(
      path.join(dir, 'certs.d/certs', `c${i}.yaml`),
      `apiVersion: certops/v1\nkind: Certificate\nmetadata:\n  name: c${i}\nspec:\n  issuer: private-ca\n  dnsNames: [c${i}.example.com]\n  deploy:\n    - target: files\n`,
    );
  }
  await commitAll(dir);
}

/** `git init` and one commit of everything in `dir` (a benchmark repository). */
export async function commitAll(dir: string): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'bench'],
  ])
    execFileSync('git', args, { cwd: dir, env });
}
