// Builds a small certops repository for end-to-end lifecycle tests: a private CA, a file target,
// optionally an nginx target, certificates, and a first commit.
import { execFileSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, scratchDir, writeTree } from './helpers.ts';

export interface NginxEndpoint {
  port: number;
  configTestArgv: string[];
  reloadArgv: string[];
}

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
  });
}

export function certificateYaml(
  name: string,
  dnsNames: string[],
  targets: string[],
  extra = '',
): string {
  return `apiVersion: certops/v1
kind: Certificate
metadata:
  name: ${name}
spec:
  issuer: private-ca
  dnsNames: [${dnsNames.join(', ')}]
  duration: 90d
  renewBefore: 30d
  deploy:
${targets.map((t) => `    - target: ${t}`).join('\n')}
${extra}`;
}

export function nginxTargetYaml(n: NginxEndpoint, keyFile = '{name}.key'): string {
  return `apiVersion: certops/v1
kind: Target
metadata:
  name: edge
spec:
  type: nginx
  directory: deploy/nginx
  files:
    fullchain: "{name}.fullchain.pem"
    key: "${keyFile}"
  configTest: ${JSON.stringify(n.configTestArgv)}
  reload: ${JSON.stringify(n.reloadArgv)}
  verify: { host: 127.0.0.1, port: ${n.port}, serverName: web.example.com, timeout: 10s }
`;
}

export async function makeLifecycleRepo(
  dir: string,
  extra: Record<string, string> = {},
): Promise<void> {
  await writeTree(dir, {
    '.gitignore': 'deploy/\n.home/\n',
    'certs.d/platform/ca.yaml':
      'apiVersion: certops/v1\nkind: Issuer\nmetadata:\n  name: private-ca\nspec:\n  type: ca\n  maxValidity: 398d\n',
    'certs.d/platform/files.yaml':
      'apiVersion: certops/v1\nkind: Target\nmetadata:\n  name: files\nspec:\n  type: file\n  directory: deploy/files\n',
    'certs.d/team/api.yaml': certificateYaml('api', ['api.example.com'], ['files']),
    ...extra,
  });
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'desired state');
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}

/**
 * A committed copy of this repository's example (`certs.d`, `certops.yaml` and whichever of
 * `policies` is asked for) plus `extra` files, in a scratch folder, with its own CERTOPS_HOME
 * and policy cache in `env`. `cleanup` removes all of it.
 */
export async function exampleRepoCopy(
  prefix: string,
  opts: { policies: boolean; extra?: Record<string, string>; message?: string },
): Promise<{ repo: string; env: Record<string, string>; cleanup: () => Promise<void> }> {
  const s = await scratchDir(prefix);
  const repo = path.join(s.dir, 'repo');
  const env = {
    CERTOPS_HOME: path.join(s.dir, 'home'),
    CERTOPS_CACHE_DIR: path.join(s.dir, 'cache'),
  };
  for (const p of ['certs.d', 'certops.yaml', ...(opts.policies ? ['policies'] : [])])
    await cp(path.join(REPO_ROOT, p), path.join(repo, p), { recursive: true });
  await writeTree(repo, opts.extra ?? {});
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', opts.message ?? 'example repository');
  return { repo, env, cleanup: s.cleanup };
}
