// Challenge solvers behind one interface: `present` makes the challenge answerable, `cleanup`
// removes it. This slice: http-01 through a built-in responder on a configured port and
// through a webroot (the token file under <webroot>/.well-known/acme-challenge/); dns-01
// through an exec hook (any DNS API); dns-01 over RFC 2136 lives in dns/rfc2136.ts, and
// http-01 through a location in an nginx Target (a snippet certops rewrites and reloads) in
// nginx/solver.ts.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { ExternalError, UsageError } from '../../errors.ts';
import type { AcmeIssuerSpec } from '../../model/types.generated.ts';
import type { CommandRunner } from '../../targets/types.ts';

export interface Challenge {
  type: string;
  token: string;
}

export interface Solver {
  readonly type: 'http-01' | 'dns-01';
  present(name: string, challenge: Challenge, keyAuthorization: string): Promise<void>;
  cleanup(name: string, challenge: Challenge): Promise<void>;
  /** Releases what the solver holds for the order (the responder's port). */
  close(): Promise<void>;
}

const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

function checkToken(token: string): string {
  // The token comes from the CA: never let it name a path outside the challenge folder.
  if (!TOKEN.test(token)) throw new ExternalError('the ACME server sent a malformed token');
  return token;
}

interface Responder {
  server: Server;
  answers: Map<string, string>;
  users: number;
}

// One responder per port for the whole process: concurrent orders share it (each adds and
// removes its own tokens), and it closes when the last order using it is done.
const responders = new Map<string, Promise<Responder>>();

function openResponder(port: number, host: string): Promise<Responder> {
  return new Promise((resolve, reject) => {
    const answers = new Map<string, string>();
    const s = createServer((req, res) => {
      const m = /^\/\.well-known\/acme-challenge\/([^/?#]+)$/.exec(req.url ?? '');
      const body = m?.[1] ? answers.get(m[1]) : undefined;
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(body ?? '');
    });
    s.once('error', (e) =>
      reject(
        new ExternalError(`http-01 responder cannot listen on port ${port}: ${e.message}`, {
          hint: 'Free the port, or use a webroot solver behind the running web server.',
        }),
      ),
    );
    s.listen(port, host, () => resolve({ server: s, answers, users: 0 }));
  });
}

/** Serves /.well-known/acme-challenge/<token> on `host` (all addresses by default). */
export function portSolver(port: number, host = '0.0.0.0'): Solver {
  const key = `${host}:${port}`;
  let held: Responder | undefined;
  const acquire = async (): Promise<Responder> => {
    if (held) return held;
    let p = responders.get(key);
    if (!p) {
      p = openResponder(port, host);
      responders.set(key, p);
      p.catch(() => responders.delete(key));
    }
    const r = await p;
    r.users++;
    held = r;
    return r;
  };
  return {
    type: 'http-01',
    async present(_name, ch, keyAuthorization) {
      (await acquire()).answers.set(checkToken(ch.token), keyAuthorization);
    },
    async cleanup(_name, ch) {
      held?.answers.delete(ch.token);
    },
    async close() {
      const r = held;
      held = undefined;
      if (!r || --r.users > 0) return;
      responders.delete(key);
      await new Promise((done) => r.server.close(done));
    },
  };
}

/** Writes the token file under the web server's document root. */
export function webrootSolver(webroot: string): Solver {
  const dir = path.join(webroot, '.well-known', 'acme-challenge');
  return {
    type: 'http-01',
    async present(_name, ch, keyAuthorization) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, checkToken(ch.token)), keyAuthorization, { mode: 0o644 });
    },
    async cleanup(_name, ch) {
      await rm(path.join(dir, checkToken(ch.token)), { force: true });
    },
    async close() {},
  };
}

/**
 * dns-01 through a hook: the command (an argument vector, no shell) runs once to present and
 * once to clean up each record, with CERTOPS_ACME_ACTION (present | cleanup),
 * CERTOPS_ACME_DOMAIN (the name validated), CERTOPS_ACME_RECORD (`_acme-challenge.<domain>.`)
 * and CERTOPS_ACME_VALUE (the TXT value). A non-zero exit fails the challenge with the hook's
 * stderr. The hook returns once the record is published; with `propagated` (dns01.exec.nameserver)
 * certops also waits until the authoritative servers answer it.
 */
export function execDnsSolver(
  command: readonly string[],
  runner: CommandRunner,
  /** Waits until the record is visible at the authorities (dns01.exec.nameserver). */
  propagated?: (domain: string, value: string) => Promise<void>,
): Solver {
  const run = async (action: string, domain: string, value: string): Promise<void> => {
    const r = await runner.run(command, {
      env: {
        CERTOPS_ACME_ACTION: action,
        CERTOPS_ACME_DOMAIN: domain,
        CERTOPS_ACME_RECORD: `_acme-challenge.${domain}.`,
        CERTOPS_ACME_VALUE: value,
      },
    });
    if (r.code !== 0)
      throw new ExternalError(
        `dns-01 hook ${command[0] ?? ''} (${action} ${domain}) exited ${r.code}: ${r.stderr.trim().slice(-500)}`,
        { hint: 'Run the hook by hand with the CERTOPS_ACME_* variables to see what it does.' },
      );
  };
  return {
    type: 'dns-01',
    async present(name, _ch, keyAuthorization) {
      await run('present', name, keyAuthorization);
      if (!propagated) return;
      try {
        await propagated(name, keyAuthorization);
      } catch (e) {
        await run('cleanup', name, '').catch(() => undefined); // the issuer cleans up only what was presented
        throw e;
      }
    },
    cleanup: (name) => run('cleanup', name, ''),
    async close() {},
  };
}

/** The solver for a name: the first configured solver whose dnsZones cover it. */
export function solverFor(
  spec: AcmeIssuerSpec,
  name: string,
  make: (s: NonNullable<AcmeIssuerSpec['solvers']>[number]) => Solver | undefined,
): Solver {
  for (const s of spec.solvers ?? []) {
    const zones = s.dnsZones;
    const base = name.replace(/^\*\./, '');
    if (zones && !zones.some((z) => base === z || base.endsWith(`.${z}`))) continue;
    const solver = make(s);
    if (solver) return solver;
  }
  throw new UsageError(
    `no ACME solver of this release covers ${name}`,
    'Configure a solver for it on the Issuer: http01 (port, webroot or nginxTarget) or dns01 (rfc2136 or exec).',
  );
}
