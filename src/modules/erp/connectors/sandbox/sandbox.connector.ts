import { Injectable } from '@nestjs/common';
import { ErrorKind } from 'src/common/errors/app-error';
import { classifySandboxError } from 'src/modules/erp/connectors/sandbox/sandbox.errors';
import {
  parseLocationId,
  toSandboxCustomer,
  toSandboxSalesOrder,
} from 'src/modules/erp/connectors/sandbox/sandbox.mappers';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpPort } from 'src/modules/erp/port/erp.port';
import type {
  ErpCustomerDraft,
  ErpRecordRef,
  ErpSalesOrderDraft,
  ErpSalesOrderStatus,
} from 'src/modules/erp/port/erp.types';

/** @description How to reach the sandbox ERP. */
export interface SandboxErpConnectorOptions {
  /** Root URL of the sandbox ERP server, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** Each request (answer included) is aborted after this long and reported as a Transient failure. */
  requestTimeoutMs: number;
  /** Sent as `Authorization: Bearer <authToken>` when the sandbox is started with a token. */
  authToken?: string;
}

const RECORD_API_PATH = '/services/rest/record/v1';

/**
 * @description The connector for the built-in **sandbox ERP**, a simulated ERP (see `SandboxErpServer`) that
 * behaves like NetSuite's REST record API under load. It is for the demo, local development and tests; it talks
 * to no real ERP. Writes are `PUT …/eid:{externalId}` upserts, so a redelivered message updates the same record
 * instead of creating a second one. Every failure is thrown as an `ErpError` classified by `classifySandboxError`.
 */
@Injectable()
export class SandboxErpConnector implements ErpPort {
  readonly name = 'sandbox';
  readonly defaultLimits = { maxConcurrency: 5 };
  private readonly baseUrl: string;

  constructor(private readonly options: SandboxErpConnectorOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef> {
    return this.upsert('customer', draft.externalId, toSandboxCustomer(draft));
  }

  upsertSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpRecordRef> {
    return this.putSalesOrder(draft, customer, 'open');
  }

  /** The upsert creates the order already cancelled when the cancel overtook its create. */
  cancelSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpRecordRef> {
    return this.putSalesOrder(draft, customer, 'cancelled');
  }

  async checkConnection(): Promise<void> {
    await this.request('GET', `${RECORD_API_PATH}/metadata-catalog`);
  }

  private putSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    status: ErpSalesOrderStatus,
  ): Promise<ErpRecordRef> {
    return this.upsert('salesOrder', draft.externalId, toSandboxSalesOrder({ ...draft, status }, customer));
  }

  private async upsert(type: 'customer' | 'salesOrder', externalId: string, body: object): Promise<ErpRecordRef> {
    const path = `${RECORD_API_PATH}/${type}/eid:${encodeURIComponent(externalId)}`;
    const { status, location } = await this.request('PUT', path, JSON.stringify(body));
    const erpId = parseLocationId(location);
    if (erpId === undefined) {
      // The write may well have committed; the upsert is idempotent, so retrying is how we learn its id.
      throw new ErpError(ErrorKind.Transient, `Sandbox ERP answered ${status} without a record Location`, {
        vendorCode: 'MISSING_LOCATION',
        httpStatus: status,
      });
    }
    return { erpId, externalId };
  }

  /** Sends one request and reads its answer to the end; a non-2xx answer or a network failure is thrown classified. */
  private async request(
    method: 'GET' | 'PUT',
    path: string,
    body?: string,
  ): Promise<{ status: number; location: string | null }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (this.options.authToken !== undefined) {
      headers.Authorization = `Bearer ${this.options.authToken}`;
    }
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      // Read the body to the end either way: it frees the keep-alive connection, and errors need it.
      const text = await response.text();
      if (!response.ok) {
        throw classifySandboxError({ status: response.status, body: text, headers: response.headers });
      }
      return { status: response.status, location: response.headers.get('location') };
    } catch (error) {
      if (error instanceof ErpError) {
        throw error;
      }
      throw classifySandboxError({ cause: error });
    }
  }
}
