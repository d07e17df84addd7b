import { ErrorKind } from 'src/common/errors/app-error';
import { classifySandboxError } from 'src/modules/erp/connectors/sandbox/sandbox.errors';
import { parseRetryAfter } from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** Error bodies as the sandbox ERP (and NetSuite's REST record API) sends them. */
const fixtures = {
  unknownSku: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
    title: 'Bad Request',
    status: 400,
    'o:errorDetails': [
      {
        detail: "Invalid value for field 'item': unknown item SKU 'X'",
        'o:errorCode': 'INVALID_KEY_OR_REF',
        'o:errorPath': 'item',
      },
    ],
  }),
  malformed: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
    title: 'Bad Request',
    status: 400,
    'o:errorDetails': [
      { detail: 'Invalid content in the request body: malformed JSON.', 'o:errorCode': 'INVALID_CONTENT' },
    ],
  }),
  concurrency: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
    title: 'Too Many Requests',
    status: 429,
    'o:errorDetails': [
      { detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' },
    ],
  }),
  restletLimit: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
    title: 'Bad Request',
    status: 400,
    'o:errorDetails': [{ detail: 'Request limit exceeded.', 'o:errorCode': 'SSS_REQUEST_LIMIT_EXCEEDED' }],
  }),
  invalidLogin: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
    title: 'Unauthorized',
    status: 401,
    'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN_ATTEMPT' }],
  }),
  maintenance: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4',
    title: 'Service Unavailable',
    status: 503,
    'o:errorDetails': [
      {
        detail: 'The sandbox ERP is in a simulated maintenance window. Try again later.',
        'o:errorCode': 'SERVICE_UNAVAILABLE',
      },
    ],
  }),
  unexpected: JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1',
    title: 'Internal Server Error',
    status: 500,
    'o:errorDetails': [{ detail: 'An unexpected error occurred.', 'o:errorCode': 'UNEXPECTED_ERROR' }],
  }),
};

const NOW = Date.parse('2026-10-05T12:00:00Z');

function networkError(code: string, message = 'read ECONNRESET'): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

describe(classifySandboxError.name, () => {
  it.each([
    [
      '429 with Retry-After seconds',
      { status: 429, body: fixtures.concurrency, headers: { 'Retry-After': '2' } },
      2_000,
    ],
    ['429 without Retry-After', { status: 429, body: fixtures.concurrency }, 1_000],
    ['429 with an empty body', { status: 429, body: '', headers: { 'retry-after': '3' } }, 3_000],
    [
      '429 with an HTTP-date Retry-After',
      {
        status: 429,
        body: fixtures.concurrency,
        headers: new Headers({ 'Retry-After': 'Mon, 05 Oct 2026 12:00:05 GMT' }),
      },
      5_000,
    ],
    ['a concurrency code on another status (RESTlet style)', { status: 400, body: fixtures.restletLimit }, 1_000],
  ])('%s → Throttled', (_name, input, retryAfterMs) => {
    const error = classifySandboxError(input, NOW);
    expect(error).toBeInstanceOf(ErpError);
    expect(error.kind).toBe(ErrorKind.Throttled);
    expect(error.details.retryAfterMs).toBe(retryAfterMs);
  });

  it('keeps the vendor code and detail of a 429', () => {
    expect(classifySandboxError({ status: 429, body: fixtures.concurrency }, NOW)).toMatchObject({
      kind: ErrorKind.Throttled,
      code: 'CONCURRENCY_LIMIT_EXCEEDED',
      message: 'Concurrent request limit exceeded. Request blocked.',
      details: { httpStatus: 429, vendorCode: 'CONCURRENCY_LIMIT_EXCEEDED' },
    });
  });

  it('turns an unknown SKU into a Permanent error with the vendor detail as message', () => {
    expect(classifySandboxError({ status: 400, body: fixtures.unknownSku }, NOW)).toMatchObject({
      kind: ErrorKind.Permanent,
      message: "Invalid value for field 'item': unknown item SKU 'X'",
      code: 'INVALID_KEY_OR_REF',
      details: { httpStatus: 400, vendorCode: 'INVALID_KEY_OR_REF' },
    });
  });

  it.each([
    ['malformed JSON', 400, fixtures.malformed, 'INVALID_CONTENT'],
    ['404 with a non-JSON body', 404, '<html>Not Found</html>', 'ERP_PERMANENT'],
    ['422 with no body', 422, undefined, 'ERP_PERMANENT'],
  ])('%s → Permanent', (_name, status, body, code) => {
    const error = classifySandboxError({ status, body }, NOW);
    expect(error.kind).toBe(ErrorKind.Permanent);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('<html>');
  });

  it.each([
    [401, fixtures.invalidLogin],
    [403, ''],
  ])('%s → Auth', (status, body) => {
    expect(classifySandboxError({ status, body }, NOW).kind).toBe(ErrorKind.Auth);
  });

  it('names the vendor code of a rejected login', () => {
    expect(classifySandboxError({ status: 401, body: fixtures.invalidLogin }, NOW).code).toBe('INVALID_LOGIN_ATTEMPT');
  });

  it.each([
    ['503 maintenance without Retry-After', { status: 503, body: fixtures.maintenance }, undefined],
    ['503 with Retry-After', { status: 503, body: fixtures.maintenance, headers: { 'Retry-After': '30' } }, 30_000],
    ['500', { status: 500, body: fixtures.unexpected }, undefined],
    ['502 from a proxy', { status: 502, body: '<html>Bad Gateway</html>' }, undefined],
    ['408', { status: 408 }, undefined],
    ['an unexpected 302', { status: 302 }, undefined],
  ])('%s → Transient', (_name, input, retryAfterMs) => {
    const error = classifySandboxError(input, NOW);
    expect(error.kind).toBe(ErrorKind.Transient);
    expect(error.details.retryAfterMs).toBe(retryAfterMs);
  });

  it.each([
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ECONNREFUSED', networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4010')],
    ['undici socket closed', networkError('UND_ERR_SOCKET', 'other side closed')],
    ['socket hang up', new Error('socket hang up')],
    ['bare fetch failed', new TypeError('fetch failed')],
    ['body read cut short', new TypeError('terminated')],
    ['timeout', Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })],
    ['abort', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })],
    ['something unknown', new RangeError('weird')],
    ['a non-error value', 'boom'],
  ])('network failure: %s → Transient', (_name, cause) => {
    expect(classifySandboxError({ cause }, NOW).kind).toBe(ErrorKind.Transient);
  });

  it('reports a timeout as such', () => {
    const cause = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifySandboxError({ cause }, NOW)).toMatchObject({
      message: 'Sandbox ERP request timed out',
      code: 'TIMEOUT',
    });
  });

  it('never echoes request headers, tokens or arbitrary error text', () => {
    const token = 'tok_live_very_secret';
    const cause = new Error(`request to http://x/ failed, headers {"authorization":"Bearer ${token}"}`);
    const headers = { Authorization: `Bearer ${token}`, 'Retry-After': '1' };
    const errors = [
      classifySandboxError({ cause }, NOW),
      classifySandboxError({ status: 401, body: fixtures.invalidLogin, headers }, NOW),
      classifySandboxError({ status: 429, body: '', headers }, NOW),
      classifySandboxError({ status: 500, body: 'oops', headers }, NOW),
    ];
    for (const error of errors) {
      expect(JSON.stringify({ message: error.message, code: error.code, details: error.details })).not.toContain(token);
    }
  });

  it('truncates an over-long vendor detail', () => {
    const body = JSON.stringify({ status: 400, 'o:errorDetails': [{ detail: 'x'.repeat(5_000), 'o:errorCode': 'X' }] });
    expect(classifySandboxError({ status: 400, body }, NOW).message.length).toBeLessThanOrEqual(501);
  });
});

describe(parseRetryAfter.name, () => {
  it.each([
    ['1', 1_000],
    [' 2 ', 2_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Mon, 05 Oct 2026 12:00:10 GMT', 10_000],
    ['Mon, 05 Oct 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
