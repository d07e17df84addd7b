import { ErrorKind } from 'src/common/errors/app-error';
import {
  classifyNetworkError,
  parseRetryAfter,
  readHeader,
  truncateDetail,
} from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** What a failed sandbox ERP call left us with: an HTTP answer (status, body, headers) or a thrown network error. */
export interface SandboxErrorInput {
  status?: number;
  body?: string;
  headers?: Headers | Record<string, string>;
  cause?: unknown;
}

/** Used when a throttling answer carries no usable Retry-After. */
export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1_000;

/**
 * Vendor codes that mean "too many concurrent requests" whatever the HTTP status: REST web services answer 429,
 * RESTlets answer 400 `SSS_REQUEST_LIMIT_EXCEEDED`, SOAP `WS_REQUEST_BLOCKED` (shared/facts/api-facts.md §B).
 */
const THROTTLE_CODES = new Set(['CONCURRENCY_LIMIT_EXCEEDED', 'SSS_REQUEST_LIMIT_EXCEEDED', 'WS_REQUEST_BLOCKED']);

/** Longest vendor detail text kept in an error message (they end up in audit rows and logs). */
const MAX_DETAIL_LENGTH = 500;

interface NetsuiteErrorBody {
  title?: string;
  detail?: string;
  errorCode?: string;
}

/**
 * @description Normalises a failed call to the sandbox ERP (which speaks NetSuite's REST error dialect) into an
 * `ErpError` whose kind decides what happens next: 429 or a concurrency-limit code → Throttled (with Retry-After,
 * default 1 s); 5xx/408 and network failures or timeouts → Transient; 401/403 → Auth; other 4xx → Permanent, with
 * the vendor's `o:errorDetails[0].detail` as message and `o:errorCode` as vendor code.
 *
 * Messages are built from the answer's status and body only, never from request headers, so no token can leak.
 * `now` is injectable so that an HTTP-date Retry-After can be tested.
 *
 * @example
 * throw classifySandboxError({ status: response.status, body: await response.text(), headers: response.headers });
 */
export function classifySandboxError(input: SandboxErrorInput, now: number = Date.now()): ErpError {
  if (input.status === undefined) {
    return classifyNetworkError(input.cause, 'Sandbox ERP');
  }
  const status = input.status;
  const parsed = parseNetsuiteErrorBody(input.body);
  const retryAfterMs = parseRetryAfter(readHeader(input.headers, 'retry-after'), now);
  const detail = parsed.detail ?? parsed.title;

  if (status === 429 || (parsed.errorCode !== undefined && THROTTLE_CODES.has(parsed.errorCode))) {
    return new ErpError(ErrorKind.Throttled, detail ?? `Sandbox ERP throttled the request (HTTP ${status})`, {
      vendorCode: parsed.errorCode,
      httpStatus: status,
      retryAfterMs: retryAfterMs ?? DEFAULT_THROTTLE_RETRY_AFTER_MS,
    });
  }
  if (status === 401 || status === 403) {
    return new ErpError(ErrorKind.Auth, detail ?? `Sandbox ERP rejected the credentials (HTTP ${status})`, {
      vendorCode: parsed.errorCode,
      httpStatus: status,
    });
  }
  if (status >= 500 || status === 408) {
    return new ErpError(ErrorKind.Transient, detail ?? `Sandbox ERP is unavailable (HTTP ${status})`, {
      vendorCode: parsed.errorCode,
      httpStatus: status,
      retryAfterMs,
    });
  }
  if (status >= 400) {
    return new ErpError(ErrorKind.Permanent, detail ?? `Sandbox ERP rejected the request (HTTP ${status})`, {
      vendorCode: parsed.errorCode,
      httpStatus: status,
    });
  }
  // 1xx/3xx (or a 2xx handed in by mistake): not an answer we understand; a retry is the safe choice.
  return new ErpError(ErrorKind.Transient, `Sandbox ERP answered an unexpected HTTP ${status}`, {
    httpStatus: status,
  });
}

/** Reads NetSuite's RFC 7807-like error body; anything else (HTML from a proxy, empty) yields no fields. */
function parseNetsuiteErrorBody(body: string | undefined): NetsuiteErrorBody {
  if (body === undefined || body.trim() === '') {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) {
    return {};
  }
  const record = json as { title?: unknown; 'o:errorDetails'?: unknown };
  const details = Array.isArray(record['o:errorDetails']) ? (record['o:errorDetails'] as unknown[]) : [];
  const first = details[0];
  const firstRecord =
    typeof first === 'object' && first !== null ? (first as { detail?: unknown; 'o:errorCode'?: unknown }) : {};
  return {
    title: typeof record.title === 'string' ? truncateDetail(record.title, MAX_DETAIL_LENGTH) : undefined,
    detail:
      typeof firstRecord.detail === 'string' && firstRecord.detail !== ''
        ? truncateDetail(firstRecord.detail, MAX_DETAIL_LENGTH)
        : undefined,
    errorCode: typeof firstRecord['o:errorCode'] === 'string' ? firstRecord['o:errorCode'] : undefined,
  };
}
