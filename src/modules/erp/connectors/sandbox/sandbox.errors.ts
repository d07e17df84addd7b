import { ErrorKind } from 'src/common/errors/app-error';
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

/** Node and undici error codes of a connection that failed or broke before an answer arrived. */
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

/** Fixed network-failure messages of Node/undici. Only these are echoed; other messages might carry anything. */
const NETWORK_MESSAGES = ['fetch failed', 'socket hang up', 'other side closed', 'terminated'];

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
    return classifyNetworkError(input.cause);
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

/**
 * @description Reads a Retry-After value (delay-seconds or HTTP-date, RFC 9110 §10.2.3) as milliseconds from `now`;
 * `undefined` when absent or unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1_000);
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function classifyNetworkError(cause: unknown): ErpError {
  const chain = causeChain(cause);
  const timedOut = chain.find((e) => e.name === 'TimeoutError');
  if (timedOut !== undefined) {
    return new ErpError(ErrorKind.Transient, 'Sandbox ERP request timed out', { vendorCode: 'TIMEOUT' });
  }
  if (chain.some((e) => e.name === 'AbortError')) {
    return new ErpError(ErrorKind.Transient, 'Sandbox ERP request was aborted', { vendorCode: 'ABORTED' });
  }
  const code = chain.map((e) => e.code).find((c) => c !== undefined && NETWORK_ERROR_CODES.has(c));
  if (code !== undefined) {
    return new ErpError(ErrorKind.Transient, `Sandbox ERP connection failed (${code})`, { vendorCode: code });
  }
  const known = chain
    .map((e) => e.message.toLowerCase())
    .find((m) => NETWORK_MESSAGES.some((phrase) => m.includes(phrase)));
  if (known !== undefined) {
    const phrase = NETWORK_MESSAGES.find((p) => known.includes(p)) ?? 'network error';
    return new ErpError(ErrorKind.Transient, `Sandbox ERP connection failed (${phrase})`);
  }
  // Anything else thrown before an answer arrived cannot be judged permanent; retrying is the safe default. Its
  // message is deliberately not echoed, since we cannot know what it contains.
  const name = chain[0]?.name ?? 'unknown error';
  return new ErpError(ErrorKind.Transient, `Sandbox ERP request failed (${name})`);
}

interface CauseLink {
  name: string;
  message: string;
  code?: string;
}

/** The error and its `cause`s (fetch wraps the socket error in `TypeError('fetch failed', { cause })`). */
function causeChain(cause: unknown): CauseLink[] {
  const links: CauseLink[] = [];
  let current: unknown = cause;
  // A few levels are enough for undici's wrapping; the bound guards against cyclic causes.
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const record = current as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    links.push({
      name: typeof record.name === 'string' ? record.name : 'Error',
      message: typeof record.message === 'string' ? record.message : '',
      code: typeof record.code === 'string' ? record.code : undefined,
    });
    current = record.cause;
  }
  return links;
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
    title: typeof record.title === 'string' ? truncate(record.title) : undefined,
    detail:
      typeof firstRecord.detail === 'string' && firstRecord.detail !== '' ? truncate(firstRecord.detail) : undefined,
    errorCode: typeof firstRecord['o:errorCode'] === 'string' ? firstRecord['o:errorCode'] : undefined,
  };
}

function readHeader(headers: Headers | Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) {
    return undefined;
  }
  // Duck-typed rather than `instanceof Headers`: fetch's Headers may come from another realm (e.g. a test VM).
  if (isHeaders(headers)) {
    return headers.get(name) ?? undefined;
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function isHeaders(headers: Headers | Record<string, string>): headers is Headers {
  return typeof (headers as { get?: unknown }).get === 'function';
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}
