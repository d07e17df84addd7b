import { ErrorKind } from 'src/common/errors/app-error';
import { BUSINESS_CENTRAL_THROTTLE_RETRY_AFTER_MS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** What a failed call left us with: an HTTP answer (status, body, headers) or an error thrown before one came. */
export interface BusinessCentralErrorInput {
  status?: number;
  body?: string;
  headers?: Headers | Record<string, string>;
  cause?: unknown;
}

/** `Request_EntityChanged`: the If-Match ETag no longer matches (another user changed the record). */
export const BC_ENTITY_CHANGED = 'Request_EntityChanged';

/** Codes of a 400 that names a record which does not exist (a stale item id in a line, for instance). */
export const BC_RECORD_NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'Internal_RecordNotFound',
  'Internal_InvalidTableRelation',
]);

const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const MAX_DETAIL_LENGTH = 500;

/**
 * @description Normalises a failed Business Central API call into an `ErpError`. BC answers
 * `{"error":{"code":"…","message":"… CorrelationId: …"}}` (api-reference/v2.0/dynamics-error-codes):
 * - 429 → Throttled, with Retry-After when sent (else 1 s);
 * - 401 / 403 → Auth (`Authentication_InvalidCredentials`, `Authorization_*`);
 * - 408, 5xx (`Internal_ServerError`, `Internal_TenantUnavailable` during upgrades) → Transient;
 * - 409 `Request_EntityChanged` → Transient (the connector re-reads and retries once before giving up);
 * - other 4xx (`BadRequest_*`, `Internal_RecordNotFound`, `Application_*`, 404 on a record) → Permanent;
 * - no answer (timeout, reset, refused) → Transient.
 * The message is BC's own (truncated), never anything from the request, so no token can leak.
 */
export function classifyBusinessCentralError(input: BusinessCentralErrorInput, now: number = Date.now()): ErpError {
  if (input.status === undefined) {
    return classifyNetworkError(input.cause);
  }
  const status = input.status;
  const { code, message } = parseBusinessCentralErrorBody(input.body);
  const details = { vendorCode: code, httpStatus: status };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(readHeader(input.headers, 'retry-after'), now);
    return new ErpError(ErrorKind.Throttled, message ?? 'Business Central throttled the request (HTTP 429)', {
      ...details,
      retryAfterMs: retryAfterMs ?? BUSINESS_CENTRAL_THROTTLE_RETRY_AFTER_MS,
    });
  }
  if (status === 401 || status === 403) {
    return new ErpError(
      ErrorKind.Auth,
      message ?? `Business Central refused the credentials (HTTP ${status})`,
      details,
    );
  }
  if (status === 408 || status >= 500) {
    return new ErpError(ErrorKind.Transient, message ?? `Business Central is unavailable (HTTP ${status})`, {
      ...details,
      retryAfterMs: parseRetryAfter(readHeader(input.headers, 'retry-after'), now),
    });
  }
  if (status === 409 && code === BC_ENTITY_CHANGED) {
    return new ErpError(ErrorKind.Transient, message ?? 'Another user has already changed the record', details);
  }
  if (status >= 400) {
    return new ErpError(
      ErrorKind.Permanent,
      message ?? `Business Central rejected the request (HTTP ${status})`,
      details,
    );
  }
  // A 1xx/3xx is not an answer the API gives; retrying is the safe choice.
  return new ErpError(ErrorKind.Transient, `Business Central answered an unexpected HTTP ${status}`, {
    httpStatus: status,
  });
}

/** Reads `{"error":{"code","message"}}`; anything else (an HTML proxy page, empty) yields nothing. */
export function parseBusinessCentralErrorBody(body: string | undefined): { code?: string; message?: string } {
  if (body === undefined || body.trim() === '') {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  const error = typeof json === 'object' && json !== null ? (json as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) {
    return {};
  }
  const record = error as { code?: unknown; message?: unknown };
  return {
    code: typeof record.code === 'string' && record.code !== '' ? record.code : undefined,
    message: typeof record.message === 'string' && record.message !== '' ? truncate(record.message) : undefined,
  };
}

/** Retry-After as delay-seconds or HTTP-date (RFC 9110 §10.2.3), in ms from `now`; undefined when unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1_000);
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classifies an error thrown before any answer arrived (fetch wraps socket errors in `cause`). */
export function classifyNetworkError(cause: unknown, service = 'Business Central'): ErpError {
  const chain = causeChain(cause);
  if (chain.some((e) => e.name === 'TimeoutError')) {
    return new ErpError(ErrorKind.Transient, `${service} request timed out`, { vendorCode: 'TIMEOUT' });
  }
  if (chain.some((e) => e.name === 'AbortError')) {
    return new ErpError(ErrorKind.Transient, `${service} request was aborted`, { vendorCode: 'ABORTED' });
  }
  const code = chain.map((e) => e.code).find((c) => c !== undefined && NETWORK_ERROR_CODES.has(c));
  if (code !== undefined) {
    return new ErpError(ErrorKind.Transient, `${service} connection failed (${code})`, { vendorCode: code });
  }
  // Whatever else was thrown before an answer cannot be judged permanent. Its message is not echoed: it might
  // contain anything (a URL with a token, say).
  return new ErpError(ErrorKind.Transient, `${service} request failed (${chain[0]?.name ?? 'unknown error'})`, {
    vendorCode: 'NETWORK',
  });
}

function causeChain(cause: unknown): Array<{ name: string; code?: string }> {
  const links: Array<{ name: string; code?: string }> = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { name?: unknown; code?: unknown; cause?: unknown };
    links.push({
      name: typeof record.name === 'string' ? record.name : 'Error',
      code: typeof record.code === 'string' ? record.code : undefined,
    });
    current = record.cause;
  }
  return links;
}

export function readHeader(headers: Headers | Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) {
    return undefined;
  }
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}
