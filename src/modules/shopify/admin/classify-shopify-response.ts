import { ErrorKind } from 'src/common/errors/app-error';
import { ShopifyAdminError, ShopifyAdminErrorCode } from 'src/modules/shopify/admin/shopify-admin.errors';
import type { ShopifyQueryCost } from 'src/modules/shopify/admin/shopify-admin.port';

/** A parsed GraphQL response body (api-facts A.0 / A.2). */
export interface GraphqlResponseBody {
  data?: unknown;
  /** An array (GraphQL), a string (401, 503) or an object (400: `{"query": "Required parameter missing"}`). */
  errors?:
    { message?: string; extensions?: { code?: string; [k: string]: unknown } }[] | string | Record<string, unknown>;
  extensions?: { cost?: ShopifyQueryCost };
}

/** What to do with one HTTP answer. */
export type ShopifyAnswer =
  | { kind: 'ok'; data: unknown; cost?: ShopifyQueryCost }
  | { kind: 'throttled'; cost?: ShopifyQueryCost; retryAfterMs?: number }
  | { kind: 'retry'; error: ShopifyAdminError }
  | { kind: 'fail'; error: ShopifyAdminError };

const MAX_TEXT = 300;

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function topLevelErrors(body: GraphqlResponseBody): { message: string; code?: string }[] {
  if (typeof body.errors === 'string') {
    return [{ message: body.errors }];
  }
  if (body.errors !== undefined && !Array.isArray(body.errors)) {
    return [{ message: JSON.stringify(body.errors) }];
  }
  return (body.errors ?? []).map((e) => ({ message: e.message ?? 'error', code: e.extensions?.code }));
}

/**
 * Classifies one answer of the Admin GraphQL endpoint (pure; fixture-tested). THROTTLED comes as 200 with
 * `errors[].extensions.code = THROTTLED` or as a 429; 401/403 and ACCESS_DENIED are auth; 5xx and
 * INTERNAL_SERVER_ERROR are worth a retry; MAX_COST_EXCEEDED, syntax and validation errors are permanent.
 */
export function classifyShopifyResponse(
  operation: string,
  httpStatus: number,
  body: GraphqlResponseBody | undefined,
  retryAfterMs?: number,
): ShopifyAnswer {
  const cost = body?.extensions?.cost;
  const errors = body ? topLevelErrors(body) : [];
  const codes = new Set(errors.map((e) => e.code));
  const text = cut(errors.map((e) => e.message).join('; '));
  const details = { httpStatus, operation };

  if (httpStatus === 429 || codes.has('THROTTLED')) {
    return { kind: 'throttled', cost, retryAfterMs };
  }
  if (httpStatus === 401 || httpStatus === 403 || codes.has('ACCESS_DENIED')) {
    return {
      kind: 'fail',
      error: new ShopifyAdminError(
        ErrorKind.Auth,
        ShopifyAdminErrorCode.Unauthorized,
        `${operation}: Shopify refused the access token (HTTP ${httpStatus})${text ? `: ${text}` : ''}`,
        { ...details, shopifyCode: codes.has('ACCESS_DENIED') ? 'ACCESS_DENIED' : undefined },
      ),
    };
  }
  if (httpStatus >= 500 || codes.has('INTERNAL_SERVER_ERROR')) {
    return {
      kind: 'retry',
      error: new ShopifyAdminError(
        ErrorKind.Transient,
        ShopifyAdminErrorCode.Unavailable,
        `${operation}: Shopify answered HTTP ${httpStatus}${text ? `: ${text}` : ''}`,
        { ...details, retryAfterMs },
      ),
    };
  }
  if (codes.has('MAX_COST_EXCEEDED')) {
    return {
      kind: 'fail',
      error: new ShopifyAdminError(
        ErrorKind.Permanent,
        ShopifyAdminErrorCode.MaxCostExceeded,
        `${operation}: ${text}`,
        {
          ...details,
          shopifyCode: 'MAX_COST_EXCEEDED',
        },
      ),
    };
  }
  if (httpStatus !== 200 || body === undefined || errors.length > 0 || body.data === undefined || body.data === null) {
    const firstCode = errors.find((e) => e.code)?.code;
    return {
      kind: 'fail',
      error: new ShopifyAdminError(
        ErrorKind.Permanent,
        ShopifyAdminErrorCode.InvalidRequest,
        `${operation}: ${text || `HTTP ${httpStatus} without data`}`,
        { ...details, shopifyCode: firstCode },
      ),
    };
  }
  return { kind: 'ok', data: body.data, cost };
}
