import { SignJWT } from 'jose';
import { createHmac, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { ErrorKind } from 'src/common/errors/app-error';
import type { NetsuiteAuthConfig, NetsuiteOAuth2Config, NetsuiteTbaConfig } from 'src/config/app-config';
import {
  NETSUITE_ASSERTION_TTL_SECONDS,
  NETSUITE_TOKEN_REFRESH_MARGIN_MS,
} from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { classifyNetsuiteTokenError } from 'src/modules/erp/connectors/netsuite/netsuite.errors';
import { exchange } from 'src/modules/erp/connectors/shared/http-exchange';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** Signature algorithms NetSuite accepts for the OAuth 2.0 client credentials assertion. */
export type NetsuiteJwtAlgorithm = NonNullable<NetsuiteOAuth2Config['algorithm']>;

/** @description OAuth 2.0 M2M credentials (src/config documents each field). */
export type NetsuiteOAuth2Credentials = NetsuiteOAuth2Config;

/** @description Token-based authentication credentials (src/config documents each field). */
export type NetsuiteTbaCredentials = NetsuiteTbaConfig;

/** @description The credentials of one of the two documented schemes, as configured. */
export type NetsuiteCredentials = NetsuiteAuthConfig;

/** @description An `Authorization` header value, and whether it came from a cached token (worth one refresh on 401). */
export interface NetsuiteAuthorization {
  header: string;
  fromCache: boolean;
}

/** @description Signs NetSuite requests with one of the two documented schemes. */
export interface NetsuiteAuthorizer {
  readonly kind: NetsuiteCredentials['kind'];
  /** Fetches a token ahead of the request when one is needed (outside the request gate). */
  prepare(): Promise<void>;
  /** The header for one request to `url` (the full URL, query included: TBA signs the query parameters). */
  authorize(method: string, url: string): Promise<NetsuiteAuthorization>;
  /** Drops a cached token the API refused, so the next `authorize` fetches a new one. */
  invalidate(): void;
}

export interface NetsuiteAuthEnvironment {
  /** NetSuite account id as shown in the UI (`1234567`, `1234567_SB1`). */
  accountId: string;
  /** `{base}/services/rest/auth/oauth2/v1/token`; also the assertion's audience. */
  tokenUrl: string;
  requestTimeoutMs: number;
  now?: () => number;
}

/** @description Builds the authorizer for the configured credentials. */
export function createNetsuiteAuthorizer(
  credentials: NetsuiteCredentials,
  environment: NetsuiteAuthEnvironment,
): NetsuiteAuthorizer {
  switch (credentials.kind) {
    case 'tba':
      return new NetsuiteTbaAuthorizer(credentials, netsuiteRealm(environment.accountId), environment.now);
    case 'oauth2-m2m':
      return new NetsuiteOAuth2Authorizer(credentials, environment);
  }
}

/** @description The account id as NetSuite's URLs spell it: lower-case, `_` → `-` (`1234567_SB1` → `1234567-sb1`). */
export function netsuiteAccountHostPart(accountId: string): string {
  return accountId.trim().toLowerCase().replace(/_/g, '-');
}

/** @description The TBA realm: the account id upper-case with `_` (`1234567-sb1` → `1234567_SB1`). */
export function netsuiteRealm(accountId: string): string {
  return accountId.trim().toUpperCase().replace(/-/g, '_');
}

/** @description `https://{account}.suitetalk.api.netsuite.com`, the REST web services host of an account. */
export function netsuiteDefaultBaseUrl(accountId: string): string {
  return `https://${netsuiteAccountHostPart(accountId)}.suitetalk.api.netsuite.com`;
}

/** @description The OAuth 1.0a values that vary per request; injectable so that signatures can be tested. */
export interface TbaRequestNonce {
  nonce: string;
  timestamp: number;
}

/**
 * @description The TBA `Authorization` header for one request (OAuth 1.0a, HMAC-SHA256, RFC 5849): the base string
 * holds the method, the normalised base URL and every `oauth_*` and query parameter, sorted and percent-encoded;
 * `realm` goes into the header only; the key is `consumerSecret&tokenSecret`.
 */
export function signTbaRequest(
  credentials: NetsuiteTbaCredentials,
  realm: string,
  method: string,
  url: string,
  nonce: TbaRequestNonce,
): string {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    realm,
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const data: OAuth.Data = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: nonce.nonce,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: nonce.timestamp,
    oauth_token: credentials.tokenId,
    oauth_version: '1.0',
  };
  // The library merges query parameters into the object it is given; hand it a copy.
  const signature = oauth.getSignature({ url: normaliseSignedUrl(url), method, data: {} }, credentials.tokenSecret, {
    ...data,
  });
  return oauth.toHeader({ ...data, oauth_signature: signature }).Authorization;
}

/**
 * RFC 5849 §3.4.1.2: scheme and host lower-case, default port dropped. `URL` does exactly that; the query stays as
 * sent so that the signed parameters are the ones on the wire.
 */
function normaliseSignedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search}`;
}

/**
 * @description Builds the OAuth 2.0 client credentials assertion: header `{typ: JWT, alg, kid: certificateId}`,
 * payload `{iss: clientId, scope: ['rest_webservices'], aud: tokenUrl, iat, exp}` with `exp` ≤ `iat` + 60 min.
 */
export async function buildClientAssertion(
  credentials: NetsuiteOAuth2Credentials,
  key: KeyObject,
  tokenUrl: string,
  nowMs: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1_000);
  return new SignJWT({ scope: ['rest_webservices'] })
    .setProtectedHeader({ typ: 'JWT', alg: credentials.algorithm ?? 'PS256', kid: credentials.certificateId })
    .setIssuer(credentials.clientId)
    .setAudience(tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + NETSUITE_ASSERTION_TTL_SECONDS)
    .sign(key);
}

class NetsuiteTbaAuthorizer implements NetsuiteAuthorizer {
  readonly kind = 'tba';

  constructor(
    private readonly credentials: NetsuiteTbaCredentials,
    private readonly realm: string,
    private readonly now: () => number = Date.now,
  ) {}

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  authorize(method: string, url: string): Promise<NetsuiteAuthorization> {
    // NetSuite refuses a nonce it has seen before; 20 random bytes make a collision practically impossible.
    const nonce = { nonce: randomBytes(20).toString('hex'), timestamp: Math.floor(this.now() / 1_000) };
    return Promise.resolve({
      header: signTbaRequest(this.credentials, this.realm, method, url, nonce),
      fromCache: false,
    });
  }

  invalidate(): void {
    // Nothing cached: every TBA request is signed on its own.
  }
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

class NetsuiteOAuth2Authorizer implements NetsuiteAuthorizer {
  readonly kind = 'oauth2-m2m';
  private token?: CachedToken;
  private pending?: Promise<CachedToken>;
  private key?: KeyObject;
  private readonly now: () => number;

  constructor(
    private readonly credentials: NetsuiteOAuth2Credentials,
    private readonly environment: NetsuiteAuthEnvironment,
  ) {
    this.now = environment.now ?? Date.now;
  }

  async prepare(): Promise<void> {
    await this.currentToken();
  }

  async authorize(): Promise<NetsuiteAuthorization> {
    const fromCache = this.usable(this.token);
    const token = await this.currentToken();
    return { header: `Bearer ${token.accessToken}`, fromCache };
  }

  invalidate(): void {
    this.token = undefined;
  }

  private usable(token: CachedToken | undefined): token is CachedToken {
    return token !== undefined && token.expiresAt - NETSUITE_TOKEN_REFRESH_MARGIN_MS > this.now();
  }

  /** One token request at a time per process: concurrent callers share the one in flight. */
  private currentToken(): Promise<CachedToken> {
    if (this.usable(this.token)) {
      return Promise.resolve(this.token);
    }
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<CachedToken> {
    const startedAt = this.now();
    const assertion = await buildClientAssertion(
      this.credentials,
      this.signingKey(),
      this.environment.tokenUrl,
      startedAt,
    );
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const { response, text } = await exchange(
      this.environment.tokenUrl,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
      },
      this.environment.requestTimeoutMs,
      (cause) => classifyNetsuiteTokenError({ cause }),
    );
    if (!response.ok) {
      throw classifyNetsuiteTokenError({ status: response.status, body: text, headers: response.headers });
    }
    const token = parseTokenResponse(text, startedAt);
    this.token = token;
    return token;
  }

  private signingKey(): KeyObject {
    if (this.key === undefined) {
      try {
        this.key = createPrivateKey(this.credentials.privateKeyPem);
      } catch {
        // The parser's message could quote key material; say only what is wrong.
        throw new ErpError(ErrorKind.Auth, 'NetSuite OAuth 2.0 private key is not a readable PEM private key', {
          vendorCode: 'INVALID_PRIVATE_KEY',
        });
      }
    }
    return this.key;
  }
}

/** @description Reads `{access_token, expires_in, token_type}`; `expires_in` may be a number or a string. */
export function parseTokenResponse(text: string, issuedAtMs: number): CachedToken {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const accessToken = record.access_token;
  const expiresIn = Number(record.expires_in ?? 3600);
  if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new ErpError(ErrorKind.Transient, 'NetSuite token endpoint answered without a usable access token', {
      vendorCode: 'INVALID_TOKEN_RESPONSE',
    });
  }
  return { accessToken, expiresAt: issuedAtMs + expiresIn * 1_000 };
}
