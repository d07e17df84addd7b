import { AppError, ErrorKind, assertNever } from 'src/common/errors/app-error';

/** @description Why an order event cannot be applied to the ERP. */
export enum OrderErrorCode {
  /** The message is not an order payload the mapping can read (bad JSON, a missing or mistyped field). */
  InvalidPayload = 'ORDER_INVALID_PAYLOAD',
  /** A line item has no SKU, so the ERP cannot resolve its item; fix the product in Shopify, then replay. */
  MissingSku = 'ORDER_MISSING_SKU',
}

/**
 * @description A typed failure of the order rules. Every current code is Permanent: the same payload will fail the
 * same way on every retry, so it goes to the dead-letter queue with this message as the reason.
 */
export class OrderError extends AppError {
  readonly kind: ErrorKind;

  constructor(
    readonly code: OrderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OrderError';
    this.kind = kindOf(code);
  }
}

function kindOf(code: OrderErrorCode): ErrorKind {
  switch (code) {
    case OrderErrorCode.InvalidPayload:
    case OrderErrorCode.MissingSku:
      return ErrorKind.Permanent;
    default:
      return assertNever(code);
  }
}
