import { decodeProtectedHeader, jwtVerify } from 'jose';
import { createHmac, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * The NetSuite simulator's authentication checks, written independently of the connector's signing code so that a
 * signing bug cannot pass by agreeing with itself: OAuth 1.0a (TBA) signatures recomputed per RFC 5849 from the
 * known secrets, and OAuth 2.0 client-credentials assertions verified with the certificate's public key.
 */

export interface SimTbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface SimOAuth2Client {
  clientId: string;
  certificateId: string;
  publicKey: KeyObject;
}

const TIMESTAMP_TOLERANCE_SECONDS = 300;
const ASSERTION_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires (unreserved characters kept). */
export function rfc5849Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses `OAuth realm="…", oauth_x="…"`; values are percent-decoded. */
export function parseOAuthHeader(header: string): Map<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (match === null) {
    return undefined;
  }
  const params = new Map<string, string>();
  for (const part of (match[1] ?? '').split(',')) {
    const pair = /^\s*([A-Za-z0-9_]+)="([^"]*)"\s*$/.exec(part);
    if (pair === null) {
      return undefined;
    }
    try {
      params.set(pair[1] ?? '', decodeURIComponent(pair[2] ?? ''));
    } catch {
      return undefined;
    }
  }
  return params;
}

/**
 * Recomputes the TBA signature of a request. Returns undefined when it is authentic, else why not (for the
 * simulator's log only; NetSuite says no more than "Invalid login attempt").
 */
export function checkTbaSignature(
  input: { method: string; baseUrl: string; query: URLSearchParams; authorization: string | undefined },
  expected: { realm: string; credentials: SimTbaCredentials; nowSeconds: number; seenNonces: Set<string> },
): string | undefined {
  const params = parseOAuthHeader(input.authorization ?? '');
  if (params === undefined) {
    return 'no OAuth header';
  }
  const { credentials } = expected;
  if (params.get('realm') !== expected.realm) {
    return 'wrong realm';
  }
  if (
    params.get('oauth_consumer_key') !== credentials.consumerKey ||
    params.get('oauth_token') !== credentials.tokenId
  ) {
    return 'unknown consumer or token';
  }
  if (params.get('oauth_signature_method') !== 'HMAC-SHA256') {
    return 'unsupported signature method';
  }
  if (params.has('oauth_version') && params.get('oauth_version') !== '1.0') {
    return 'unsupported version';
  }
  const timestamp = Number(params.get('oauth_timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(expected.nowSeconds - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) {
    return 'timestamp out of range';
  }
  const nonce = params.get('oauth_nonce') ?? '';
  if (nonce === '' || expected.seenNonces.has(`${timestamp}:${nonce}`)) {
    return 'missing or reused nonce';
  }
  const signed: Array<[string, string]> = [];
  for (const [key, value] of params) {
    if (key !== 'realm' && key !== 'oauth_signature') {
      signed.push([rfc5849Encode(key), rfc5849Encode(value)]);
    }
  }
  for (const [key, value] of input.query) {
    signed.push([rfc5849Encode(key), rfc5849Encode(value)]);
  }
  signed.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const baseString = [
    input.method.toUpperCase(),
    rfc5849Encode(input.baseUrl),
    rfc5849Encode(signed.map(([key, value]) => `${key}=${value}`).join('&')),
  ].join('&');
  const signingKey = `${rfc5849Encode(credentials.consumerSecret)}&${rfc5849Encode(credentials.tokenSecret)}`;
  const expectedSignature = createHmac('sha256', signingKey).update(baseString).digest();
  const given = Buffer.from(params.get('oauth_signature') ?? '', 'base64');
  if (given.length !== expectedSignature.length || !timingSafeEqual(given, expectedSignature)) {
    return 'signature mismatch';
  }
  expected.seenNonces.add(`${timestamp}:${nonce}`);
  return undefined;
}

export type TokenGrant =
  | { ok: true; accessToken: string; expiresInSeconds: number }
  | { ok: false; status: number; error: string; reason: string };

/**
 * Checks an OAuth 2.0 client credentials request (`grant_type=client_credentials`, JWT bearer assertion): the
 * certificate named by `kid`, the signature, `iss` = client id, `aud` = token URL, `exp` ≤ `iat` + 60 min, and the
 * `rest_webservices` scope. Issues a random access token on success.
 */
export async function grantClientCredentials(
  form: URLSearchParams,
  expected: { tokenUrl: string; clients: readonly SimOAuth2Client[]; ttlSeconds: number; nowSeconds: number },
): Promise<TokenGrant> {
  if (form.get('grant_type') !== 'client_credentials') {
    return { ok: false, status: 400, error: 'unsupported_grant_type', reason: 'grant_type' };
  }
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return { ok: false, status: 400, error: 'invalid_request', reason: 'client_assertion_type' };
  }
  const assertion = form.get('client_assertion') ?? '';
  let header: { kid?: string; alg?: string; typ?: string };
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return { ok: false, status: 400, error: 'invalid_request', reason: 'assertion is not a JWT' };
  }
  const client = expected.clients.find((candidate) => candidate.certificateId === header.kid);
  if (client === undefined) {
    return { ok: false, status: 401, error: 'invalid_client', reason: 'unknown certificate id' };
  }
  if (header.typ !== 'JWT' || !ASSERTION_ALGORITHMS.includes(header.alg ?? '')) {
    return { ok: false, status: 400, error: 'invalid_grant', reason: 'typ/alg' };
  }
  try {
    const { payload } = await jwtVerify(assertion, client.publicKey, {
      audience: expected.tokenUrl,
      issuer: client.clientId,
      algorithms: ASSERTION_ALGORITHMS,
      currentDate: new Date(expected.nowSeconds * 1_000),
      requiredClaims: ['iat', 'exp'],
    });
    const iat = payload.iat ?? 0;
    const exp = payload.exp ?? 0;
    if (exp - iat > 3_600 || iat > expected.nowSeconds + 60) {
      return { ok: false, status: 400, error: 'invalid_grant', reason: 'iat/exp' };
    }
    const scope = (payload as { scope?: unknown }).scope;
    const scopes = Array.isArray(scope) ? scope.map(String) : typeof scope === 'string' ? scope.split(/[\s,]+/) : [];
    if (!scopes.includes('rest_webservices')) {
      return { ok: false, status: 400, error: 'invalid_scope', reason: 'scope' };
    }
  } catch {
    return { ok: false, status: 400, error: 'invalid_grant', reason: 'signature, issuer, audience or expiry' };
  }
  return { ok: true, accessToken: randomBytes(32).toString('base64url'), expiresInSeconds: expected.ttlSeconds };
}
