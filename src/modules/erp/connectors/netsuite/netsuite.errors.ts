import { ErrorKind } from 'src/common/errors/app-error';
import {
  classifyNetworkError,
  parseRetryAfter,
  readHeader,
  truncateDetail,
} from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** What a failed NetSuite call left us with: an HTTP answer (status, body, headers) or a thrown network error. */
export interface NetsuiteErrorInput {
  status?: number;
  body?: string;
  headers?: Headers | Record<string, string>;
  cause?: unknown;
  /** The request that failed; a 404 means a missing record only on a path that names one (see below). */
  request?: { method: string; url: string };
}

/** The first entry of NetSuite's `o:errorDetails`, plus the RFC 7807 title. */
export interface NetsuiteErrorBody {
  title?: string;
  detail?: string;
  errorCode?: string;
  errorPath?: string;
}

/** Used when a throttling answer carries no usable Retry-After. */
export const NETSUITE_DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Vendor codes that mean "too many concurrent requests" whatever the HTTP status: REST web services answer 429,
 * RESTlets 400 `SSS_REQUEST_LIMIT_EXCEEDED`, SOAP `WS_REQUEST_BLOCKED` (NetSuite Help Center, "Concurrency Governance" and the REST web services error codes; the REST
 * `o:errorCode` of a 429 is unconfirmed, so the status decides there).
 */
const THROTTLE_CODES = new Set(['CONCURRENCY_LIMIT_EXCEEDED', 'SSS_REQUEST_LIMIT_EXCEEDED', 'WS_REQUEST_BLOCKED']);

/** Codes NetSuite sends for a refused signature, token or role, whatever the status. */
const AUTH_CODES = new Set(['INVALID_LOGIN_ATTEMPT', 'INVALID_LOGIN', 'INVALID_LOGIN_CREDENTIALS', 'USER_ERROR_AUTH']);

/** Longest vendor detail text kept in an error message (they end up in audit rows and logs). */
const MAX_DETAIL_LENGTH = 500;

/** `…/record/v1/{type}/{id or eid:key}`: the one kind of path whose 404 can mean "this record does not exist". */
const ONE_RECORD_PATH = /\/record\/v1\/[^/]+\/[^/]+$/;

/** Methods whose 404 on a record's path says the record is missing (a PUT on `eid:` creates it instead). */
const RECORD_READ_METHODS = new Set(['GET', 'PATCH', 'DELETE']);

/**
 * @description Normalises a failed NetSuite REST call into an `ErpError` whose kind decides what happens next:
 * - 429, or a concurrency-limit code → Throttled (Retry-After in ms, default 1 s);
 * - 401, 403, or `INVALID_LOGIN_ATTEMPT` / `INVALID_LOGIN` → Auth;
 * - 5xx, 408 and network failures or timeouts → Transient;
 * - 404 on a collection (`…/record/v1/customer`, the metadata catalog, SuiteQL) or on an upsert (`PUT …/eid:…`),
 *   when `input.request` says so → Configuration: those paths exist in every account, so `NETSUITE_BASE_URL` (or
 *   the account) is wrong. A 404 reading, patching or deleting one record stays that record's Permanent error;
 * - any other 4xx → Permanent (`INVALID_KEY_OR_REF`, `USER_ERROR`, …), with `o:errorDetails[0].detail` as message
 *   (and `o:errorPath` appended, which tells the connector whether an item reference was refused).
 *
 * Messages are built from the answer only, never from request headers, so no token or signature can leak. `service`
 * names the other side in them: the sandbox ERP speaks this same REST dialect and is classified here too.
 *
 * @example
 * throw classifyNetsuiteError({ status: response.status, body: await response.text(), headers: response.headers });
 */
export function classifyNetsuiteError(
  input: NetsuiteErrorInput,
  now: number = Date.now(),
  service = 'NetSuite',
): ErpError {
  if (input.status === undefined) {
    return classifyNetworkError(input.cause, service);
  }
  const status = input.status;
  const parsed = parseNetsuiteErrorBody(input.body);
  const retryAfterMs = parseRetryAfter(readHeader(input.headers, 'retry-after'), now);
  const code = parsed.errorCode;
  const detail = describe(parsed);

  if (status === 429 || (code !== undefined && THROTTLE_CODES.has(code))) {
    return new ErpError(ErrorKind.Throttled, detail ?? `${service} throttled the request (HTTP ${status})`, {
      vendorCode: code,
      httpStatus: status,
      retryAfterMs: retryAfterMs ?? NETSUITE_DEFAULT_RETRY_AFTER_MS,
    });
  }
  if (status === 401 || status === 403 || (code !== undefined && AUTH_CODES.has(code))) {
    return new ErpError(ErrorKind.Auth, detail ?? `${service} refused the credentials (HTTP ${status})`, {
      vendorCode: code,
      httpStatus: status,
    });
  }
  if (status >= 500 || status === 408) {
    return new ErpError(ErrorKind.Transient, detail ?? `${service} is unavailable (HTTP ${status})`, {
      vendorCode: code,
      httpStatus: status,
      retryAfterMs,
    });
  }
  if (status === 404 && input.request !== undefined && !namesOneRecord(input.request)) {
    return new ErpError(
      ErrorKind.Configuration,
      `${service} serves no API at ${truncateDetail(pathOf(input.request.url), 200)} (HTTP 404${detail === undefined ? '' : `: ${detail}`}): check the base URL and account`,
      { vendorCode: code ?? 'NO_ROUTE', httpStatus: status },
    );
  }
  if (status >= 400) {
    return new ErpError(ErrorKind.Permanent, detail ?? `${service} rejected the request (HTTP ${status})`, {
      vendorCode: code,
      httpStatus: status,
    });
  }
  // 1xx/3xx (or a 2xx handed in by mistake): not an answer we understand; a retry is the safe choice.
  return new ErpError(ErrorKind.Transient, `${service} answered an unexpected HTTP ${status}`, { httpStatus: status });
}

/**
 * @description Classifies a failed OAuth 2.0 token request (`POST …/auth/oauth2/v1/token`). Its body is the OAuth
 * error object (`{"error":"invalid_grant"}`), not NetSuite's record-API error body.
 */
export function classifyNetsuiteTokenError(input: NetsuiteErrorInput, now: number = Date.now()): ErpError {
  if (input.status === undefined) {
    return classifyNetworkError(input.cause, 'NetSuite');
  }
  const status = input.status;
  const oauthError = parseOAuthError(input.body);
  if (status === 429) {
    return new ErpError(ErrorKind.Throttled, 'NetSuite throttled the OAuth 2.0 token request', {
      vendorCode: oauthError,
      httpStatus: status,
      retryAfterMs: parseRetryAfter(readHeader(input.headers, 'retry-after'), now) ?? NETSUITE_DEFAULT_RETRY_AFTER_MS,
    });
  }
  if (status >= 500 || status === 408) {
    return new ErpError(ErrorKind.Transient, `NetSuite token endpoint unavailable (HTTP ${status})`, {
      vendorCode: oauthError,
      httpStatus: status,
    });
  }
  // invalid_client / invalid_grant / unauthorized_client: a wrong client id, certificate id, key or clock.
  return new ErpError(
    ErrorKind.Auth,
    `NetSuite refused the OAuth 2.0 client assertion (HTTP ${status}${oauthError === undefined ? '' : `, ${oauthError}`})`,
    { vendorCode: oauthError ?? 'OAUTH_TOKEN_REFUSED', httpStatus: status },
  );
}

/** @description Reads NetSuite's RFC 7807-like error body; anything else (HTML from a proxy, empty) yields no fields. */
export function parseNetsuiteErrorBody(body: string | undefined): NetsuiteErrorBody {
  const json = parseJsonObject(body);
  if (json === undefined) {
    return {};
  }
  const details = Array.isArray(json['o:errorDetails']) ? (json['o:errorDetails'] as unknown[]) : [];
  const first = details[0];
  const entry = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
  return {
    title: typeof json.title === 'string' ? truncateDetail(json.title, MAX_DETAIL_LENGTH) : undefined,
    detail:
      typeof entry.detail === 'string' && entry.detail !== ''
        ? truncateDetail(entry.detail, MAX_DETAIL_LENGTH)
        : undefined,
    errorCode: typeof entry['o:errorCode'] === 'string' ? entry['o:errorCode'] : undefined,
    errorPath:
      typeof entry['o:errorPath'] === 'string' ? truncateDetail(entry['o:errorPath'], MAX_DETAIL_LENGTH) : undefined,
  };
}

/**
 * True when an `ErpError` is NetSuite refusing an item reference (a stale or unknown item internal id): the error
 * points at a line's item (`o:errorPath` `item.items[n].item`), or its detail names the `item` field as an invalid
 * reference. NetSuite words it several ways and under several codes: Oracle's REST example is `INVALID_CONTENT` "You
 * have entered an Invalid Field Value 9999 for the following field: item" ("Error Handling in REST Web Services");
 * `INVALID_KEY_OR_REF` "Invalid item reference key 9999" and "Invalid value for field 'item'" are seen too.
 */
export function isItemReferenceError(error: unknown): error is ErpError {
  if (!(error instanceof ErpError) || error.kind !== ErrorKind.Permanent) {
    return false;
  }
  return /^item\.items\[\d+\]\.item$/.test(errorPathOf(error) ?? '') || referencedField(error) === 'item';
}

/**
 * True when an `ErpError` is NetSuite refusing the customer a transaction names (`entity`): the customer was merged
 * into another or deleted since its internal id was cached ("Invalid entity reference key 107", or "Invalid Field
 * Value 107 for the following field: entity").
 */
export function isCustomerReferenceError(error: unknown): error is ErpError {
  return error instanceof ErpError && error.kind === ErrorKind.Permanent && referencedField(error) === 'entity';
}

/** NetSuite's wordings of "this field names a record that does not exist", capturing the field. */
const INVALID_REFERENCE = [
  /Invalid Field Value \S* ?for the following field: ([A-Za-z]+)/i,
  /Invalid ([A-Za-z]+) reference key/i,
  /Invalid value for field '([A-Za-z]+)'/i,
];

/** The field an invalid-reference refusal names, lower-cased; undefined for any other refusal. */
function referencedField(error: ErpError): string | undefined {
  for (const pattern of INVALID_REFERENCE) {
    const field = pattern.exec(error.message)?.[1];
    if (field !== undefined) {
      return field.toLowerCase();
    }
  }
  return undefined;
}

/** The `o:errorPath` that `describe` appended to the message. */
function errorPathOf(error: ErpError): string | undefined {
  return /\(o:errorPath ([^)]+)\)$/.exec(error.message)?.[1];
}

/** A read, patch or delete of one record: the only requests whose 404 may mean "no such record". */
function namesOneRecord(request: { method: string; url: string }): boolean {
  return RECORD_READ_METHODS.has(request.method.toUpperCase()) && ONE_RECORD_PATH.test(pathOf(request.url));
}

/** The path of a request URL, without its query (which may hold a filter) or host. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return url.split('?')[0] ?? url;
  }
}

function describe(parsed: NetsuiteErrorBody): string | undefined {
  const text = parsed.detail ?? parsed.title;
  if (text === undefined) {
    return undefined;
  }
  return parsed.errorPath === undefined ? text : `${text} (o:errorPath ${parsed.errorPath})`;
}

function parseOAuthError(body: string | undefined): string | undefined {
  const json = parseJsonObject(body);
  const error = json?.error;
  // OAuth error codes are a fixed ASCII vocabulary (RFC 6749 §5.2); anything else is not echoed.
  return typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? error : undefined;
}

function parseJsonObject(body: string | undefined): Record<string, unknown> | undefined {
  if (body === undefined || body.trim() === '') {
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
