import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorKind } from 'src/common/errors/app-error';
import {
  buildClientAssertion,
  createNetsuiteAuthorizer,
  netsuiteAccountHostPart,
  netsuiteDefaultBaseUrl,
  netsuiteRealm,
  parseTokenResponse,
  signTbaRequest,
  type NetsuiteOAuth2Credentials,
  type NetsuiteTbaCredentials,
} from 'src/modules/erp/connectors/netsuite/netsuite.auth';
import { ErpError } from 'src/modules/erp/port/erp-error';

const tba: NetsuiteTbaCredentials = {
  kind: 'tba',
  consumerKey: 'ck',
  consumerSecret: 'cs&!',
  tokenId: 'tk',
  tokenSecret: "ts'*",
};

/** RFC 5849 by hand, to check the library's output against the spec rather than against itself. */
function expectedSignature(method: string, baseUrl: string, params: Record<string, string>): string {
  const enc = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const normalised = Object.entries(params)
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${method}&${enc(baseUrl)}&${enc(normalised)}`;
  return createHmac('sha256', `${enc(tba.consumerSecret)}&${enc(tba.tokenSecret)}`)
    .update(base)
    .digest('base64');
}

describe('NetSuite account ids', () => {
  it('uses lower-case dashes in URLs and upper-case underscores as realm', () => {
    expect(netsuiteAccountHostPart('1234567_SB1')).toBe('1234567-sb1');
    expect(netsuiteRealm('1234567-sb1')).toBe('1234567_SB1');
    expect(netsuiteDefaultBaseUrl('1234567_SB1')).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
  });
});

describe(signTbaRequest.name, () => {
  it('signs method, normalised URL, oauth and query parameters (RFC 5849), realm only in the header', () => {
    const url = 'HTTPS://1234567-SB1.suitetalk.api.netsuite.com:443/services/rest/query/v1/suiteql?limit=10&offset=20';
    const header = signTbaRequest(tba, '1234567_SB1', 'POST', url, { nonce: 'n0nce', timestamp: 1_790_000_000 });
    const signature = expectedSignature(
      'POST',
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql',
      {
        oauth_consumer_key: 'ck',
        oauth_nonce: 'n0nce',
        oauth_signature_method: 'HMAC-SHA256',
        oauth_timestamp: '1790000000',
        oauth_token: 'tk',
        oauth_version: '1.0',
        limit: '10',
        offset: '20',
      },
    );
    expect(header).toContain('OAuth realm="1234567_SB1"');
    expect(header).toContain(`oauth_signature="${encodeURIComponent(signature)}"`);
    expect(header).toContain('oauth_signature_method="HMAC-SHA256"');
    expect(header).not.toContain('limit=');
  });

  it('signs each request with a fresh nonce', async () => {
    const authorizer = createNetsuiteAuthorizer(tba, {
      accountId: '1',
      tokenUrl: 'http://x/token',
      requestTimeoutMs: 1_000,
    });
    const a = await authorizer.authorize('GET', 'https://1.suitetalk.api.netsuite.com/x');
    const b = await authorizer.authorize('GET', 'https://1.suitetalk.api.netsuite.com/x');
    expect(a.header).not.toBe(b.header);
    expect(a.fromCache).toBe(false);
  });
});

describe('OAuth 2.0 client credentials', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const credentials: NetsuiteOAuth2Credentials = {
    kind: 'oauth2-m2m',
    clientId: 'client-1',
    certificateId: 'cert-1',
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };

  it('builds the assertion NetSuite documents', async () => {
    const now = Date.parse('2026-10-05T10:00:00Z');
    const jwt = await buildClientAssertion(credentials, pair.privateKey, 'https://a/token', now);
    expect(decodeProtectedHeader(jwt)).toEqual({ typ: 'JWT', alg: 'PS256', kid: 'cert-1' });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ iss: 'client-1', aud: 'https://a/token', scope: ['rest_webservices'] });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(3_600);
    await expect(
      jwtVerify(jwt, pair.publicKey, { audience: 'https://a/token', currentDate: new Date(now) }),
    ).resolves.toBeDefined();
  });

  describe('token cache', () => {
    let server: Server;
    let tokenUrl: string;
    let requests = 0;
    let answer: { status: number; body: string } = { status: 200, body: '' };

    beforeAll(async () => {
      server = createServer((req, res) => {
        requests++;
        req.resume();
        req.on('end', () => {
          res.writeHead(answer.status, { 'Content-Type': 'application/json' });
          res.end(answer.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      requests = 0;
      answer = {
        status: 200,
        body: JSON.stringify({ access_token: 'tok-1', token_type: 'bearer', expires_in: '3600' }),
      };
    });

    it('shares one token request between concurrent callers and caches it', async () => {
      const authorizer = createNetsuiteAuthorizer(credentials, { accountId: '1', tokenUrl, requestTimeoutMs: 1_000 });
      const [a, b] = await Promise.all([authorizer.authorize('GET', 'x'), authorizer.authorize('GET', 'x')]);
      expect(a.header).toBe('Bearer tok-1');
      expect(b.header).toBe('Bearer tok-1');
      expect((await authorizer.authorize('GET', 'x')).fromCache).toBe(true);
      expect(requests).toBe(1);
    });

    it('renews the token before it expires, and after invalidate', async () => {
      let now = Date.parse('2026-10-05T10:00:00Z');
      const authorizer = createNetsuiteAuthorizer(credentials, {
        accountId: '1',
        tokenUrl,
        requestTimeoutMs: 1_000,
        now: () => now,
      });
      await authorizer.prepare();
      now += 56 * 60_000; // 4 minutes left: inside the 5-minute margin
      await authorizer.authorize('GET', 'x');
      expect(requests).toBe(2);
      authorizer.invalidate();
      expect((await authorizer.authorize('GET', 'x')).fromCache).toBe(false);
      expect(requests).toBe(3);
    });

    it('turns a refused assertion into Auth without leaking the key', async () => {
      answer = { status: 400, body: '{"error":"invalid_grant"}' };
      const authorizer = createNetsuiteAuthorizer(credentials, { accountId: '1', tokenUrl, requestTimeoutMs: 1_000 });
      const error = await authorizer.prepare().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErpError);
      expect(error).toMatchObject({ kind: ErrorKind.Auth, code: 'invalid_grant' });
    });

    it('refuses an unreadable private key as Auth', async () => {
      const authorizer = createNetsuiteAuthorizer(
        { ...credentials, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' },
        { accountId: '1', tokenUrl, requestTimeoutMs: 1_000 },
      );
      const error = (await authorizer.prepare().catch((e: unknown) => e)) as ErpError;
      expect(error).toMatchObject({ kind: ErrorKind.Auth, code: 'INVALID_PRIVATE_KEY' });
      expect(error.message).not.toContain('nope');
    });
  });

  it('reads expires_in as a number or a string and refuses a token-less answer', () => {
    expect(parseTokenResponse('{"access_token":"a","expires_in":60}', 0)).toEqual({
      accessToken: 'a',
      expiresAt: 60_000,
    });
    expect(parseTokenResponse('{"access_token":"a","expires_in":"60"}', 0).expiresAt).toBe(60_000);
    expect(() => parseTokenResponse('{}', 0)).toThrow(ErpError);
  });
});
