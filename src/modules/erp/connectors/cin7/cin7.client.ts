import { ErrorKind } from 'src/common/errors/app-error';
import { cin7AuthHeaders, type Cin7Credentials } from 'src/modules/erp/connectors/cin7/cin7.auth';
import { classifyCin7Error } from 'src/modules/erp/connectors/cin7/cin7.errors';
import { admitUnderLock, exchange, type LockedEffect } from 'src/modules/erp/connectors/shared/http-exchange';
import type { ErpLockLease, ErpRequestGate } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';

export type Cin7Query = Record<string, string | number | boolean | undefined>;

/**
 * @description The HTTP side of the Cin7 connector: every call goes through the shared request gate (limits,
 * Retry-After cool-down), carries the two auth headers, is aborted after the request timeout, and turns any failure
 * into a classified `ErpError`. JSON only, as Cin7 accepts nothing else. A call made under a keyed lock (its `lease`)
 * is guarded by it: a GET stops when the lock is lost, every write is fenced right before it is sent, and a POST that
 * creates a record is held back while an earlier create of the same key may still commit (shared/http-exchange.ts).
 */
export class Cin7Client {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly credentials: Cin7Credentials,
    private readonly gate: ErpRequestGate,
    private readonly requestTimeoutMs: number,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  get<T>(operation: string, path: string, query: Cin7Query = {}, lease?: ErpLockLease): Promise<T> {
    return this.send<T>(operation, 'GET', path, query, undefined, lease);
  }

  /** A POST that creates a record (`sale`, `customer`, `sale/creditnote`). */
  post<T>(operation: string, path: string, body: unknown, lease?: ErpLockLease): Promise<T> {
    return this.send<T>(operation, 'POST', path, {}, body, lease);
  }

  /** A POST that replaces part of a record (`sale/order` writes the whole order of an existing sale). */
  postReplacing<T>(operation: string, path: string, body: unknown, lease?: ErpLockLease): Promise<T> {
    return this.send<T>(operation, 'POST', path, {}, body, lease, 'write');
  }

  put<T>(operation: string, path: string, body: unknown, lease?: ErpLockLease): Promise<T> {
    return this.send<T>(operation, 'PUT', path, {}, body, lease);
  }

  delete<T>(operation: string, path: string, query: Cin7Query, lease?: ErpLockLease): Promise<T> {
    return this.send<T>(operation, 'DELETE', path, query, undefined, lease);
  }

  private async send<T>(
    operation: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    query: Cin7Query,
    body?: unknown,
    lease?: ErpLockLease,
    effect?: LockedEffect,
  ): Promise<T> {
    await admitUnderLock({ method, effect }, lease);
    const url = new URL(`${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...cin7AuthHeaders(this.credentials) };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return this.gate.request(operation, async () => {
      const { response, text } = await exchange(
        url.toString(),
        { method, headers, body: body === undefined ? undefined : JSON.stringify(body), effect },
        this.requestTimeoutMs,
        (cause) => classifyCin7Error({ cause }),
        lease,
      );
      if (!response.ok) {
        throw classifyCin7Error({ status: response.status, body: text, headers: response.headers });
      }
      return parseJson<T>(text, response.status);
    });
  }
}

function parseJson<T>(text: string, status: number): T {
  if (text.trim() === '') {
    return undefined as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    // A 2xx that is not JSON (a captive proxy page): the write may or may not have happened; a re-run finds out.
    throw new ErpError(ErrorKind.Transient, `Cin7 answered HTTP ${status} with a body that is not JSON`, {
      vendorCode: 'INVALID_JSON',
      httpStatus: status,
    });
  }
}

/** @description A record ID Cin7 should have answered; without it, a Transient error (a re-run finds the record). */
export function requireCin7Id(id: string | undefined): string {
  if (id === undefined || id === '') {
    throw new ErpError(ErrorKind.Transient, 'Cin7 answered without a record ID', { vendorCode: 'MISSING_ID' });
  }
  return id;
}
