import { ErrorKind } from 'src/common/errors/app-error';
import type { NetsuiteAuthorizer } from 'src/modules/erp/connectors/netsuite/netsuite.auth';
import {
  NETSUITE_SUITEQL_MAX_LIMIT,
  NETSUITE_SUITEQL_MAX_ROWS,
  NETSUITE_SUITEQL_PATH,
} from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { parseSuiteQlResult, type SuiteQlResult } from 'src/modules/erp/connectors/netsuite/netsuite.delta-mappers';
import { classifyNetsuiteError } from 'src/modules/erp/connectors/netsuite/netsuite.errors';
import { parseLocationId } from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import { exchange } from 'src/modules/erp/connectors/shared/http-exchange';
import type { ErpRequestGate } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** @description A successful answer of the record API: its status, `Location` header and JSON body (if any). */
export interface NetsuiteAnswer {
  status: number;
  location: string | null;
  json: unknown;
}

export interface NetsuiteCallOptions {
  body?: unknown;
  suiteQl?: boolean;
  /** Answer undefined instead of throwing on 404 (a lookup). */
  allowNotFound?: boolean;
}

/**
 * @description NetSuite's REST web services for one account: each request goes through the shared gate, is signed
 * per attempt, read to the end and, when it fails, thrown as an `ErpError` classified by `classifyNetsuiteError`.
 * The connector decides what to send; this knows how.
 */
export class NetsuiteClient {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: NetsuiteAuthorizer,
    private readonly gate: ErpRequestGate,
    private readonly requestTimeoutMs: number,
  ) {}

  /** One request through the shared gate. A token is fetched before the gate, so no permit waits on it. */
  async call(
    operation: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    pathAndQuery: string,
    options: NetsuiteCallOptions = {},
  ): Promise<NetsuiteAnswer | undefined> {
    await this.auth.prepare();
    return this.gate.request(operation, () => this.send(method, `${this.baseUrl}${pathAndQuery}`, options));
  }

  /** One page of a SuiteQL query. */
  async suiteQl(operation: string, q: string, page: { limit: number; offset: number }): Promise<SuiteQlResult> {
    const answer = await this.call(
      operation,
      'POST',
      `${NETSUITE_SUITEQL_PATH}?limit=${page.limit}&offset=${page.offset}`,
      { body: { q }, suiteQl: true },
    );
    return parseSuiteQlResult(answer?.json);
  }

  /** Every row of a small query (lines, packages, SKU lookups), page by page. */
  async suiteQlAll(operation: string, q: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    for (let offset = 0; offset < NETSUITE_SUITEQL_MAX_ROWS; offset += NETSUITE_SUITEQL_MAX_LIMIT) {
      const result = await this.suiteQl(operation, q, { limit: NETSUITE_SUITEQL_MAX_LIMIT, offset });
      rows.push(...result.items);
      if (!result.hasMore) {
        break;
      }
    }
    return rows;
  }

  /**
   * Sends once and reads the answer to the end. Signed per attempt (the gate re-sends throttled requests, and TBA
   * refuses a reused nonce). A 401 on a cached OAuth 2.0 token gets one retry with a fresh token.
   */
  private async send(
    method: string,
    url: string,
    options: NetsuiteCallOptions,
    retried = false,
  ): Promise<NetsuiteAnswer | undefined> {
    const authorization = await this.auth.authorize(method, url);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: authorization.header };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.suiteQl === true) {
      headers.Prefer = 'transient';
    }
    const { response, text } = await exchange(
      url,
      { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
      this.requestTimeoutMs,
      (cause) => classifyNetsuiteError({ cause }),
    );
    if (response.status === 401 && authorization.fromCache && !retried) {
      this.auth.invalidate();
      return this.send(method, url, options, true);
    }
    if (!response.ok) {
      const error = classifyNetsuiteError({
        status: response.status,
        body: text,
        headers: response.headers,
        request: { method, url },
      });
      // A lookup's 404 is "no such record"; a 404 that says the base URL is wrong must not pass for one.
      if (response.status === 404 && options.allowNotFound === true && error.kind !== ErrorKind.Configuration) {
        return undefined;
      }
      throw error;
    }
    return { status: response.status, location: response.headers.get('location'), json: parseJson(text) };
  }
}

/**
 * @description The internal id of the record an upsert wrote, from the answer's `Location`. Without one the write may
 * well have committed; the upsert is idempotent, so a Transient error (a retry) is how we learn its id. `service`
 * names the other side (the sandbox ERP answers the same way).
 */
export function requireLocationId(
  answer: Pick<NetsuiteAnswer, 'status' | 'location'> | undefined,
  service = 'NetSuite',
): string {
  const erpId = parseLocationId(answer?.location ?? null);
  if (erpId === undefined) {
    throw new ErpError(
      ErrorKind.Transient,
      `${service} answered ${answer?.status ?? 'nothing'} without a record Location`,
      {
        vendorCode: 'MISSING_LOCATION',
        httpStatus: answer?.status,
      },
    );
  }
  return erpId;
}

/** @description The internal id of a record read: its `id`, else the end of its `self` link. */
export function readRecordId(record: unknown): string | undefined {
  const value = record as { id?: unknown; links?: Array<{ rel?: unknown; href?: unknown }> } | undefined;
  if (typeof value?.id === 'string' || typeof value?.id === 'number') {
    return String(value.id);
  }
  const self = value?.links?.find((link) => link.rel === 'self')?.href;
  return typeof self === 'string' ? parseLocationId(self) : undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
