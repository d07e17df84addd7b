import { ErrorKind } from 'src/common/errors/app-error';
import {
  classifyNetsuiteError,
  classifyNetsuiteTokenError,
  isCustomerReferenceError,
  isItemReferenceError,
  parseNetsuiteErrorBody,
} from 'src/modules/erp/connectors/netsuite/netsuite.errors';
import { parseRetryAfter } from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

function body(status: number, code: string, detail: string, path?: string): string {
  return JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
    title: 'Bad Request',
    status,
    'o:errorDetails': [{ detail, 'o:errorCode': code, ...(path === undefined ? {} : { 'o:errorPath': path }) }],
  });
}

describe(classifyNetsuiteError.name, () => {
  it.each([
    [
      '429 concurrency',
      429,
      body(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded.'),
      ErrorKind.Throttled,
    ],
    ['400 RESTlet limit', 400, body(400, 'SSS_REQUEST_LIMIT_EXCEEDED', 'Request limit exceeded.'), ErrorKind.Throttled],
    ['400 SOAP block', 400, body(400, 'WS_REQUEST_BLOCKED', 'Request blocked.'), ErrorKind.Throttled],
    ['401 TBA', 401, body(401, 'INVALID_LOGIN_ATTEMPT', 'Invalid login attempt.'), ErrorKind.Auth],
    ['401 token', 401, body(401, 'INVALID_LOGIN', 'Invalid login attempt.'), ErrorKind.Auth],
    ['403 role', 403, body(403, 'INSUFFICIENT_PERMISSION', 'Permission Violation.'), ErrorKind.Auth],
    ['400 login code', 400, body(400, 'INVALID_LOGIN_ATTEMPT', 'Invalid login attempt.'), ErrorKind.Auth],
    ['503 outage', 503, body(503, 'SERVICE_UNAVAILABLE', 'Maintenance.'), ErrorKind.Transient],
    ['500', 500, body(500, 'UNEXPECTED_ERROR', 'Oops.'), ErrorKind.Transient],
    ['502 html', 502, '<html>Bad gateway</html>', ErrorKind.Transient],
    [
      '400 reference',
      400,
      body(400, 'INVALID_KEY_OR_REF', "Invalid value for field 'entity'.", 'entity'),
      ErrorKind.Permanent,
    ],
    ['400 user error', 400, body(400, 'USER_ERROR', 'Please enter value(s) for: Customer'), ErrorKind.Permanent],
    ['404', 404, body(404, 'NONEXISTENT_ID', 'The record instance does not exist.'), ErrorKind.Permanent],
  ])('%s → %s', (_name, status, text, kind) => {
    expect(classifyNetsuiteError({ status, body: text }).kind).toBe(kind);
  });

  describe('a 404 and the request it answers', () => {
    const base = 'https://1234567.suitetalk.api.netsuite.com/services/rest';
    const missing = body(404, 'NONEXISTENT_ID', 'The record instance does not exist.');
    const noSuchPath = body(404, 'INVALID_RECORD_TYPE', "The record type or resource '/x' is not available.");

    it.each([
      ['the metadata catalog (checkConnection)', 'GET', `${base}/record/v1/metadata-catalog`, noSuchPath],
      ['a SuiteQL query', 'POST', `${base}/query/v1/suiteql?limit=1&offset=0`, '<html>Not Found</html>'],
      ['an upsert by external id', 'PUT', `${base}/record/v1/salesOrder/eid:1001?replace=item`, noSuchPath],
      ['a record collection', 'GET', `${base}/record/v1/customer`, noSuchPath],
      ['a doubled base path', 'POST', `${base}/services/rest/query/v1/suiteql`, ''],
    ])('on %s → Configuration (the base URL or account is wrong)', (_name, method, url, text) => {
      const error = classifyNetsuiteError({ status: 404, body: text, request: { method, url } });
      expect(error.kind).toBe(ErrorKind.Configuration);
      expect(error.details.httpStatus).toBe(404);
      expect(error.message).not.toContain('?');
    });

    it.each([
      ['reading an order by external id', 'GET', `${base}/record/v1/salesOrder/eid:1001?expandSubResources=true`],
      ['patching a customer by internal id', 'PATCH', `${base}/record/v1/customer/42`],
    ])('on %s stays the record’s Permanent error', (_name, method, url) => {
      const error = classifyNetsuiteError({ status: 404, body: missing, request: { method, url } });
      expect(error).toMatchObject({ kind: ErrorKind.Permanent, code: 'NONEXISTENT_ID' });
    });
  });

  it('keeps the vendor code, status, detail and error path', () => {
    const error = classifyNetsuiteError({
      status: 400,
      body: body(400, 'INVALID_KEY_OR_REF', "Invalid value for field 'item'.", 'item.items[0].item'),
    });
    expect(error).toMatchObject({
      kind: ErrorKind.Permanent,
      code: 'INVALID_KEY_OR_REF',
      message: "Invalid value for field 'item'. (o:errorPath item.items[0].item)",
      details: { vendorCode: 'INVALID_KEY_OR_REF', httpStatus: 400 },
    });
    expect(isItemReferenceError(error)).toBe(true);
    expect(
      isItemReferenceError(
        classifyNetsuiteError({
          status: 400,
          body: body(400, 'INVALID_KEY_OR_REF', "Invalid value for field 'entity'.", 'entity'),
        }),
      ),
    ).toBe(false);
  });

  describe('refused references (a stale internal id: an item re-created, a customer merged)', () => {
    const refusal = (code: string, detail: string, path?: string) =>
      classifyNetsuiteError({ status: 400, body: body(400, code, detail, path) });

    it.each([
      [
        "Oracle's documented REST shape",
        refusal(
          'INVALID_CONTENT',
          'Error while accessing resource: You have entered an Invalid Field Value 9999 for the following field: item',
          'item.items[0].item',
        ),
      ],
      ['a reference key', refusal('INVALID_KEY_OR_REF', 'Invalid item reference key 9999 for subsidiary 1.')],
      ['an invalid value', refusal('INVALID_KEY_OR_REF', "Invalid value for field 'item'.", 'item.items[3].item')],
      ['only the path says so', refusal('USER_ERROR', 'That record does not exist.', 'item.items[1].item')],
    ])('an item refused: %s', (_name, error) => {
      expect(isItemReferenceError(error)).toBe(true);
      expect(isCustomerReferenceError(error)).toBe(false);
    });

    it.each([
      ['a reference key', refusal('INVALID_KEY_OR_REF', 'Invalid entity reference key 107 for subsidiary 1.')],
      [
        "Oracle's documented REST shape",
        refusal(
          'INVALID_CONTENT',
          'Error while accessing resource: You have entered an Invalid Field Value 107 for the following field: entity',
          'entity',
        ),
      ],
      ['an invalid value', refusal('INVALID_VALUE', "Invalid value for field 'entity'.", 'entity')],
    ])('the customer refused: %s', (_name, error) => {
      expect(isCustomerReferenceError(error)).toBe(true);
      expect(isItemReferenceError(error)).toBe(false);
    });

    it('is not any other refusal of those fields', () => {
      const missingLines = refusal('USER_ERROR', 'You must enter at least one line item for this transaction.', 'item');
      const missingCustomer = refusal('USER_ERROR', 'Please enter value(s) for: Customer', 'entity');
      const unknownField = refusal('INVALID_CONTENT', "Invalid field 'foo' for sublist 'item'.", 'item.items[0]');
      for (const error of [missingLines, missingCustomer, unknownField]) {
        expect([isItemReferenceError(error), isCustomerReferenceError(error)]).toEqual([false, false]);
      }
      const outage = classifyNetsuiteError({
        status: 503,
        body: body(503, 'X', 'Invalid item reference key 1', 'item.items[0].item'),
      });
      expect(isItemReferenceError(outage)).toBe(false);
    });
  });

  it('reads Retry-After in seconds or as a date, defaulting to 1 s', () => {
    const now = Date.parse('2026-10-05T10:00:00Z');
    expect(classifyNetsuiteError({ status: 429, headers: { 'Retry-After': '3' } }).details.retryAfterMs).toBe(3_000);
    expect(
      classifyNetsuiteError(
        { status: 429, headers: new Headers({ 'retry-after': 'Mon, 05 Oct 2026 10:00:05 GMT' }) },
        now,
      ).details.retryAfterMs,
    ).toBe(5_000);
    expect(classifyNetsuiteError({ status: 429 }).details.retryAfterMs).toBe(1_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('classifies network failures and timeouts as Transient without echoing unknown messages', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(classifyNetsuiteError({ cause: reset })).toMatchObject({ kind: ErrorKind.Transient, code: 'ECONNRESET' });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyNetsuiteError({ cause: timeout })).toMatchObject({ kind: ErrorKind.Transient, code: 'TIMEOUT' });
    const odd = classifyNetsuiteError({ cause: new Error('secret=abc123') });
    expect(odd.kind).toBe(ErrorKind.Transient);
    expect(odd.message).not.toContain('abc123');
  });

  it('treats an unexpected status as Transient', () => {
    expect(classifyNetsuiteError({ status: 302 }).kind).toBe(ErrorKind.Transient);
  });
});

/** Error bodies as NetSuite's REST record API (and the sandbox ERP, which simulates it) sends them. */
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

describe(`${classifyNetsuiteError.name}: record API answers as NetSuite and the sandbox ERP send them`, () => {
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
    const error = classifyNetsuiteError(input, NOW);
    expect(error).toBeInstanceOf(ErpError);
    expect(error.kind).toBe(ErrorKind.Throttled);
    expect(error.details.retryAfterMs).toBe(retryAfterMs);
  });

  it('keeps the vendor code and detail of a 429', () => {
    expect(classifyNetsuiteError({ status: 429, body: fixtures.concurrency }, NOW)).toMatchObject({
      kind: ErrorKind.Throttled,
      code: 'CONCURRENCY_LIMIT_EXCEEDED',
      message: 'Concurrent request limit exceeded. Request blocked.',
      details: { httpStatus: 429, vendorCode: 'CONCURRENCY_LIMIT_EXCEEDED' },
    });
  });

  it('turns an unknown SKU into a Permanent error with the vendor detail (and its error path) as message', () => {
    expect(classifyNetsuiteError({ status: 400, body: fixtures.unknownSku }, NOW)).toMatchObject({
      kind: ErrorKind.Permanent,
      message: "Invalid value for field 'item': unknown item SKU 'X' (o:errorPath item)",
      code: 'INVALID_KEY_OR_REF',
      details: { httpStatus: 400, vendorCode: 'INVALID_KEY_OR_REF' },
    });
  });

  it.each([
    ['malformed JSON', 400, fixtures.malformed, 'INVALID_CONTENT'],
    ['404 with a non-JSON body', 404, '<html>Not Found</html>', 'ERP_PERMANENT'],
    ['422 with no body', 422, undefined, 'ERP_PERMANENT'],
  ])('%s → Permanent', (_name, status, body, code) => {
    const error = classifyNetsuiteError({ status, body }, NOW);
    expect(error.kind).toBe(ErrorKind.Permanent);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('<html>');
  });

  it.each([
    [401, fixtures.invalidLogin],
    [403, ''],
  ])('%s → Auth', (status, body) => {
    expect(classifyNetsuiteError({ status, body }, NOW).kind).toBe(ErrorKind.Auth);
  });

  it('names the vendor code of a rejected login', () => {
    expect(classifyNetsuiteError({ status: 401, body: fixtures.invalidLogin }, NOW).code).toBe('INVALID_LOGIN_ATTEMPT');
  });

  it.each([
    ['503 maintenance without Retry-After', { status: 503, body: fixtures.maintenance }, undefined],
    ['503 with Retry-After', { status: 503, body: fixtures.maintenance, headers: { 'Retry-After': '30' } }, 30_000],
    ['500', { status: 500, body: fixtures.unexpected }, undefined],
    ['502 from a proxy', { status: 502, body: '<html>Bad Gateway</html>' }, undefined],
    ['408', { status: 408 }, undefined],
    ['an unexpected 302', { status: 302 }, undefined],
  ])('%s → Transient', (_name, input, retryAfterMs) => {
    const error = classifyNetsuiteError(input, NOW);
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
    expect(classifyNetsuiteError({ cause }, NOW).kind).toBe(ErrorKind.Transient);
  });

  it('reports a timeout as such, naming the service it was sent to', () => {
    const cause = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyNetsuiteError({ cause }, NOW, 'Sandbox ERP')).toMatchObject({
      message: 'Sandbox ERP request timed out',
      code: 'TIMEOUT',
    });
  });

  it('never echoes request headers, tokens or arbitrary error text', () => {
    const token = 'tok_live_very_secret';
    const cause = new Error(`request to http://x/ failed, headers {"authorization":"Bearer ${token}"}`);
    const headers = { Authorization: `Bearer ${token}`, 'Retry-After': '1' };
    const errors = [
      classifyNetsuiteError({ cause }, NOW),
      classifyNetsuiteError({ status: 401, body: fixtures.invalidLogin, headers }, NOW),
      classifyNetsuiteError({ status: 429, body: '', headers }, NOW),
      classifyNetsuiteError({ status: 500, body: 'oops', headers }, NOW),
    ];
    for (const error of errors) {
      expect(JSON.stringify({ message: error.message, code: error.code, details: error.details })).not.toContain(token);
    }
  });

  it('truncates an over-long vendor detail', () => {
    const body = JSON.stringify({ status: 400, 'o:errorDetails': [{ detail: 'x'.repeat(5_000), 'o:errorCode': 'X' }] });
    expect(classifyNetsuiteError({ status: 400, body }, NOW).message.length).toBeLessThanOrEqual(501);
  });
});

describe(classifyNetsuiteTokenError.name, () => {
  it.each([
    [400, '{"error":"invalid_grant"}', ErrorKind.Auth, 'invalid_grant'],
    [401, '{"error":"invalid_client"}', ErrorKind.Auth, 'invalid_client'],
    [400, '{"error":"<script>"}', ErrorKind.Auth, 'OAUTH_TOKEN_REFUSED'],
    [503, '', ErrorKind.Transient, 'ERP_TRANSIENT'],
    [429, '', ErrorKind.Throttled, 'ERP_THROTTLED'],
  ])('%s %s → %s', (status, text, kind, code) => {
    expect(classifyNetsuiteTokenError({ status, body: text })).toMatchObject({ kind, code });
  });
});

describe(parseNetsuiteErrorBody.name, () => {
  it('yields nothing for a body that is not NetSuite JSON', () => {
    expect(parseNetsuiteErrorBody('<html/>')).toEqual({});
    expect(parseNetsuiteErrorBody('[1]')).toEqual({});
    expect(parseNetsuiteErrorBody(undefined)).toEqual({});
  });
});
