import { AppError, ErrorKind } from 'src/common/errors/app-error';

/** @description Why a catalog webhook cannot be checked. */
export enum CatalogEventErrorCode {
  /** Not JSON, or not the object the topic's handler reads. */
  InvalidPayload = 'CATALOG_EVENT_INVALID_PAYLOAD',
  /** A topic the catalog-events queue has no handler for (a binding without a handler). */
  UnknownTopic = 'CATALOG_EVENT_UNKNOWN_TOPIC',
}

/** Permanent: the same message fails the same way on every retry, so it is dead-lettered with this reason. */
export class CatalogEventError extends AppError {
  readonly kind = ErrorKind.Permanent;

  constructor(
    readonly code: CatalogEventErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogEventError';
  }
}

/** The JSON object of a message body; throws a permanent error otherwise. */
export function decodeCatalogEvent(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new CatalogEventError(CatalogEventErrorCode.InvalidPayload, 'catalog event body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CatalogEventError(CatalogEventErrorCode.InvalidPayload, 'catalog event body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}
