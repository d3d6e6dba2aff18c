import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { openGitStateStore } from './git-store.ts';
import { scanHistoryForKeyMaterial } from './history-scan.ts';
import type { TestRepo } from './testing.ts';
import { clock, commitFiles, makeRepo, record } from './testing.ts';

let repo: TestRepo;
beforeEach(async () => {
  repo = await makeRepo({ withCommit: true });
});
afterEach(() => repo.cleanup());

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
const certDer = execFileSync('openssl', [
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
  '-keyout', '/dev/null', '-subj', '/CN=scan.example', '-days', '1', '-outform', 'DER',
]); // prettier-ignore

describe('scanHistoryForKeyMaterial', () => {
  it('reports nothing on a clean repository with certificates and public keys', async () => {
    const store = openGitStateStore({ dir: repo.dir, clock });
    await store.commit({
      expectedHead: '',
      inventory: { web: record('web') },
      message: 'state',
      trailers: {},
    });
    commitFiles(repo, 'certs', {
      'certs/web.der': certDer,
      'certs/pub.pem': publicKey.export({ type: 'spki', format: 'pem' }),
      'certs/pub.der': publicKey.export({ type: 'spki', format: 'der' }),
    });
    expect(await scanHistoryForKeyMaterial(repo.dir)).toEqual([]);
  });

  it('finds a key committed in an old commit of a side branch, since deleted', async () => {
    repo.git('checkout', '-q', '-b', 'feature');
    commitFiles(repo, 'feature', { 'notes.txt': 'hello\n' });
    const bad = commitFiles(repo, 'feature', { 'notes.txt': 'x\n', 'keys/web.key': keyPem });
    commitFiles(repo, 'feature', { 'notes.txt': 'removed the key\n' });
    repo.git('checkout', '-q', 'main');
    expect(await scanHistoryForKeyMaterial(repo.dir)).toEqual([
      { commit: bad, path: 'keys/web.key', kind: 'PRIVATE KEY' },
    ]);
  });

  it('finds keys on the state branch, behind annotated tags and in DER form', async () => {
    const onState = commitFiles(repo, 'certops/state', { 'journal/leak.json': `"${keyPem}"` });
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const tagged = commitFiles(repo, 'tmp', { 'web.p8': der });
    repo.git('tag', '-a', 'v1', '-m', 'release', tagged);
    repo.git('update-ref', '-d', 'refs/heads/tmp');
    const found = await scanHistoryForKeyMaterial(repo.dir);
    expect(found).toEqual(
      expect.arrayContaining([
        { commit: onState, path: 'journal/leak.json', kind: 'PRIVATE KEY' },
        { commit: tagged, path: 'web.p8', kind: 'PKCS#8 DER private key' },
      ]),
    );
    expect(found).toHaveLength(2);
  });

  it('refuses a directory that is not a repository', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'certops-norepo-'));
    await expect(scanHistoryForKeyMaterial(dir)).rejects.toBeInstanceOf(UsageError);
    await rm(dir, { recursive: true });
  });
});
