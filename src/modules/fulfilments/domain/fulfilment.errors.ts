import { AppError, ErrorKind } from 'src/common/errors/app-error';

export enum FulfilmentErrorCode {
  /** The shipment itself is malformed (no lines, a quantity below 1, no order id). */
  InvalidShipment = 'FULFILMENT_INVALID_SHIPMENT',
  /** The Shopify order the shipment names does not exist. */
  OrderNotFound = 'FULFILMENT_ORDER_NOT_FOUND',
  /** A shipped SKU is not a line of the order. */
  UnknownSku = 'FULFILMENT_UNKNOWN_SKU',
  /** More of a SKU shipped than the order still has to fulfil. */
  OverShipped = 'FULFILMENT_OVER_SHIPPED',
  /** The quantity is only on fulfilment orders that cannot be fulfilled yet (on hold, scheduled). */
  NotFulfillableYet = 'FULFILMENT_NOT_FULFILLABLE_YET',
  /** A create's outcome is unknown and the order's fulfilments cannot tell whether it happened. */
  OutcomeUnknown = 'FULFILMENT_OUTCOME_UNKNOWN',
}

const KIND: Record<FulfilmentErrorCode, ErrorKind> = {
  [FulfilmentErrorCode.InvalidShipment]: ErrorKind.Permanent,
  [FulfilmentErrorCode.OrderNotFound]: ErrorKind.Permanent,
  [FulfilmentErrorCode.UnknownSku]: ErrorKind.Permanent,
  [FulfilmentErrorCode.OverShipped]: ErrorKind.Permanent,
  // Shopify releases holds and scheduled fulfilment orders by itself: try again later.
  [FulfilmentErrorCode.NotFulfillableYet]: ErrorKind.Transient,
  [FulfilmentErrorCode.OutcomeUnknown]: ErrorKind.Permanent,
};

/** A shipment that cannot become a fulfilment, with the reason an operator needs. */
export class FulfilmentError extends AppError {
  readonly kind: ErrorKind;

  constructor(
    readonly code: FulfilmentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FulfilmentError';
    this.kind = KIND[code];
  }
}
