import { AppError, ErrorKind, assertNever } from 'src/common/errors/app-error';

/** @description Why an order event cannot be applied to the ERP. */
export enum OrderErrorCode {
  /** The message is not an order payload the mapping can read (bad JSON, a missing or mistyped field). */
  InvalidPayload = 'ORDER_INVALID_PAYLOAD',
  /** A line item has no SKU, so the ERP cannot resolve its item; fix the product in Shopify, then replay. */
  MissingSku = 'ORDER_MISSING_SKU',
  /**
   * A refund arrived for an order the ERP does not have yet (its create is still being retried). Transient: the
   * refund waits with backoff, and is dead-lettered with this reason if the order never arrives.
   */
  OrderNotInErp = 'ORDER_NOT_IN_ERP',
  /**
   * The message names a shop the `shops` table does not hold (a setting, not the message, is wrong): it waits,
   * uncounted, like any configuration error, until the shop is added.
   */
  UnknownShop = 'ORDER_UNKNOWN_SHOP',
  /** Shopify has no such order (deleted since): its ERP document number cannot be written back to it. */
  NotInShopify = 'ORDER_NOT_IN_SHOPIFY',
  /**
   * Shopify has not finished assessing the order's risk (an assessment is PENDING) and its shop holds high-risk
   * orders: transient, asked again through the retry queues a bounded number of times (RISK_PENDING_MAX_ATTEMPTS).
   */
  RiskPending = 'ORDER_RISK_PENDING',
}

/**
 * @description A typed failure of the order rules. Payload problems are Permanent: the same payload fails the same
 * way on every retry, so it goes to the dead-letter queue with this message as the reason.
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
    case OrderErrorCode.NotInShopify:
      return ErrorKind.Permanent;
    case OrderErrorCode.OrderNotInErp:
    case OrderErrorCode.RiskPending:
      return ErrorKind.Transient;
    case OrderErrorCode.UnknownShop:
      return ErrorKind.Configuration;
    default:
      return assertNever(code);
  }
}
