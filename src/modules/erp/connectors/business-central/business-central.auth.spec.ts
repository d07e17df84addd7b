import { ErrorKind } from 'src/common/errors/app-error';
import {
  BusinessCentralTokenProvider,
  classifyTokenError,
  parseTokenResponse,
} from 'src/modules/erp/connectors/business-central/business-central.auth';
import { ErpError } from 'src/modules/erp/port/erp-error';

const request = {
  tokenUrl: 'https://login.example/tenant/oauth2/v2.0/token',
  clientId: 'client-1',
  clientSecret: 'very-secret-value',
  scope: 'https://api.businesscentral.dynamics.com/.default',
};

/** A fake token endpoint: records the forms it received and answers from a queue. */
function fakeEntra(answers: Array<{ status: number; body: unknown }>) {
  const forms: URLSearchParams[] = [];
  const fetchFn = jest.fn((_url: string | URL | Request, init?: RequestInit) => {
    forms.push(new URLSearchParams(init?.body as string));
    const answer = answers.shift() ?? { status: 500, body: {} };
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
  });
  return { forms, fetchFn: fetchFn as unknown as typeof fetch, calls: fetchFn };
}

const token = (accessToken: string, expiresIn = 3599) => ({
  status: 200,
  body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken },
});

describe(BusinessCentralTokenProvider.name, () => {
  it('posts the client-credentials form and caches the token', async () => {
    const entra = fakeEntra([token('t1')]);
    const sut = new BusinessCentralTokenProvider(request, { requestTimeoutMs: 1_000, fetch: entra.fetchFn });
    await expect(sut.token()).resolves.toEqual({ accessToken: 't1', cached: false });
    await expect(sut.token()).resolves.toEqual({ accessToken: 't1', cached: true });
    expect(entra.calls).toHaveBeenCalledTimes(1);
    expect(Object.fromEntries(entra.forms[0])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'very-secret-value',
      scope: 'https://api.businesscentral.dynamics.com/.default',
    });
  });

  it('refreshes before expiry: 5 minutes early for an hour-long token', async () => {
    let now = 0;
    const entra = fakeEntra([token('t1'), token('t2')]);
    const sut = new BusinessCentralTokenProvider(request, {
      requestTimeoutMs: 1_000,
      fetch: entra.fetchFn,
      now: () => now,
    });
    await sut.token();
    now = (3599 - 301) * 1_000;
    expect((await sut.token()).accessToken).toBe('t1');
    now = (3599 - 299) * 1_000;
    expect((await sut.token()).accessToken).toBe('t2');
  });

  it('shares one refresh between concurrent callers', async () => {
    const entra = fakeEntra([token('t1')]);
    const sut = new BusinessCentralTokenProvider(request, { requestTimeoutMs: 1_000, fetch: entra.fetchFn });
    const tokens = await Promise.all([sut.token(), sut.token(), sut.token()]);
    expect(tokens.map((t) => t.accessToken)).toEqual(['t1', 't1', 't1']);
    expect(entra.calls).toHaveBeenCalledTimes(1);
  });

  it('fetches a new token after the cached one is invalidated', async () => {
    const entra = fakeEntra([token('t1'), token('t2')]);
    const sut = new BusinessCentralTokenProvider(request, { requestTimeoutMs: 1_000, fetch: entra.fetchFn });
    await sut.token();
    sut.invalidate('some-other-token');
    expect((await sut.token()).accessToken).toBe('t1');
    sut.invalidate('t1');
    expect(await sut.token()).toEqual({ accessToken: 't2', cached: false });
  });

  it('throws Auth for a refused secret, without the secret in the message', async () => {
    const entra = fakeEntra([
      {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided. Trace ID: 1',
        },
      },
    ]);
    const sut = new BusinessCentralTokenProvider(request, { requestTimeoutMs: 1_000, fetch: entra.fetchFn });
    const error = await sut.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpError);
    expect((error as ErpError).kind).toBe(ErrorKind.Auth);
    expect((error as ErpError).message).toContain('invalid_client: AADSTS7000215');
    expect((error as ErpError).message).not.toContain('very-secret-value');
  });

  it('throws Transient when the endpoint cannot be reached', async () => {
    const fetchFn = jest.fn(() => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })));
    const sut = new BusinessCentralTokenProvider(request, {
      requestTimeoutMs: 1_000,
      fetch: fetchFn,
    });
    await expect(sut.token()).rejects.toMatchObject({ kind: ErrorKind.Transient, code: 'ECONNREFUSED' });
  });
});

describe(classifyTokenError.name, () => {
  it.each([
    [400, { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found.' }, ErrorKind.Auth],
    [400, { error: 'invalid_scope', error_description: 'AADSTS1002012: scope not valid.' }, ErrorKind.Auth],
    [
      401,
      { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
      ErrorKind.Auth,
    ],
    [429, { error: 'temporarily_unavailable' }, ErrorKind.Throttled],
    [503, { error: 'temporarily_unavailable' }, ErrorKind.Transient],
  ])('HTTP %s %j → %s', (status, body, kind) => {
    expect(classifyTokenError(status, JSON.stringify(body)).kind).toBe(kind);
  });
});

describe(parseTokenResponse.name, () => {
  it('accepts expires_in as a string and rejects a body without a token', () => {
    expect(parseTokenResponse('{"access_token":"a","expires_in":"60"}', 0)).toEqual({
      accessToken: 'a',
      expiresAt: 60_000,
      refreshAt: 54_000,
    });
    expect(() => parseTokenResponse('{"expires_in":60}', 0)).toThrow(ErpError);
  });
});
