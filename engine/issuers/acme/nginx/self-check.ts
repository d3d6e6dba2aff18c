// Before the CA is asked to validate, certops fetches the token from nginx itself, with the
// validated name as Host (so the server block the CA will reach is the one that answers): a
// reload that has not taken effect yet, or a server block without the include, shows here
// instead of as a failed (rate-limited) authorization.
//
// One right answer is not enough: on reload the nginx master starts the new workers, waits
// ~100 ms, and only then tells the old ones to stop accepting, so for a moment new connections
// land on either generation. The check therefore asks over a new connection each time and
// passes once the answer has been right for STABLE consecutive polls (≥ 300 ms).
import { request } from 'node:http';
import { ExternalError } from '../../../errors.ts';

export interface SelfCheck {
  address: string;
  port: number;
  /** Overall bound (default 10 s); polled every 50 ms. */
  timeoutMs?: number;
}

const POLL_MS = 50;
const STABLE = 7;

interface Answer {
  status: number;
  body: string;
}

function get(c: SelfCheck, host: string, urlPath: string, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      // agent: false — a new connection each time: a kept-alive one may reach an old worker.
      { host: c.address, port: c.port, path: urlPath, headers: { host }, signal, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => {
          if (body.length < 4096) body += s;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Resolves once nginx answers the key authorization for `token`; ExternalError on timeout. */
export async function selfCheck(
  c: SelfCheck,
  name: string,
  token: string,
  keyAuthorization: string,
): Promise<void> {
  const urlPath = `/.well-known/acme-challenge/${token}`;
  const timeoutMs = c.timeoutMs ?? 10_000;
  const deadline = AbortSignal.timeout(timeoutMs);
  let last = 'no answer';
  let right = 0;
  while (!deadline.aborted) {
    try {
      const a = await get(
        c,
        name,
        urlPath,
        AbortSignal.any([deadline, AbortSignal.timeout(2_000)]),
      );
      if (a.status === 200 && a.body === keyAuthorization) {
        if (++right >= STABLE) return;
      } else {
        right = 0;
        last = `HTTP ${a.status} ${JSON.stringify(a.body.slice(0, 80))}`;
      }
    } catch (e) {
      right = 0;
      if (!deadline.aborted) last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const where = c.address.includes(':') ? `[${c.address}]` : c.address;
  throw new ExternalError(
    `http-01 self-check for ${name}: http://${where}:${c.port}${urlPath} (Host: ${name}) did not answer the key authorization within ${timeoutMs / 1000}s (last: ${last})`,
    {
      hint: 'Include the challenge snippet inside the port-80 server block that serves this name, and point http01.selfCheck at where that server listens.',
    },
  );
}
