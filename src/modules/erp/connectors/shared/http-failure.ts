import { ErrorKind } from 'src/common/errors/app-error';
import { ErpError } from 'src/modules/erp/port/erp-error';

/**
 * What every connector does the same way with a failed HTTP call: read Retry-After, read a header from fetch's
 * Headers or a plain record, classify a failure that happened before any answer arrived, and bound vendor text
 * before it reaches a message. The vendor-specific part (status codes and error bodies) stays in each connector.
 */

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

/** Codes of a connection that was never made: the request cannot have reached the ERP. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Messages of broken connections that carry no code. */
const NETWORK_MESSAGES = ['fetch failed', 'socket hang up', 'other side closed', 'terminated'];

/**
 * @description Reads a Retry-After value (delay-seconds or HTTP-date, RFC 9110 §10.2.3) as milliseconds from `now`;
 * `undefined` when absent or unreadable. A date in the past gives 0.
 */
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

/** A header from fetch's Headers (duck-typed: it may come from another realm) or a plain record, case-insensitive. */
export function readHeader(headers: Headers | Record<string, string> | undefined, name: string): string | undefined {
  if (headers === undefined) {
    return undefined;
  }
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** Vendor text cut to `max` characters (messages end up in audit rows and logs). */
export function truncateDetail(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * @description Classifies an error thrown before any answer arrived (fetch wraps socket errors in `cause`): always
 * Transient, since nothing says the ERP refused the request. The thrown message is never echoed (it might hold a
 * URL with a token); only its name, code or a known phrase.
 */
export function classifyNetworkError(cause: unknown, service: string): ErpError {
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
  const phrase = chain
    .map((e) => e.message.toLowerCase())
    .map((m) => NETWORK_MESSAGES.find((known) => m.includes(known)))
    .find((known) => known !== undefined);
  if (phrase !== undefined) {
    return new ErpError(ErrorKind.Transient, `${service} connection failed (${phrase})`, { vendorCode: 'NETWORK' });
  }
  return new ErpError(ErrorKind.Transient, `${service} request failed (${chain[0]?.name ?? 'unknown error'})`, {
    vendorCode: 'NETWORK',
  });
}

/**
 * @description Whether a request that failed without an answer ({@link classifyNetworkError}) may still have reached
 * the ERP, and so may still commit: a timeout or a connection broken after it was made, but not a connection that
 * was never made (refused, unreachable, unresolved).
 */
export function mayHaveReachedErp(failure: ErpError): boolean {
  return (
    failure.kind === ErrorKind.Transient &&
    failure.details.httpStatus === undefined &&
    !NEVER_SENT_CODES.has(failure.details.vendorCode ?? '')
  );
}

interface CauseLink {
  name: string;
  message: string;
  code?: string;
}

/** The error and its `cause`s; a few levels cover undici's wrapping, and the bound guards against cyclic causes. */
function causeChain(cause: unknown): CauseLink[] {
  const links: CauseLink[] = [];
  let current: unknown = cause;
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
