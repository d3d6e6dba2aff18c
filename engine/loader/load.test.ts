import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINIMAL_ISSUER, scratchDir, writeTree } from '../../test/helpers.ts';
import { loadRepository } from './load.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await scratchDir()));
afterEach(() => cleanup());

const cert = (name: string, spec: string) => `apiVersion: certops/v1
kind: Certificate
metadata:
  name: ${name}
spec:
${spec}`;

describe('loadRepository', () => {
  it('applies _defaults.yaml from outer to inner, then the object itself', async () => {
    await writeTree(dir, {
      'certs.d/ca.yaml': MINIMAL_ISSUER,
      'certs.d/_defaults.yaml':
        'apiVersion: certops/v1\nkind: Defaults\nspec:\n  Certificate:\n    metadata: { labels: { tier: outer, env: dev } }\n    spec: { issuer: private-ca, duration: 60d }\n',
      'certs.d/team/_defaults.yaml':
        'apiVersion: certops/v1\nkind: Defaults\nspec:\n  Certificate:\n    metadata: { labels: { env: prod } }\n    spec: { duration: 30d }\n',
      'certs.d/team/web.yaml': cert('web', '  dnsNames: [web.example.com]\n  renewBefore: 10d\n'),
      'certs.d/top.yaml': cert('top', '  dnsNames: [top.example.com]\n'),
    });
    const { model, diagnostics } = await loadRepository(dir);
    expect(diagnostics).toEqual([]);
    const web = model.objects.find((o) => o.name === 'web');
    expect(web?.team).toBe('team');
    expect(web?.value).toMatchObject({
      metadata: { labels: { tier: 'outer', env: 'prod' } },
      spec: { issuer: 'private-ca', duration: '30d', renewBefore: '10d' },
    });
    // renewBefore set → no built-in renewBeforePercentage.
    expect((web?.value.spec as Record<string, unknown>).renewBeforePercentage).toBeUndefined();
    const top = model.objects.find((o) => o.name === 'top');
    expect(top?.team).toBeNull();
    expect(top?.value).toMatchObject({
      metadata: { labels: { env: 'dev' } },
      spec: { duration: '60d', renewBeforePercentage: 33, state: 'active' },
    });
  });

  it('puts the profile beneath defaults and the object, and built-ins beneath all', async () => {
    await writeTree(dir, {
      'certs.d/ca.yaml': MINIMAL_ISSUER,
      'certs.d/p.yaml':
        'apiVersion: certops/v1\nkind: Profile\nmetadata: { name: rsa }\nspec:\n  privateKey: { algorithm: RSA }\n  duration: 30d\n  renewBeforePercentage: 20\n',
      'certs.d/web.yaml': cert(
        'web',
        '  issuer: private-ca\n  profile: rsa\n  dnsNames: [web.example.com]\n  duration: 10d\n',
      ),
    });
    const { model, diagnostics } = await loadRepository(dir);
    expect(diagnostics).toEqual([]);
    const web = model.objects.find((o) => o.name === 'web');
    expect(web?.layers.map((l) => l.origin)).toEqual(['built-in', 'profile', 'own']);
    expect(web?.value.spec).toMatchObject({
      privateKey: { algorithm: 'RSA', size: 3072, rotation: 'always' },
      keyUsages: ['digitalSignature', 'keyEncipherment'],
      duration: '10d',
      renewBeforePercentage: 20,
    });
  });

  it('loads multi-document files and skips dot-files and non-YAML files', async () => {
    await writeTree(dir, {
      'certs.d/all.yaml': `${MINIMAL_ISSUER}---\n${cert('a', '  issuer: private-ca\n  dnsNames: [a.example.com]\n')}`,
      'certs.d/.hidden.yaml': 'not: [valid',
      'certs.d/README.md': '# notes',
      'certs.d/b.yml': cert('b', '  issuer: private-ca\n  dnsNames: [b.example.com]\n'),
    });
    const { model, diagnostics, files } = await loadRepository(dir);
    expect(diagnostics).toEqual([]);
    expect(files).toBe(2);
    expect(
      model.objects.map((o) => `${o.kind}/${o.name}@${o.source.file}#${o.source.docIndex}`),
    ).toEqual([
      'Issuer/private-ca@certs.d/all.yaml#0',
      'Certificate/a@certs.d/all.yaml#1',
      'Certificate/b@certs.d/b.yml#0',
    ]);
  });

  it('follows symbolic links that stay inside the repository', async () => {
    await writeTree(dir, {
      'shared/ca.yaml': MINIMAL_ISSUER,
      'certs.d/x.yaml': cert('x', '  issuer: private-ca\n  dnsNames: [x.example.com]\n'),
    });
    await symlink(path.join(dir, 'shared/ca.yaml'), path.join(dir, 'certs.d/ca.yaml'));
    const { model, diagnostics } = await loadRepository(dir);
    expect(diagnostics).toEqual([]);
    expect(model.objects.map((o) => o.name)).toEqual(['private-ca', 'x']);
  });

  it('says what to do when there is no certs.d', async () => {
    const { diagnostics } = await loadRepository(dir);
    expect(diagnostics).toMatchObject([
      { code: 'no-desired-state', hint: expect.stringContaining('certops init') },
    ]);
  });
});
