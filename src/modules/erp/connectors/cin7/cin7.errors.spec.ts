import { ErrorKind } from 'src/common/errors/app-error';
import { CIN7_THROTTLE_RETRY_AFTER_MS } from 'src/modules/erp/connectors/cin7/cin7.constants';
import { classifyCin7Error, readCin7ErrorText } from 'src/modules/erp/connectors/cin7/cin7.errors';
import { parseRetryAfter } from 'src/modules/erp/connectors/shared/http-failure';

const cin7Body = (status: number, message: string): string =>
  JSON.stringify([{ ErrorCode: status, Exception: message }]);

describe(classifyCin7Error.name, () => {
  it.each([
    ['503 with the documented limit message', 503, cin7Body(503, 'You reached 60 calls per minute API limit')],
    ['503 with the limit message as plain text', 503, 'You reached 60 calls per minute API limit'],
    ['429 as some accounts see it', 429, ''],
    ['429 with a body', 429, cin7Body(429, 'Too many requests')],
  ])('classifies %s as Throttled with the default wait', (_name, status, body) => {
    const error = classifyCin7Error({ status, body });
    expect(error.kind).toBe(ErrorKind.Throttled);
    expect(error.details).toMatchObject({ httpStatus: status, retryAfterMs: CIN7_THROTTLE_RETRY_AFTER_MS });
  });

  it('honours a Retry-After header when one is present', () => {
    const error = classifyCin7Error({ status: 429, body: '', headers: { 'Retry-After': '12' } });
    expect(error.details.retryAfterMs).toBe(12_000);
  });

  it.each([
    [
      'maintenance 503 (HTML page)',
      503,
      '<html><head><title>Service Unavailable</title></head><body>down</body></html>',
    ],
    ['empty 503', 503, ''],
    ['500 parse failure', 500, cin7Body(500, 'The object passed to the API could not be parsed')],
    ['502 from a proxy', 502, 'Bad Gateway'],
    ['408', 408, ''],
  ])('classifies %s as Transient', (_name, status, body) => {
    expect(classifyCin7Error({ status, body }).kind).toBe(ErrorKind.Transient);
  });

  it.each([401, 403])('classifies %s as Auth', (status) => {
    const error = classifyCin7Error({ status, body: cin7Body(status, 'Method authentication failed') });
    expect(error.kind).toBe(ErrorKind.Auth);
    expect(error.message).toContain('Method authentication failed');
  });

  it.each([
    [400, 'Customer not found', undefined],
    [404, "Sale with ID '5a1e' not found", 'NOT_FOUND'],
    [405, 'Method not allowed', undefined],
  ])('classifies %s as Permanent with Cin7 text', (status, message, vendorCode) => {
    const error = classifyCin7Error({ status, body: cin7Body(status, message) });
    expect(error.kind).toBe(ErrorKind.Permanent);
    expect(error.message).toContain(message);
    expect(error.details.vendorCode).toBe(vendorCode);
  });

  it.each([
    ['an endpoint that does not exist', cin7Body(404, 'Endpoint ExternalApi/sale does not exist')],
    [
      'ASP.NET routing (a base URL without /ExternalApi/v2)',
      JSON.stringify({ Message: "No HTTP resource was found that matches the request URI 'https://x/sale'." }),
    ],
    ['a web server page', '<html><head><title>404 - File or directory not found.</title></head></html>'],
  ])('classifies a 404 for %s as Configuration (the base URL is wrong)', (_name, body) => {
    const error = classifyCin7Error({ status: 404, body });
    expect(error.kind).toBe(ErrorKind.Configuration);
    expect(error.details.vendorCode).toBe('NO_ENDPOINT');
  });

  it('joins several Cin7 errors of one answer', () => {
    const body = JSON.stringify([
      { ErrorCode: 400, Exception: 'Name is required' },
      { ErrorCode: 400, Exception: 'TaxRule is required' },
    ]);
    expect(classifyCin7Error({ status: 400, body }).message).toContain('Name is required; TaxRule is required');
  });

  it.each([
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'TIMEOUT'],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'ABORTED'],
    [
      'a reset socket',
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
      'ECONNRESET',
    ],
    [
      'a refused connection',
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      'ECONNREFUSED',
    ],
  ])('classifies %s as Transient', (_name, cause, vendorCode) => {
    const error = classifyCin7Error({ cause });
    expect(error.kind).toBe(ErrorKind.Transient);
    expect(error.details.vendorCode).toBe(vendorCode);
  });

  it('does not echo the message of an unknown thrown error', () => {
    const error = classifyCin7Error({ cause: new Error('api-auth-applicationkey: secret-value') });
    expect(error.kind).toBe(ErrorKind.Transient);
    expect(error.message).not.toContain('secret-value');
  });
});

describe(readCin7ErrorText.name, () => {
  it('reads an object body, a plain text body and an HTML title', () => {
    expect(readCin7ErrorText('{"ErrorCode":400,"Exception":"Bad"}')).toBe('Bad');
    expect(readCin7ErrorText('Incorrect credentials!')).toBe('Incorrect credentials!');
    expect(readCin7ErrorText('<html><title>Oops</title></html>')).toBe('Oops');
    expect(readCin7ErrorText('')).toBeUndefined();
  });

  it('truncates long texts', () => {
    expect(readCin7ErrorText('x'.repeat(1000))?.length).toBeLessThanOrEqual(301);
  });
});

describe(parseRetryAfter.name, () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
