import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/helpers.ts';
import type { Model } from '../model/object.ts';
import { validateRepository } from '../validate/validate-repo.ts';
import { locateResult, parseResultPath } from './result-location.ts';
import type { PolicyResult } from './waivers.ts';

let model: Model;

beforeAll(async () => {
  model = (await validateRepository(REPO_ROOT, { now: new Date('2026-04-01T09:30:00Z') })).model;
});

const result = (name: string, p?: string): Pick<PolicyResult, 'subject' | 'path'> => ({
  subject: { kind: 'Certificate', name, labels: {} },
  ...(p !== undefined ? { path: p } : {}),
});

/** 1-based line and column of the first occurrence of `needle` after `after` in a repo file. */
function positionOf(file: string, needle: string, after = ''): { line: number; col: number } {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const offset = text.indexOf(needle, after ? text.indexOf(after) : 0);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1) ?? '').length + 1 };
}

describe('parseResultPath', () => {
  it('parses dotted paths with list indexes and quoted keys', () => {
    expect(parseResultPath('spec.privateKey.size')).toEqual(['spec', 'privateKey', 'size']);
    expect(parseResultPath('spec.dnsNames[1]')).toEqual(['spec', 'dnsNames', 1]);
    expect(parseResultPath('spec.deploy[0].target')).toEqual(['spec', 'deploy', 0, 'target']);
    expect(parseResultPath('metadata.labels["a b"]')).toEqual(['metadata', 'labels', 'a b']);
  });

  it('refuses what is not a path', () => {
    for (const p of ['', '.spec', 'spec..x', 'spec[x]', 'spec[1', '1abc', 'spec[0]x', 'spec.']) {
      expect(parseResultPath(p)).toBeUndefined();
    }
  });
});

describe('locateResult', () => {
  it('points a key-size result at the value written in the certificate file', () => {
    const loc = locateResult(model, result('legacy-batch', 'spec.privateKey.size'));
    const file = 'certs.d/payments/legacy-batch.yaml';
    expect(loc).toEqual({
      file,
      ...positionOf(file, '2048', 'size: 2048'),
      path: 'spec.privateKey.size',
    });
  });

  it('points a profile-derived field at the profile', () => {
    const loc = locateResult(model, result('payments-api', 'spec.renewBefore'));
    const file = 'certs.d/platform/profiles/tls-server.yaml';
    expect(loc).toEqual({ file, ...positionOf(file, '30d'), path: 'spec.renewBefore' });
    const size = locateResult(model, result('payments-api', 'spec.privateKey.size'));
    expect(size?.file).toBe(file);
  });

  it('maps spec.renewBefore to the renewBeforePercentage that sets the window', () => {
    const file = 'certs.d/platform/profiles/public-web.yaml';
    const loc = locateResult(model, result('login', 'spec.renewBefore'));
    expect(loc).toEqual({
      file,
      ...positionOf(file, '33', 'renewBeforePercentage'),
      path: 'spec.renewBeforePercentage',
    });
  });

  it('points list items and deploy targets at the layer that wrote the list', () => {
    const name = locateResult(model, result('payments-api', 'spec.dnsNames[1]'));
    expect(name).toMatchObject({
      file: 'certs.d/payments/api.yaml',
      ...positionOf('certs.d/payments/api.yaml', 'api-internal.payments.example.com'),
    });
    const target = locateResult(model, result('payments-api', 'spec.deploy[0].target'));
    expect(target).toEqual({
      file: 'certs.d/payments/_defaults.yaml',
      ...positionOf('certs.d/payments/_defaults.yaml', 'payments-files'),
      path: 'spec.Certificate.spec.deploy[0].target',
    });
  });

  it('falls back to the object document for no path, unknown paths and bad paths', () => {
    const obj = model.objects.find((o) => o.kind === 'Certificate' && o.name === 'payments-api');
    const own = { file: obj?.source.file, line: obj?.source.line, col: obj?.source.col, path: '' };
    for (const p of [undefined, 'spec.signatureAlgorithm', 'spec.nothing[3].x', '%%']) {
      expect(locateResult(model, result('payments-api', p))).toEqual(own);
    }
  });

  it('is undefined for a subject the model does not have', () => {
    expect(locateResult(model, result('no-such-cert', 'spec.duration'))).toBeUndefined();
  });
});
