import { ErrorKind } from 'src/common/errors/app-error';
import {
  classifyBusinessCentralError,
  isBcCustomerRefusal,
  isBcItemRefusal,
  parseBusinessCentralErrorBody,
} from 'src/modules/erp/connectors/business-central/business-central.errors';
import { parseRetryAfter } from 'src/modules/erp/connectors/shared/http-failure';

/** Error bodies as Business Central API v2.0 sends them (api-reference/v2.0/dynamics-error-codes). */
const body = (code: string, message: string) =>
  JSON.stringify({ error: { code, message: `${message}  CorrelationId:  2f1c.` } });

const fixtures = {
  throttled: body('Application_TooManyRequests', 'Too many requests reached.'),
  invalidCredentials: body('Authentication_InvalidCredentials', 'The server has rejected the client credentials.'),
  forbidden: body(
    'Authorization_InsufficientPermissions',
    'You do not have the following permissions on TableData Sales Header: Insert.',
  ),
  entityChanged: body('Request_EntityChanged', 'Another user has already changed the record.'),
  missingEtag: body(
    'BadRequest_InvalidToken',
    'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
  ),
  unknownItem: body(
    'Internal_RecordNotFound',
    "The Item does not exist. Identification fields and values: Id='{1234}'",
  ),
  tenantUnavailable: body('Internal_TenantUnavailable', "The tenant 'msca1a7355t05263373' is not accessible."),
  serverError: body('Internal_ServerError', 'Cannot establish a connection to the SQL Server/Database.'),
  tooLong: body(
    'Application_StringExceededLength',
    'The length of the string is 57, but it must be less than or equal to 50 characters.',
  ),
};

describe(classifyBusinessCentralError.name, () => {
  it.each([
    ['429 throttled', 429, fixtures.throttled, ErrorKind.Throttled, 'Application_TooManyRequests'],
    ['401 invalid credentials', 401, fixtures.invalidCredentials, ErrorKind.Auth, 'Authentication_InvalidCredentials'],
    ['403 missing permission', 403, fixtures.forbidden, ErrorKind.Auth, 'Authorization_InsufficientPermissions'],
    ['409 entity changed', 409, fixtures.entityChanged, ErrorKind.Transient, 'Request_EntityChanged'],
    ['400 missing If-Match', 400, fixtures.missingEtag, ErrorKind.Permanent, 'BadRequest_InvalidToken'],
    ['400 unknown item reference', 400, fixtures.unknownItem, ErrorKind.Permanent, 'Internal_RecordNotFound'],
    ['400 value too long', 400, fixtures.tooLong, ErrorKind.Permanent, 'Application_StringExceededLength'],
    ['404 record', 404, body('BadRequest_NotFound', 'Not found'), ErrorKind.Permanent, 'BadRequest_NotFound'],
    ['408 operation timeout', 408, '', ErrorKind.Transient, 'ERP_TRANSIENT'],
    ['500 server error', 500, fixtures.serverError, ErrorKind.Transient, 'Internal_ServerError'],
    ['502 from a proxy (HTML)', 502, '<html>Bad gateway</html>', ErrorKind.Transient, 'ERP_TRANSIENT'],
    ['503 upgrade window', 503, fixtures.tenantUnavailable, ErrorKind.Transient, 'Internal_TenantUnavailable'],
    ['504 gateway timeout', 504, '', ErrorKind.Transient, 'ERP_TRANSIENT'],
    [
      '409 of another kind',
      409,
      body('Internal_EntityWithSameKeyExists', 'already exists'),
      ErrorKind.Permanent,
      'Internal_EntityWithSameKeyExists',
    ],
  ])('%s', (_name, status, text, kind, code) => {
    const error = classifyBusinessCentralError({ status, body: text });
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.details.httpStatus).toBe(status);
  });

  describe('settings that name something Business Central does not have', () => {
    // What BC answers a base URL without its /v2.0 (…/{tenant}/{environment}/api/v2.0/…), an unknown environment and
    // an unknown company: every request fails alike until the setting is fixed.
    const noRoute = body(
      'BadRequest_NotFound',
      "No HTTP resource was found that matches the request URI 'https://api.businesscentral.dynamics.com/a0b1/Production/api/v2.0/companies(c0ffee)/customers'.",
    );
    it.each([
      ['a base URL without /v2.0', 404, noRoute, 'BadRequest_NotFound'],
      [
        'an unknown environment',
        404,
        body('NoEnvironmentFound', "Environment 'Prod' was not found."),
        'NoEnvironmentFound',
      ],
      [
        'an unknown company',
        404,
        body('Internal_CompanyNotFound', "Cannot process the request because the company 'x' cannot be found."),
        'Internal_CompanyNotFound',
      ],
      ['a 404 page from another server', 404, '<html><title>404 Not Found</title></html>', 'ERP_CONFIGURATION'],
    ])('%s → Configuration', (_name, status, text, code) => {
      const error = classifyBusinessCentralError({ status, body: text });
      expect(error.kind).toBe(ErrorKind.Configuration);
      expect(error.code).toBe(code);
    });

    it.each([
      ['a customer that does not exist', 404, body('Internal_RecordNotFound', "The Customer does not exist. Id='{1}'")],
      ['a segment in error', 404, body('BadRequest_NotFound', "Bad Request - Error in query syntax: 'x('")],
      ['an unknown item in a line', 400, fixtures.unknownItem],
    ])('keeps %s a record’s Permanent error', (_name, status, text) => {
      expect(classifyBusinessCentralError({ status, body: text }).kind).toBe(ErrorKind.Permanent);
    });
  });

  it('keeps BC message text as the error message', () => {
    const error = classifyBusinessCentralError({ status: 400, body: fixtures.unknownItem });
    expect(error.message).toContain('The Item does not exist');
  });

  it('reads Retry-After seconds and defaults to 1 s without it', () => {
    expect(
      classifyBusinessCentralError({ status: 429, body: fixtures.throttled, headers: { 'Retry-After': '7' } }).details
        .retryAfterMs,
    ).toBe(7_000);
    expect(classifyBusinessCentralError({ status: 429, body: '' }).details.retryAfterMs).toBe(1_000);
  });

  it.each([
    [
      'a timeout',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      'TIMEOUT',
    ],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'ABORTED'],
    [
      'a reset',
      new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
      'ECONNRESET',
    ],
    [
      'a refused connection',
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      'ECONNREFUSED',
    ],
    ['anything else', new TypeError('https://x/?token=secret broke'), 'NETWORK'],
  ])('classifies %s before an answer as Transient', (_name, cause, code) => {
    const error = classifyBusinessCentralError({ cause });
    expect(error.kind).toBe(ErrorKind.Transient);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('secret');
  });
});

describe(parseBusinessCentralErrorBody.name, () => {
  it('reads code and message, and nothing from other shapes', () => {
    expect(parseBusinessCentralErrorBody(fixtures.entityChanged).code).toBe('Request_EntityChanged');
    expect(parseBusinessCentralErrorBody('{"message":"x"}')).toEqual({});
    expect(parseBusinessCentralErrorBody('not json')).toEqual({});
    expect(parseBusinessCentralErrorBody(undefined)).toEqual({});
  });

  it('truncates very long messages', () => {
    const parsed = parseBusinessCentralErrorBody(body('BadRequest', 'x'.repeat(2_000)));
    expect(parsed.message!.length).toBeLessThanOrEqual(501);
  });
});

describe('refused references (a stale id: an item re-created, a customer merged)', () => {
  const refusal = (code: string, message: string, status = 400) =>
    classifyBusinessCentralError({ status, body: body(code, message) });

  it.each([
    [
      'a missing item',
      refusal('Internal_RecordNotFound', "The Item does not exist. Identification fields and values: Id='{1}'"),
      true,
      false,
    ],
    [
      'a missing variant',
      refusal('Internal_RecordNotFound', "The Item Variant does not exist. Identification fields and values: Id='{2}'"),
      true,
      false,
    ],
    [
      'a missing customer',
      refusal('Internal_RecordNotFound', "The Customer does not exist. Identification fields and values: No.='C1'"),
      false,
      true,
    ],
    [
      'a broken relation to the customer table',
      refusal(
        'Internal_InvalidTableRelation',
        'The field Customer No. of table Sales Header contains a value (C1) that cannot be found in the related table (Customer).',
      ),
      false,
      true,
    ],
    [
      'a missing G/L account',
      refusal('Internal_RecordNotFound', "The G/L Account does not exist. Identification fields and values: No.='1'"),
      false,
      false,
    ],
    ['another 400', refusal('BadRequest', 'The Item does not exist.'), false, false],
    ['an outage that says so', refusal('Internal_RecordNotFound', 'The Item does not exist.', 503), false, false],
  ])('%s: item %s, customer %s', (_name, error, item, customer) => {
    expect([isBcItemRefusal(error), isBcCustomerRefusal(error)]).toEqual([item, customer]);
  });
});

describe(parseRetryAfter.name, () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-10-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Thu, 01 Oct 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 30 Sep 2026 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
