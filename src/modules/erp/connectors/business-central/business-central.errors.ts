import { ErrorKind } from 'src/common/errors/app-error';
import { BUSINESS_CENTRAL_THROTTLE_RETRY_AFTER_MS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import {
  classifyNetworkError,
  parseRetryAfter,
  readHeader,
  truncateDetail,
} from 'src/modules/erp/connectors/shared/http-failure';
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

const MAX_DETAIL_LENGTH = 500;

/**
 * BC names the table of the record it could not find: "The Item does not exist. Identification fields and values:
 * Id='{…}'" (`Internal_RecordNotFound`), or "… cannot be found in the related table (Customer)"
 * (`Internal_InvalidTableRelation`).
 */
function refusedTable(error: unknown): string | undefined {
  if (
    !(error instanceof ErpError) ||
    error.kind !== ErrorKind.Permanent ||
    !BC_RECORD_NOT_FOUND_CODES.has(error.details.vendorCode ?? '')
  ) {
    return undefined;
  }
  const match =
    /\bThe ([A-Za-z. ]+?) does not exist\b/.exec(error.message) ?? /\brelated table \(([^)]+)\)/.exec(error.message);
  return match?.[1]?.trim();
}

/**
 * @description True when Business Central refused a write because an item (or item variant) it names does not exist:
 * a cached item id the ERP user deleted or re-created since.
 */
export function isBcItemRefusal(error: unknown): error is ErpError {
  const table = refusedTable(error);
  return table === 'Item' || table === 'Item Variant';
}

/**
 * @description True when Business Central refused a write because the customer it names does not exist (merged
 * into another with "Merge Duplicate", or deleted, since its id was cached).
 */
export function isBcCustomerRefusal(error: unknown): error is ErpError {
  return refusedTable(error) === 'Customer';
}

/**
 * Codes that say our settings name something Business Central does not have: the environment (`BC_ENVIRONMENT`) or
 * the company (`BC_COMPANY_ID`). Every request fails the same way until the setting is fixed, so they pause the
 * writers instead of dead-lettering each message.
 */
const BC_CONFIGURATION_CODES: ReadonlySet<string> = new Set(['NoEnvironmentFound', 'Internal_CompanyNotFound']);

/**
 * ASP.NET's routing answer (404 `BadRequest_NotFound`) for a path no API serves: the base URL is wrong, typically
 * `BC_API_BASE_URL` without its `/v2.0`. A record that does not exist is `Internal_RecordNotFound` instead.
 */
const NO_ROUTE_TEXT = /No HTTP resource was found that matches the request URI/i;

/**
 * @description Normalises a failed Business Central API call into an `ErpError`. BC answers
 * `{"error":{"code":"…","message":"… CorrelationId: …"}}` (api-reference/v2.0/dynamics-error-codes):
 * - 429 → Throttled, with Retry-After when sent (else 1 s);
 * - 401 / 403 → Auth (`Authentication_InvalidCredentials`, `Authorization_*`);
 * - a route no API serves (404 "No HTTP resource was found…", or a 404 without BC's error body: another server),
 *   an unknown environment or company → Configuration (the base URL, `BC_ENVIRONMENT` or `BC_COMPANY_ID` is wrong);
 * - 408, 5xx (`Internal_ServerError`, `Internal_TenantUnavailable` during upgrades) → Transient;
 * - 409 `Request_EntityChanged` → Transient (the connector re-reads and retries once before giving up);
 * - other 4xx (`BadRequest_*`, `Internal_RecordNotFound`, `Application_*`, 404 on a record) → Permanent: a record
 *   that does not exist is the message's problem, not the settings';
 * - no answer (timeout, reset, refused) → Transient.
 * The message is BC's own (truncated), never anything from the request, so no token can leak.
 */
export function classifyBusinessCentralError(input: BusinessCentralErrorInput, now: number = Date.now()): ErpError {
  if (input.status === undefined) {
    return classifyNetworkError(input.cause, 'Business Central');
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
  if (isConfigurationAnswer(status, code, message)) {
    return new ErpError(
      ErrorKind.Configuration,
      message ?? `Business Central serves no API at this address (HTTP ${status}): check BC_API_BASE_URL`,
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

/** A wrong base URL, environment or company: see BC_CONFIGURATION_CODES and NO_ROUTE_TEXT. */
function isConfigurationAnswer(status: number, code: string | undefined, message: string | undefined): boolean {
  if (code !== undefined && BC_CONFIGURATION_CODES.has(code)) {
    return true;
  }
  if (status !== 404) {
    return false;
  }
  // Business Central answers a missing record with its own error body; a 404 without one is another server's.
  return code === undefined || (code === 'BadRequest_NotFound' && NO_ROUTE_TEXT.test(message ?? ''));
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
    message:
      typeof record.message === 'string' && record.message !== ''
        ? truncateDetail(record.message, MAX_DETAIL_LENGTH)
        : undefined,
  };
}
