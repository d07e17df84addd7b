import { ErrorKind } from 'src/common/errors/app-error';
import type { BusinessCentralTokenProvider } from 'src/modules/erp/connectors/business-central/business-central.auth';
import { classifyBusinessCentralError } from 'src/modules/erp/connectors/business-central/business-central.errors';
import { admitUnderLock, exchange } from 'src/modules/erp/connectors/shared/http-exchange';
import type { ErpLockLease, ErpRequestGate } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';

export type BcMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface BcCallOptions {
  body?: unknown;
  /** The entity's `@odata.etag`, required by BC on PATCH and DELETE. */
  ifMatch?: string;
  /** Server-driven page size (`Prefer: odata.maxpagesize=N`): BC then answers `@odata.nextLink` for the rest. */
  maxPageSize?: number;
  /**
   * The keyed lock the request is sent under (lookup-then-create): a GET stops when the lock is lost, a PATCH or
   * DELETE is fenced, a POST is fenced and held back while an earlier create of the key may still commit.
   */
  lease?: ErpLockLease;
}

/**
 * @description Sends Business Central API requests: each one through the shared gate, with a bearer token from the
 * token provider, aborted after the request timeout, and every failure thrown as a classified `ErpError`. A 401 on a
 * cached token drops it and retries once with a fresh one (the token may have been revoked or rotated early).
 */
export class BusinessCentralClient {
  constructor(
    private readonly tokens: BusinessCentralTokenProvider,
    private readonly gate: ErpRequestGate,
    private readonly requestTimeoutMs: number,
  ) {}

  async call<T>(operation: string, method: BcMethod, url: string, options: BcCallOptions = {}): Promise<T> {
    await admitUnderLock({ method }, options.lease);
    const first = await this.tokens.token();
    try {
      return await this.gate.request(operation, () => this.send<T>(method, url, first.accessToken, options));
    } catch (error) {
      const refused = error instanceof ErpError && error.kind === ErrorKind.Auth && error.details.httpStatus === 401;
      if (!refused || !first.cached) {
        throw error;
      }
      this.tokens.invalidate(first.accessToken);
      const fresh = await this.tokens.token();
      return this.gate.request(operation, () => this.send<T>(method, url, fresh.accessToken, options));
    }
  }

  private async send<T>(method: BcMethod, url: string, accessToken: string, options: BcCallOptions): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.ifMatch !== undefined) {
      headers['If-Match'] = options.ifMatch;
    }
    if (options.maxPageSize !== undefined) {
      headers.Prefer = `odata.maxpagesize=${options.maxPageSize}`;
    }
    const { response, text } = await exchange(
      url,
      { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
      this.requestTimeoutMs,
      (cause) => classifyBusinessCentralError({ cause }),
      options.lease,
    );
    if (!response.ok) {
      throw classifyBusinessCentralError({ status: response.status, body: text, headers: response.headers });
    }
    if (text.trim() === '') {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ErpError(
        ErrorKind.Transient,
        `Business Central answered HTTP ${response.status} with a body that is not JSON`,
        {
          vendorCode: 'INVALID_JSON',
          httpStatus: response.status,
        },
      );
    }
  }
}
