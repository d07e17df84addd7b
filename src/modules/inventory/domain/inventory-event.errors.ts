import { AppError, ErrorKind } from 'src/common/errors/app-error';

/** @description Why an inventory webhook cannot be checked. */
export enum InventoryEventErrorCode {
  /** Not JSON, or not the `inventory_levels/update` body the echo / drift check reads. */
  InvalidPayload = 'INVENTORY_EVENT_INVALID_PAYLOAD',
  /** A topic the inventory-events queue has no handler for (a binding without a handler). */
  UnknownTopic = 'INVENTORY_EVENT_UNKNOWN_TOPIC',
}

/**
 * @description A typed failure of an inventory webhook. Permanent: the same message fails the same way on every
 * retry, so it is dead-lettered at once with this message as the reason.
 */
export class InventoryEventError extends AppError {
  readonly kind = ErrorKind.Permanent;

  constructor(
    readonly code: InventoryEventErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InventoryEventError';
  }
}
