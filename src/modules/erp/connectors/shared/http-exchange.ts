import { mayHaveReachedErp } from 'src/modules/erp/connectors/shared/http-failure';
import type { ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';

/**
 * @description What a request does to the ERP, for one sent under a keyed lock: a `read` is cut the moment the lock
 * is lost; a `write` is fenced right before it is sent; a `create` is a write that makes a record the ERP cannot
 * deduplicate, so an unknown outcome (a timeout, a broken connection) is recorded as a create in doubt.
 */
export type LockedEffect = 'read' | 'write' | 'create';

/** @description One HTTP request to an ERP (or its identity provider) as the connectors send it. */
export interface HttpExchangeRequest {
  method: string;
  headers: Record<string, string>;
  /** Already serialised (JSON, form). */
  body?: string;
  /** Under a keyed lock: what the request does (default from the method: GET reads, POST creates, others write). */
  effect?: LockedEffect;
}

/** @description The answer, with its body read to the end. */
export interface HttpExchangeAnswer {
  response: Response;
  text: string;
}

/** The effect of a request: as said, else from its method (a POST to a collection creates a record). */
export function lockedEffect(request: Pick<HttpExchangeRequest, 'method' | 'effect'>): LockedEffect {
  if (request.effect !== undefined) {
    return request.effect;
  }
  return request.method === 'GET' ? 'read' : request.method === 'POST' ? 'create' : 'write';
}

/**
 * Before a request under a keyed lock goes to the request gate: a create is held back (a Transient
 * `CREATE_IN_DOUBT` that the lock waits out) while an earlier create of the same key may still commit.
 */
export async function admitUnderLock(
  request: Pick<HttpExchangeRequest, 'method' | 'effect'>,
  lease?: ErpLockLease,
): Promise<void> {
  if (lease !== undefined && lockedEffect(request) === 'create') {
    await lease.admitCreate();
  }
}

/**
 * Sends one request with the ERP request timeout and reads the answer's body to the end either way (it frees the
 * keep-alive connection, and an error answer needs it). A network failure or a timeout becomes the vendor's error
 * through `networkError`; an error the caller already normalised passes through as it is.
 *
 * Under a keyed lock (`lease`): a read also stops when the lock is lost (its error is then the lock's `LOCK_LOST`); a
 * write is fenced right before it is sent and then runs to its answer or timeout (cutting a write already sent would
 * only make its outcome unknown); a create whose outcome is unknown (no answer, or a gateway's 504), or whose lock is
 * lost before its answer comes, is recorded as a create in doubt.
 */
export async function exchange(
  url: string,
  request: HttpExchangeRequest,
  timeoutMs: number,
  networkError: (cause: unknown) => ErpError,
  lease?: ErpLockLease,
): Promise<HttpExchangeAnswer> {
  const { effect: _effect, ...init } = request;
  const effect = lockedEffect(request);
  if (lease !== undefined && effect !== 'read') {
    await lease.fence();
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = lease !== undefined && effect === 'read' ? AbortSignal.any([timeout, lease.signal]) : timeout;
  const send = async (): Promise<HttpExchangeAnswer> => {
    const response = await fetch(url, { ...init, signal });
    return { response, text: await response.text() };
  };
  try {
    const { response, text } =
      lease !== undefined && effect === 'create' ? await lease.whileCreating(send) : await send();
    if (lease !== undefined && effect === 'create' && response.status === 504) {
      await lease.createInDoubt();
    }
    return { response, text };
  } catch (error: unknown) {
    if (lease?.signal.aborted === true && effect === 'read' && lease.signal.reason instanceof ErpError) {
      throw lease.signal.reason;
    }
    const failure = networkError(error);
    if (lease !== undefined && effect === 'create' && mayHaveReachedErp(failure)) {
      await lease.createInDoubt();
    }
    throw failure;
  }
}
