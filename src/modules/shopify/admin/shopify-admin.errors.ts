import { AppError, ErrorKind } from 'src/common/errors/app-error';
import type { ShopifyUserError } from 'src/modules/shopify/admin/shopify-admin.port';

export { ErrorKind as ShopifyErrorKind };

/** Codes of Shopify Admin API failures, as far as the caller needs to tell them apart. */
export enum ShopifyAdminErrorCode {
  /** THROTTLED answers kept coming until the retry budget or the caller's timeout ran out. */
  Throttled = 'SHOPIFY_THROTTLED',
  /** 5xx, timeouts, connection errors after the retry budget. */
  Unavailable = 'SHOPIFY_UNAVAILABLE',
  /** 401 / 403, or ACCESS_DENIED: the access token is wrong, revoked or lacks a scope. */
  Unauthorized = 'SHOPIFY_UNAUTHORIZED',
  /** The document's requested cost exceeds the single-query maximum (1,000 points). */
  MaxCostExceeded = 'SHOPIFY_MAX_COST_EXCEEDED',
  /** Syntax or validation errors, or any other top-level `errors[]` Shopify will answer the same way again. */
  InvalidRequest = 'SHOPIFY_INVALID_REQUEST',
  /** A mutation answered with `userErrors`. */
  UserErrors = 'SHOPIFY_USER_ERRORS',
  /** SHOPIFY_ADMIN_ACCESS_TOKEN is not set in a role that talks to Shopify. */
  NotConfigured = 'SHOPIFY_NOT_CONFIGURED',
  /** A bulk operation failed, was cancelled or expired. */
  BulkOperationFailed = 'SHOPIFY_BULK_OPERATION_FAILED',
}

/**
 * A failure of a Shopify Admin API call, normalised into one of the four kinds (as the ERP errors are: docs/architecture.md). Messages never
 * carry the access token; response bodies are truncated.
 */
export class ShopifyAdminError extends AppError {
  constructor(
    readonly kind: ErrorKind,
    readonly code: ShopifyAdminErrorCode,
    message: string,
    readonly details: {
      httpStatus?: number;
      /** Shopify's `errors[].extensions.code`, when there is one. */
      shopifyCode?: string;
      /** How long the bucket needs before a retry can succeed, in ms. */
      retryAfterMs?: number;
      operation?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ShopifyAdminError';
  }
}

/** A mutation's `userErrors` (permanent: sending the same input again gets the same answer). */
export class ShopifyUserErrorsError extends ShopifyAdminError {
  constructor(
    readonly operation: string,
    readonly userErrors: ShopifyUserError[],
  ) {
    super(
      ErrorKind.Permanent,
      ShopifyAdminErrorCode.UserErrors,
      `${operation}: ${userErrors.map((e) => `${e.code ?? 'ERROR'} ${e.field?.join('.') ?? ''}: ${e.message}`.trim()).join('; ')}`,
      { operation },
    );
    this.name = 'ShopifyUserErrorsError';
  }

  /** The Shopify user-error codes, e.g. `['CHANGE_FROM_QUANTITY_STALE']`. */
  get codes(): string[] {
    return this.userErrors.map((e) => e.code ?? 'UNKNOWN');
  }
}

/** Throws `ShopifyUserErrorsError` when a mutation payload carries `userErrors`; returns the payload otherwise. */
export function assertNoUserErrors<T extends { userErrors?: ShopifyUserError[] | null }>(
  payload: T | null | undefined,
  operation: string,
): T {
  if (payload === null || payload === undefined) {
    throw new ShopifyAdminError(
      ErrorKind.Permanent,
      ShopifyAdminErrorCode.InvalidRequest,
      `${operation}: no payload in the response`,
      { operation },
    );
  }
  const errors = payload.userErrors ?? [];
  if (errors.length > 0) {
    throw new ShopifyUserErrorsError(operation, errors);
  }
  return payload;
}
