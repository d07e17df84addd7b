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
