import { ErrorKind } from 'src/common/errors/app-error';
import type { BusinessCentralClient } from 'src/modules/erp/connectors/business-central/business-central.client';
import {
  bcDate,
  eqFilter,
  queryString,
  type BcLineBody,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type {
  BcCollection,
  BcSalesCreditMemo,
  BcSalesOrder,
} from 'src/modules/erp/connectors/business-central/business-central.types';
import type { ItemIdResolver } from 'src/modules/erp/connectors/shared/item-id-resolver';
import type { ErpConnectorContext, ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';

/**
 * @description The sales credit memos the connector writes: a refund's (`SR-<refund id>`) and a return's draft
 * (`RMA-<return id>`), each created once for the customer of the order it belongs to.
 */
export class BusinessCentralCreditMemos {
  constructor(
    private readonly client: BusinessCentralClient,
    private readonly companyUrl: string,
    private readonly items: ItemIdResolver,
    private readonly locks: ErpConnectorContext['locks'],
  ) {}

  /**
   * The credit memo with this externalDocumentNumber, created (deep insert with its lines) for the order's customer
   * when Business Central has none, under a lock on the number: so never made twice.
   */
  once(
    documentNumber: string,
    orderExternalId: string,
    memo: {
      date: string;
      skus: string[];
      lines: (itemIds: ReadonlyMap<string, string>) => BcLineBody[];
      withCurrency: boolean;
    },
  ): Promise<{ erpId: string; customerId?: string }> {
    return this.locks.withLock(`business-central:salesCreditMemo:${documentNumber}`, async (lease) => {
      const [found] = await this.list<BcSalesCreditMemo>(
        'salesCreditMemos.find',
        'salesCreditMemos',
        { $filter: eqFilter('externalDocumentNumber', documentNumber), $top: '1' },
        lease,
      );
      if (found !== undefined) {
        return { erpId: found.id, customerId: found.customerId };
      }
      const source = await this.findOrderParty(orderExternalId, lease);
      return this.items.withItemIds(memo.skus, async (itemIds) => {
        const created = await this.client.call<BcSalesCreditMemo>(
          'salesCreditMemos.create',
          'POST',
          `${this.companyUrl}/salesCreditMemos`,
          {
            body: {
              externalDocumentNumber: documentNumber,
              creditMemoDate: bcDate(memo.date),
              customerId: source.customerId,
              ...(memo.withCurrency && source.currencyCode ? { currencyCode: source.currencyCode } : {}),
              salesCreditMemoLines: memo.lines(itemIds),
            },
            lease,
          },
        );
        return { erpId: created.id, customerId: source.customerId };
      });
    });
  }

  /** The customer and currency of the order a refund belongs to: the open order, else its posted invoice. */
  private async findOrderParty(
    orderExternalId: string,
    lease: ErpLockLease,
  ): Promise<{ customerId: string; currencyCode?: string }> {
    const params = {
      $filter: eqFilter('externalDocumentNumber', orderExternalId),
      $top: '1',
      $select: 'id,customerId,currencyCode',
    };
    const [order] = await this.list<BcSalesOrder>('salesOrders.find', 'salesOrders', params, lease);
    const source = order ?? (await this.list<BcSalesOrder>('salesInvoices.find', 'salesInvoices', params, lease))[0];
    if (source === undefined) {
      throw new ErpError(
        ErrorKind.Permanent,
        `No Business Central sales order or invoice has externalDocumentNumber '${orderExternalId}' to credit`,
        { vendorCode: 'ORDER_NOT_FOUND' },
      );
    }
    return { customerId: source.customerId, currencyCode: source.currencyCode };
  }

  private async list<T>(
    operation: string,
    entitySet: string,
    params: Record<string, string>,
    lease: ErpLockLease,
  ): Promise<T[]> {
    const page = await this.client.call<BcCollection<T>>(
      operation,
      'GET',
      `${this.companyUrl}/${entitySet}${queryString(params)}`,
      { lease },
    );
    return page.value;
  }
}
