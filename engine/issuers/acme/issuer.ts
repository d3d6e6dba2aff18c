// The ACME issuer (RFC 8555) through acme-client. Contract, as every issuer: issue() is
// idempotent per operation id. The order URL is recorded (state.ts) as soon as the order
// exists, so a re-run after a crash resumes the same order — finalized or not — and a finished
// order is answered from its record. The account key is generated once, kept in
// $CERTOPS_HOME with mode 0600, and reused; it never enters the repository or a log.
//
// What it covers: account (terms agreement, contact, External Account Binding), solvers
// (solvers.ts: built-in http-01 responder, webroot, a location in an nginx Target (nginx/);
// dns-01 through RFC 2136 updates (dns/) or an exec hook), order resume, preferred chain, the
// issuance budget, ACME Renewal Information (ari.ts) with `replaces` on renewal orders, ACME
// profiles (the Issuer's, or the certificate's acmeProfile) when the CA advertises them, waits
// against orderTimeout (poll.ts), 429/503 handling (retry.ts). Failures are ExternalErrors
// (with `retryAt` when the CA said when to come back): the lifecycle journals them and backs
// the certificate off (apply/backoff.ts). revoke() asks the CA with an RFC 5280 reason code.
import path from 'node:path';
import acme from 'acme-client';
import { CertopsError, ExternalError } from '../../errors.ts';
import type { AcmeIssuerSpec } from '../../model/types.generated.ts';
import { issuedCertificate } from '../sign.ts';
import {
  REVOCATION_REASON_CODES,
  type IssuedCertificate,
  type IssuerContext,
  type IssuerProvider,
  type IssueRequest,
} from '../types.ts';
import { certIdOf, fetchRenewalInfo } from './ari.ts';
import { orderCsr } from './csr.ts';
import {
  acmePaths,
  orderTimes,
  readOrder,
  readText,
  writeOrder,
  writePrivate,
  type AcmePaths,
} from './state.ts';
import { processRunner } from '../../net/command.ts';
import { KeyedMutex } from '../../util/concurrency.ts';
import { parseDuration } from '../../util/duration.ts';
import { pollUntilValid } from './poll.ts';
import { installRetry, problemText } from './retry.ts';
import { execPropagationCheck, rfc2136From } from './dns/config.ts';
import { nginxFrom } from './nginx/config.ts';
import { execDnsSolver, portSolver, solverFor, webrootSolver, type Solver } from './solvers.ts';

export interface AcmeOptions {
  /** Polling interval bounds, ms (defaults 1 s and 10 s; tests shorten them). */
  backoffMin?: number;
  backoffMax?: number;
  /** Real time and sleep for order deadlines (tests inject them). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long one run waits for an order's challenges and finalization (spec.orderTimeout). */
export const DEFAULT_ORDER_TIMEOUT = '5m';

interface Waiter {
  wait<T extends { status: string }>(
    fetch: () => Promise<T>,
    what: string,
    problem: (item: T) => string,
  ): Promise<T>;
}

/** Polls against one deadline for the whole order (challenges, then finalization). */
function waiter(spec: AcmeIssuerSpec, opts: AcmeOptions): Waiter {
  const now = opts.now ?? (() => performance.now()); // monotonic: a deadline, not a date
  const timeout = parseDuration(spec.orderTimeout ?? DEFAULT_ORDER_TIMEOUT);
  // validate rejects a bad duration first (bad-duration); this only guards direct callers.
  if (!timeout.ok) throw new CertopsError('INTERNAL', timeout.reason);
  const deadline = now() + timeout.ms;
  return {
    wait: (fetch, what, problemOf) =>
      pollUntilValid(fetch, {
        deadline,
        minMs: opts.backoffMin ?? 1000,
        maxMs: opts.backoffMax ?? 10_000,
        now,
        sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        what,
        problem: (item) => problemOf(item as Parameters<typeof problemOf>[0]),
      }),
  };
}

function acmeSpec(ctx: IssuerContext): AcmeIssuerSpec {
  if (ctx.spec.type !== 'acme')
    throw new CertopsError(
      'INTERNAL',
      `Issuer "${ctx.name}" is of type ${ctx.spec.type}, not acme`,
    );
  return ctx.spec as AcmeIssuerSpec;
}

/** The ACME problem document's detail when there is one, else the error message. */
function problem(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Concurrent orders of one process share the issuer's account: it is created (or loaded) once,
// under a lock, and its client reused (acme-client keeps the directory and nonces per client).
const accountLocks = new KeyedMutex();
const clients = new Map<string, acme.Client>();

async function client(
  ctx: IssuerContext,
  spec: AcmeIssuerSpec,
  paths: AcmePaths,
  opts: AcmeOptions,
): Promise<acme.Client> {
  const id = `${paths.dir}\n${spec.directoryUrl}`;
  return accountLocks.run(id, async () => {
    const known = clients.get(id);
    if (known) return known;
    const c = await openAccount(ctx, spec, paths, opts);
    clients.set(id, c);
    return c;
  });
}

async function openAccount(
  ctx: IssuerContext,
  spec: AcmeIssuerSpec,
  paths: AcmePaths,
  opts: AcmeOptions,
): Promise<acme.Client> {
  let key = await readText(paths.accountKey);
  if (key === undefined) {
    key = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
    await writePrivate(paths, paths.accountKey, key);
  }
  const saved = await readText(paths.account);
  const accountUrl = saved ? (JSON.parse(saved) as { url?: string }).url : undefined;
  const c = new acme.Client({
    directoryUrl: spec.directoryUrl,
    accountKey: key,
    ...(accountUrl ? { accountUrl } : {}),
    ...(accountUrl ? {} : await externalAccountBinding(ctx, spec)),
    backoffMin: opts.backoffMin ?? 1000,
    backoffMax: opts.backoffMax ?? 10_000,
  });
  if (!accountUrl) {
    try {
      await c.createAccount({
        termsOfServiceAgreed: spec.termsOfServiceAgreed ?? false,
        ...(spec.email ? { contact: [`mailto:${spec.email}`] } : {}),
      });
    } catch (e) {
      throw new ExternalError(`ACME account for Issuer "${ctx.name}": ${problem(e)}`, {
        hint: 'Check directoryUrl, and set termsOfServiceAgreed: true if the CA requires it.',
        cause: e,
        ...(e instanceof ExternalError && e.retryAt ? { retryAt: e.retryAt } : {}),
      });
    }
    await writePrivate(paths, paths.account, `${JSON.stringify({ url: c.getAccountUrl() })}\n`);
  }
  return c;
}

/** The EAB key id and HMAC key (a secret reference, resolved only to create the account). */
async function externalAccountBinding(
  ctx: IssuerContext,
  spec: AcmeIssuerSpec,
): Promise<{ externalAccountBinding?: { kid: string; hmacKey: string } }> {
  const eab = spec.externalAccountBinding;
  if (!eab) return {};
  if (!ctx.secrets)
    throw new CertopsError('INTERNAL', 'externalAccountBinding needs a secret resolver');
  let hmacKey: string;
  try {
    hmacKey = (await ctx.secrets(eab.hmacKey)).trim();
  } catch (e) {
    if (!(e instanceof CertopsError)) throw e;
    throw new ExternalError(`Issuer "${ctx.name}": externalAccountBinding.hmacKey: ${e.message}`, {
      ...(e.hint ? { hint: e.hint } : {}),
      cause: e,
    });
  }
  return { externalAccountBinding: { kid: eab.keyId, hmacKey } };
}

/**
 * The solver a configured entry describes. One entry holds one solver; were several set, the
 * order is: http01.port, dns01.rfc2136, dns01.exec, http01.nginxTarget, http01.webroot.
 */
function makeSolver(
  ctx: IssuerContext,
  s: NonNullable<AcmeIssuerSpec['solvers']>[number],
): Solver | undefined {
  if (s.http01?.port !== undefined) return portSolver(s.http01.port);
  if (s.dns01?.rfc2136) return rfc2136From(ctx, s.dns01.rfc2136, s.dns01.propagationTimeout);
  const exec = s.dns01?.exec;
  if (exec)
    return execDnsSolver(
      exec.command,
      ctx.runner ?? processRunner,
      exec.nameserver === undefined
        ? undefined
        : execPropagationCheck(
            ctx,
            { nameserver: exec.nameserver, ...(exec.zone ? { zone: exec.zone } : {}) },
            s.dns01?.propagationTimeout,
          ),
    );
  const nginxTarget = s.http01?.nginxTarget;
  if (nginxTarget !== undefined) return nginxFrom(ctx, { ...s.http01, nginxTarget });
  const webroot = s.http01?.webroot;
  if (webroot !== undefined) {
    // validate checked it stays inside the deploy root or an allowed root (checks/paths.ts).
    if (!path.isAbsolute(webroot) && ctx.deployRoot === undefined)
      throw new CertopsError('INTERNAL', `relative webroot ${webroot} without a deploy root`);
    return webrootSolver(path.resolve(ctx.deployRoot ?? '/', webroot));
  }
  return undefined;
}

/** Answers every pending authorization of the order with its solver. */
async function authorize(
  c: acme.Client,
  ctx: IssuerContext,
  spec: AcmeIssuerSpec,
  order: acme.Order,
  waits: Waiter,
): Promise<void> {
  // One solver instance per configured solver for the whole order (a port is bound once).
  const made = new Map<object, Solver | undefined>();
  const make = (s: NonNullable<AcmeIssuerSpec['solvers']>[number]): Solver | undefined => {
    if (!made.has(s)) made.set(s, makeSolver(ctx, s));
    return made.get(s);
  };
  try {
    for (const authz of await c.getAuthorizations(order)) {
      if (authz.status === 'valid') continue;
      const name = authz.identifier.value;
      const solver = solverFor(spec, authz.wildcard ? `*.${name}` : name, make);
      const ch = authz.challenges.find((x) => x.type === solver.type);
      if (!ch)
        throw new ExternalError(`the ACME server offers no ${solver.type} challenge for ${name}`);
      const keyAuthorization = await c.getChallengeKeyAuthorization(ch);
      await solver.present(name, ch, keyAuthorization);
      let failed = true;
      try {
        await c.completeChallenge(ch);
        await waits.wait(
          async () => {
            const [now] = await c.getAuthorizations({ authorizations: [authz.url] } as acme.Order);
            if (!now) throw new ExternalError(`the ACME server lost authorization ${authz.url}`);
            return now;
          },
          `the ${solver.type} authorization for ${authz.wildcard ? '*.' : ''}${name}`,
          (a) =>
            problemText(a.challenges.find((x) => x.type === solver.type)?.error) ||
            'the CA sent no problem document',
        );
        failed = false;
      } catch (e) {
        throw new ExternalError(`${solver.type} for ${name} failed: ${problem(e)}`, {
          hint:
            solver.type === 'http-01'
              ? `The CA must reach http://${name}/.well-known/acme-challenge/ on port 80 and get the token.`
              : 'Check the TXT record and its propagation.',
          cause: e,
        });
      } finally {
        // A cleanup failure never hides why the challenge failed.
        await solver.cleanup(name, ch).catch((e: unknown) => {
          if (!failed) throw e;
        });
      }
    }
  } finally {
    for (const s of made.values()) await s?.close();
  }
}

interface Directory {
  renewalInfo?: unknown;
  meta?: { profiles?: Record<string, unknown> };
}

/** The CA's directory (untrusted: only the fields read here, checked where used). */
async function directoryOf(spec: AcmeIssuerSpec): Promise<Directory> {
  const data = (await acme.axios.get(spec.directoryUrl, { timeout: 10_000 })).data as unknown;
  return typeof data === 'object' && data !== null ? (data as Directory) : {};
}

/**
 * What a new order asks beyond its identifiers:
 * - RFC 9773 `replaces`: the ARI id of the certificate it succeeds, when the CA offers renewal
 *   information (a CA without it would not know the field); a certificate without an AKI
 *   orders without it;
 * - `profile` (draft-aaron-acme-profiles): the Issuer's profile, when the CA advertises it in
 *   `meta.profiles`; a profile the CA does not offer is an error naming the ones it does.
 */
async function orderExtras(
  ctx: IssuerContext,
  spec: AcmeIssuerSpec,
  req: IssueRequest,
): Promise<{ replaces?: string; profile?: string }> {
  const profile = req.acmeProfile ?? spec.profile;
  if (!req.replaces && profile === undefined) return {};
  const dir = await directoryOf(spec);
  const out: { replaces?: string; profile?: string } = {};
  if (req.replaces && typeof dir.renewalInfo === 'string') {
    try {
      out.replaces = certIdOf(req.replaces);
    } catch {
      // no AKI: order without `replaces`
    }
  }
  if (profile !== undefined) {
    const offered = Object.keys(dir.meta?.profiles ?? {});
    const where = req.acmeProfile
      ? `Certificate "${req.certificate}" (spec.acmeProfile)`
      : `Issuer "${ctx.name}" (spec.profile)`;
    if (!offered.includes(profile))
      throw new ExternalError(
        `${where} asks for ACME profile "${profile}", which the CA does not offer`,
        {
          hint: offered.length
            ? `It offers: ${offered.join(', ')}. Change the profile, or remove it.`
            : 'It advertises no profiles: remove the profile.',
        },
      );
    out.profile = profile;
  }
  return out;
}

const HOUR_MS = 3_600_000;
const budgetLocks = new KeyedMutex();

/**
 * spec.maxIssuancesPerHour: new orders this issuer may create in any hour, counted from the
 * order records (resumed orders do not count again). Over budget, the certificate waits for
 * the next run instead of hammering the CA.
 */
async function checkBudget(
  ctx: IssuerContext,
  spec: AcmeIssuerSpec,
  paths: AcmePaths,
): Promise<void> {
  const max = spec.maxIssuancesPerHour;
  if (max === undefined) return;
  const now = ctx.clock.now().getTime();
  const recent = (await orderTimes(paths))
    .map((d) => d.getTime())
    .filter((t) => t > now - HOUR_MS && t <= now)
    .sort((a, b) => a - b);
  if (recent.length < max) return;
  const next = new Date((recent[recent.length - max] as number) + HOUR_MS);
  throw new ExternalError(
    `Issuer "${ctx.name}" has used its budget of ${max} new ACME order${max === 1 ? '' : 's'} per hour`,
    { hint: `The next order is possible after ${next.toISOString()}; re-run apply then.` },
  );
}

/** Splits a PEM bundle into the leaf and the rest of the chain. */
function splitChain(pem: string): { leaf: string; chain: string } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*/g);
  if (!blocks?.[0]) throw new ExternalError('the ACME server returned no certificate');
  return {
    leaf: blocks[0].trim() + '\n',
    chain: blocks
      .slice(1)
      .map((b) => b.trim() + '\n')
      .join(''),
  };
}

export function acmeIssuerWith(opts: AcmeOptions = {}): IssuerProvider {
  installRetry();
  return {
    parallel: true, // orders are independent; the account, budget and port are guarded below
    async issue(ctx: IssuerContext, req: IssueRequest): Promise<IssuedCertificate> {
      const spec = acmeSpec(ctx);
      const paths = acmePaths(ctx.home, ctx.name);
      const earlier = await readOrder(paths, req.operationId);
      if (earlier?.certificatePem !== undefined)
        return issuedCertificate(earlier.certificatePem, earlier.chainPem ?? '');
      const c = await client(ctx, spec, paths, opts);
      // acme-client's order objects do not always carry their URL back (finalize, polling):
      // the URL is kept here and put back on each.
      let orderUrl = earlier?.orderUrl ?? '';
      let createdAt = earlier?.createdAt;
      const withUrl = (o: acme.Order): acme.Order => ({ ...o, url: orderUrl });
      let order: acme.Order | undefined;
      if (earlier) {
        order = await c
          .getOrder({ url: orderUrl } as acme.Order)
          .then(withUrl)
          .catch(() => undefined);
        if (order && order.status === 'invalid') order = undefined;
      }
      if (!order) {
        const identifiers = [
          ...req.dnsNames.map((value) => ({ type: 'dns', value })),
          ...req.ipAddresses.map((value) => ({ type: 'ip', value })),
        ];
        // acme-client sends the payload as given.
        const payload: Parameters<acme.Client['createOrder']>[0] & {
          replaces?: string;
          profile?: string;
        } = { identifiers, ...(await orderExtras(ctx, spec, req)) };
        const create = async (): Promise<acme.Order> => {
          await checkBudget(ctx, spec, paths);
          const o = await c.createOrder(payload);
          orderUrl = o.url;
          createdAt = ctx.clock.now().toISOString();
          await writeOrder(paths, {
            version: 1,
            operationId: req.operationId,
            certificate: req.certificate,
            orderUrl,
            createdAt,
          });
          return o;
        };
        // With a budget, counting and ordering happen under one lock (concurrent operations).
        order =
          spec.maxIssuancesPerHour === undefined
            ? await create()
            : await budgetLocks.run(paths.dir, create);
      }
      await req.progress?.('ordered', { order: orderUrl });
      const waits = waiter(spec, opts);
      if (order.status === 'pending') await authorize(c, ctx, spec, order, waits);
      try {
        if (order.status === 'pending' || order.status === 'ready')
          order = withUrl(await c.finalizeOrder(order, await orderCsr(req)));
        const current = order;
        order = await waits.wait(
          async () => withUrl(await c.getOrder(current)),
          `ACME order ${orderUrl}`,
          (o) => problemText((o as { error?: unknown }).error) || 'the CA sent no problem document',
        );
      } catch (e) {
        if (e instanceof ExternalError) throw e;
        throw new ExternalError(`ACME order ${orderUrl} did not complete: ${problem(e)}`, {
          hint: 'Re-run apply: it resumes this order; if the CA marked it invalid, a new one is made.',
          cause: e,
        });
      }
      const pem = await c.getCertificate(order, spec.preferredChain);
      const { leaf, chain } = splitChain(pem);
      await writeOrder(paths, {
        version: 1,
        operationId: req.operationId,
        certificate: req.certificate,
        orderUrl,
        ...(createdAt ? { createdAt } : {}),
        certificatePem: leaf,
        chainPem: chain,
      });
      return issuedCertificate(leaf, chain);
    },

    async renewalInfo(ctx, certificatePem) {
      const spec = acmeSpec(ctx);
      try {
        return await fetchRenewalInfo(spec.directoryUrl, certificatePem);
      } catch (e) {
        throw new ExternalError(`renewal information from Issuer "${ctx.name}": ${problem(e)}`, {
          cause: e,
        });
      }
    },

    async revoke(ctx, certificatePem, reason) {
      const spec = acmeSpec(ctx);
      const c = await client(ctx, spec, acmePaths(ctx.home, ctx.name), opts);
      try {
        await c.revokeCertificate(certificatePem, { reason: REVOCATION_REASON_CODES[reason] });
      } catch (e) {
        throw new ExternalError(`ACME revocation by Issuer "${ctx.name}" failed: ${problem(e)}`, {
          hint: 'The CA may refuse a reason it does not accept, or a certificate another account ordered.',
          cause: e,
        });
      }
    },
  };
}

export const acmeIssuer: IssuerProvider = acmeIssuerWith();
