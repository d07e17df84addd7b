import { ErrorKind } from 'src/common/errors/app-error';
import {
  classifyNetsuiteError,
  classifyNetsuiteTokenError,
  isItemReferenceError,
  parseNetsuiteErrorBody,
} from 'src/modules/erp/connectors/netsuite/netsuite.errors';
import { parseRetryAfter } from 'src/modules/erp/connectors/shared/http-failure';

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
