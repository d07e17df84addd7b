import { ErrorKind } from 'src/common/errors/app-error';
import { CIN7_THROTTLE_RETRY_AFTER_MS } from 'src/modules/erp/connectors/cin7/cin7.constants';
import type { Cin7ErrorEntry } from 'src/modules/erp/connectors/cin7/cin7.types';
import { classifyNetworkError, parseRetryAfter, readHeader } from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** What a failed Cin7 call left us with: an HTTP answer (status, body, headers) or a thrown network error. */
export interface Cin7ErrorInput {
  status?: number;
  body?: string;
  headers?: Headers | Record<string, string>;
  cause?: unknown;
}

/**
 * Cin7 documents `503 Service Unavailable` as "You reached 60 calls per minute API limit", but a genuine outage
 * (maintenance, a load balancer with no healthy backend) answers 503 as well. Only the body tells them apart.
 */
const RATE_LIMIT_TEXT = /calls per minute|api limit|rate limit|too many requests|too many concurrent/i;

/**
 * A record Cin7 does not have is named in its text ("Sale with ID '…' not found"); a 404 without such text is a path
 * no endpoint serves (ASP.NET's "No HTTP resource was found…", or a web server's page): `CIN7_BASE_URL` is wrong.
 */
const RECORD_NOT_FOUND_TEXT = /'[^']*' not found/i;

/** Longest vendor text kept in a message (messages end up in audit rows and logs). */
const MAX_DETAIL_LENGTH = 300;

/**
 * @description Normalises a failed Cin7 Core call into an `ErpError`:
 * - 429, or 503 whose body speaks of the call limit → Throttled. Cin7 sends no Retry-After; a Retry-After a proxy
 *   adds is honoured, else {@link CIN7_THROTTLE_RETRY_AFTER_MS}.
 * - any other 5xx (maintenance 503, 500 "could not be parsed or some unexpected error"), 408, network failures and
 *   timeouts → Transient.
 * - 401/403 ("Method authentication failed") → Auth.
 * - 404 on a path no endpoint serves (a wrong `CIN7_BASE_URL`) → Configuration: every call fails alike until the
 *   setting is fixed.
 * - other 4xx (400 validation or a record not found, a 404 naming a record, 405) → Permanent, with Cin7's
 *   `Exception` text.
 *
 * Messages are built from the answer's status and body only, never from request headers, so no key can leak.
 *
 * @example
 * throw classifyCin7Error({ status: response.status, body: await response.text(), headers: response.headers });
 */
export function classifyCin7Error(input: Cin7ErrorInput, now: number = Date.now()): ErpError {
  if (input.status === undefined) {
    return classifyNetworkError(input.cause, 'Cin7');
  }
  const status = input.status;
  const detail = readCin7ErrorText(input.body);
  const retryAfterMs = parseRetryAfter(readHeader(input.headers, 'retry-after'), now);
  const suffix = detail === undefined ? '' : `: ${detail}`;

  if (status === 429 || (status === 503 && detail !== undefined && RATE_LIMIT_TEXT.test(detail))) {
    return new ErpError(ErrorKind.Throttled, `Cin7 rate limit reached (HTTP ${status})${suffix}`, {
      vendorCode: 'RATE_LIMIT',
      httpStatus: status,
      retryAfterMs: retryAfterMs ?? CIN7_THROTTLE_RETRY_AFTER_MS,
    });
  }
  if (status === 401 || status === 403) {
    return new ErpError(ErrorKind.Auth, `Cin7 rejected the API credentials (HTTP ${status})${suffix}`, {
      httpStatus: status,
    });
  }
  if (status >= 500 || status === 408) {
    return new ErpError(ErrorKind.Transient, `Cin7 is unavailable (HTTP ${status})${suffix}`, {
      httpStatus: status,
      retryAfterMs,
    });
  }
  if (status === 404 && !RECORD_NOT_FOUND_TEXT.test(detail ?? '')) {
    return new ErpError(ErrorKind.Configuration, `Cin7 serves no API at this address (HTTP 404)${suffix}`, {
      vendorCode: 'NO_ENDPOINT',
      httpStatus: status,
    });
  }
  if (status >= 400) {
    return new ErpError(ErrorKind.Permanent, `Cin7 rejected the request (HTTP ${status})${suffix}`, {
      vendorCode: status === 404 ? 'NOT_FOUND' : undefined,
      httpStatus: status,
    });
  }
  // 1xx/3xx (or a 2xx handed in by mistake): not an answer we understand; a retry is the safe choice.
  return new ErpError(ErrorKind.Transient, `Cin7 answered an unexpected HTTP ${status}`, { httpStatus: status });
}

/**
 * @description Cin7's error text from a body: the `Exception`s of its `[{ "ErrorCode", "Exception" }]` array (also
 * accepted as a single object), or a short plain-text body; HTML pages and empty bodies yield a generic word.
 */
export function readCin7ErrorText(body: string | undefined): string | undefined {
  const text = body?.trim() ?? '';
  if (text === '') {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (text.startsWith('<')) {
      // An HTML error page (maintenance, proxy): its title is the only part worth keeping.
      const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
      return title === undefined || title === '' ? 'HTML error page' : truncate(title);
    }
    return truncate(text);
  }
  const entries = (Array.isArray(json) ? json : [json]) as unknown[];
  const messages = entries
    .map((entry) => {
      if (typeof entry === 'string') {
        return entry;
      }
      if (typeof entry === 'object' && entry !== null) {
        const record = entry as Cin7ErrorEntry & { Message?: unknown };
        if (typeof record.Exception === 'string') {
          return record.Exception;
        }
        if (typeof record.Message === 'string') {
          return record.Message;
        }
      }
      return undefined;
    })
    .filter((message): message is string => message !== undefined && message.trim() !== '');
  return messages.length === 0 ? undefined : truncate(messages.join('; '));
}

function truncate(text: string): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length > MAX_DETAIL_LENGTH ? `${single.slice(0, MAX_DETAIL_LENGTH)}…` : single;
}

/**
 * @description True when Cin7 refused a write over a product it names (`Line 1: Product with ID '…' not found`): a
 * cached ProductID of a product deleted and created again would explain it, so the SKU is looked up once more.
 */
export function isCin7ProductRefusal(error: unknown): error is ErpError {
  return isValidationRefusal(error) && /\bproduct\b/i.test(error.message);
}

/**
 * @description True when Cin7 refused a sale because the customer it names is gone (`Customer '…' not found`, or
 * no longer valid): removed or merged since its CustomerID was cached.
 */
export function isCin7CustomerRefusal(error: unknown): error is ErpError {
  return (
    isValidationRefusal(error) &&
    /\bcustomer\b[^;]*\b(not found|does not exist|is not valid|invalid|deprecated)\b/i.test(error.message)
  );
}

function isValidationRefusal(error: unknown): error is ErpError {
  return error instanceof ErpError && error.kind === ErrorKind.Permanent && error.details.httpStatus === 400;
}
