import { AppError, ErrorKind } from 'src/common/errors/app-error';

export { ErrorKind as ErpErrorKind };

/** A failure of an ERP call, normalised by the connector's classifier into one of four kinds. */
export class ErpError extends AppError {
  readonly code: string;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: {
      /** Vendor error code (e.g. NetSuite `o:errorCode`), when there is one. */
      vendorCode?: string;
      httpStatus?: number;
      /** How long the ERP asked us to wait (Retry-After), in ms. */
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ErpError';
    this.code = details.vendorCode ?? `ERP_${kind.toUpperCase()}`;
  }
}

/**
 * `code` of the Permanent error an order or refund write throws when the ERP says the customer it was given no
 * longer exists (merged into another, or deleted, since its id was cached): the caller resolves the customer once
 * more (`upsertCustomer`: by e-mail or our key) and re-runs the write once, and only then gives up (withFreshCustomer).
 */
export const ERP_CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND';

/** @description Whether `error` says that the customer a write named no longer exists in the ERP. */
export function isStaleCustomerReference(error: unknown): error is ErpError {
  return error instanceof ErpError && error.code === ERP_CUSTOMER_NOT_FOUND;
}

/** @description The vendor's refusal of a customer reference, as the Permanent {@link ERP_CUSTOMER_NOT_FOUND} error. */
export function staleCustomerReference(cause: ErpError): ErpError {
  return new ErpError(ErrorKind.Permanent, `The ERP no longer has the customer this write names (${cause.message})`, {
    vendorCode: ERP_CUSTOMER_NOT_FOUND,
    httpStatus: cause.details.httpStatus,
  });
}
