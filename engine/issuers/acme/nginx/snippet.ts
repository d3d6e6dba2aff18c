// The nginx configuration snippet that answers http-01 challenges: one exact-match location per
// pending token, returning the key authorization as text/plain. Tokens and key authorizations
// come from the CA (the key authorization is token '.' thumbprint): both are checked against the
// base64url alphabet before they reach nginx's configuration, so nothing the CA sends can end a
// string, a directive or a block.
import { ExternalError } from '../../../errors.ts';

/** The file name inside the nginx Target's directory. */
export const SNIPPET_FILE = 'acme-challenge.conf';

const B64URL = /^[A-Za-z0-9_-]{1,256}$/;

/** Throws an ExternalError unless the token and its key authorization are well-formed. */
export function checkChallenge(token: string, keyAuthorization: string): void {
  if (!B64URL.test(token)) throw new ExternalError('the ACME server sent a malformed token');
  const dot = keyAuthorization.indexOf('.');
  if (keyAuthorization.slice(0, dot) !== token || !B64URL.test(keyAuthorization.slice(dot + 1)))
    throw new ExternalError(`the key authorization for token ${token} is malformed`);
}

/** The snippet for the pending challenges (token → key authorization), in token order. */
export function renderSnippet(pending: ReadonlyMap<string, string>): string {
  const head = [
    '# Written by certops: ACME http-01 challenges pending on this host.',
    '# Include it once inside each port-80 server block; certops rewrites it, do not edit.',
  ];
  if (pending.size === 0) return [...head, '# (none pending)', ''].join('\n');
  const body = [...pending.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([token, keyAuthorization]) => {
      checkChallenge(token, keyAuthorization);
      return `location = /.well-known/acme-challenge/${token} { default_type text/plain; return 200 "${keyAuthorization}"; }`;
    });
  return [...head, ...body, ''].join('\n');
}
