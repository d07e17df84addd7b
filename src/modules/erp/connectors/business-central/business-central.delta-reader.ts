import { ErrorKind } from 'src/common/errors/app-error';
import type { BusinessCentralClient } from 'src/modules/erp/connectors/business-central/business-central.client';
import {
  BC_DEFAULT_CARRIER_FIELD,
  BC_DEFAULT_INVENTORY_LOCATION_CODE,
  BC_DEFAULT_TRACKING_NUMBER_FIELD,
  BC_DEFAULT_VARIANT_SKU_SEPARATOR,
  BC_FILTER_MAX_ENCODED_CHARS,
  BUSINESS_CENTRAL_MAX_PAGE_SIZE,
} from 'src/modules/erp/connectors/business-central/business-central.constants';
import {
  byModified,
  salesOrderListFilters,
  toInventoryLevel,
  toItemChanges,
  toSalesOrderDocument,
  toShipment,
} from 'src/modules/erp/connectors/business-central/business-central.delta-mappers';
import { queryString } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type {
  BcCollection,
  BcItem,
  BcSalesOrder,
  BcSalesShipment,
  BusinessCentralConnectorOptions,
} from 'src/modules/erp/connectors/business-central/business-central.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpDeltaReads } from 'src/modules/erp/port/erp.port';
import type {
  ErpChangePage,
  ErpDeltaQuery,
  ErpInventoryLevel,
  ErpItemChange,
  ErpSalesOrderDocument,
  ErpSalesOrderQuery,
  ErpShipment,
} from 'src/modules/erp/port/erp.types';

/**
 * @description The delta reads of one Business Central company: items (with variants), stock and sales shipments,
 * one page per call, paged by `Prefer: odata.maxpagesize` and `@odata.nextLink` (the cursor). Each page is also
 * sorted here, so the order holds even where BC ignores `$orderby`.
 */
export class BusinessCentralDeltaReader implements ErpDeltaReads {
  constructor(
    private readonly client: BusinessCentralClient,
    /** `…/api/v2.0/companies({companyId})` */
    private readonly companyUrl: string,
    private readonly options: Pick<
      BusinessCentralConnectorOptions,
      'variantSkuSeparator' | 'inventoryLocationCode' | 'trackingNumberField' | 'carrierField' | 'localCurrencyCode'
    >,
  ) {}

  /** `items?$filter=lastModifiedDateTime ge <since>&$orderby=lastModifiedDateTime,id&$expand=itemVariants`. */
  async readItemChanges(query: ErpDeltaQuery): Promise<ErpChangePage<ErpItemChange>> {
    const page = await this.page<BcItem>('items.changes', query, 'items', {
      ...sinceFilter(query.since),
      $orderby: 'lastModifiedDateTime,id',
      $expand: 'itemVariants',
    });
    const separator = this.options.variantSkuSeparator ?? BC_DEFAULT_VARIANT_SKU_SEPARATOR;
    return {
      records: page.value.sort(byModified).flatMap((item) => toItemChanges(item, separator)),
      nextCursor: page['@odata.nextLink'],
    };
  }

  /**
   * Standard v2.0 exposes stock only as `items.inventory`, summed over every location, and a stock change does not
   * touch the item's `lastModifiedDateTime`: every item is read (the change reader keeps the differences) and
   * reported at one configurable location code (default `ALL`). Per-location stock needs a custom API page.
   */
  async readInventoryLevels(query: ErpDeltaQuery): Promise<ErpChangePage<ErpInventoryLevel>> {
    const page = await this.page<BcItem>('items.inventory', query, 'items', {
      $select: 'id,number,inventory,lastModifiedDateTime',
      $orderby: 'number',
    });
    const location = this.options.inventoryLocationCode ?? BC_DEFAULT_INVENTORY_LOCATION_CODE;
    return {
      records: page.value.map((item) => toInventoryLevel(item, location)),
      nextCursor: page['@odata.nextLink'],
    };
  }

  /** `salesShipments` with their lines, modified at or after `since`; the order is their `externalDocumentNumber`. */
  async readShipments(query: ErpDeltaQuery): Promise<ErpChangePage<ErpShipment>> {
    const page = await this.page<BcSalesShipment>('salesShipments.changes', query, 'salesShipments', {
      ...sinceFilter(query.since),
      $orderby: 'lastModifiedDateTime,id',
      $expand: 'salesShipmentLines',
    });
    const fields = {
      trackingNumberField: this.options.trackingNumberField ?? BC_DEFAULT_TRACKING_NUMBER_FIELD,
      carrierField: this.options.carrierField ?? BC_DEFAULT_CARRIER_FIELD,
    };
    return {
      records: page.value
        .sort(byModified)
        .map((shipment) => toShipment(shipment, fields))
        .filter((shipment): shipment is ErpShipment => shipment !== undefined),
      nextCursor: page['@odata.nextLink'],
    };
  }

  /**
   * `GET …/salesOrders?$filter=(externalDocumentNumber eq … or …) and orderDate ge … and orderDate le …` with
   * `$select`, one request per batch of ids that fits the filter length, each followed through `@odata.nextLink`.
   */
  async listSalesOrders(query: ErpSalesOrderQuery): Promise<ErpSalesOrderDocument[]> {
    if (query.orders.length === 0) {
      return [];
    }
    const wanted = new Map(query.orders.map((order) => [order.externalId.toLowerCase(), order.externalId]));
    const documents: ErpSalesOrderDocument[] = [];
    for (const filter of salesOrderListFilters(query, BC_FILTER_MAX_ENCODED_CHARS)) {
      let url: string | undefined =
        `${this.companyUrl}/salesOrders` +
        queryString({
          $filter: filter,
          $select: 'id,number,externalDocumentNumber,orderDate,currencyCode,totalAmountIncludingTax,status',
        });
      while (url !== undefined) {
        const page: BcCollection<BcSalesOrder> = await this.client.call<BcCollection<BcSalesOrder>>(
          'salesOrders.list',
          'GET',
          url,
          { maxPageSize: BUSINESS_CENTRAL_MAX_PAGE_SIZE },
        );
        for (const order of page.value) {
          const document = toSalesOrderDocument(order, wanted, this.options.localCurrencyCode);
          if (document !== undefined) {
            documents.push(document);
          }
        }
        url = page['@odata.nextLink'];
        if (url !== undefined && new URL(url).origin !== new URL(this.companyUrl).origin) {
          // Our bearer token goes with the next request: only to this API.
          throw new ErpError(ErrorKind.Transient, 'Business Central answered a nextLink to another host', {
            vendorCode: 'INVALID_NEXT_LINK',
          });
        }
      }
    }
    return documents;
  }

  /** One page of a delta read: the cursor (a nextLink of this API) or the first page's URL. */
  private page<T>(
    operation: string,
    query: ErpDeltaQuery,
    entitySet: string,
    params: Record<string, string>,
  ): Promise<BcCollection<T>> {
    const url =
      query.cursor !== undefined
        ? this.checkCursor(query.cursor)
        : `${this.companyUrl}/${entitySet}${queryString(params)}`;
    const maxPageSize = Math.max(1, Math.min(BUSINESS_CENTRAL_MAX_PAGE_SIZE, Math.floor(query.pageSize)));
    return this.client.call<BcCollection<T>>(operation, 'GET', url, { maxPageSize });
  }

  /** A cursor is sent with our bearer token, so it must point at this API and nowhere else. */
  private checkCursor(cursor: string): string {
    let url: URL;
    try {
      url = new URL(cursor);
    } catch {
      throw new ErpError(ErrorKind.Permanent, 'The delta cursor is not a Business Central nextLink', {
        vendorCode: 'INVALID_CURSOR',
      });
    }
    if (url.origin !== new URL(this.companyUrl).origin) {
      throw new ErpError(ErrorKind.Permanent, `The delta cursor points at another host (${url.origin})`, {
        vendorCode: 'INVALID_CURSOR',
      });
    }
    return cursor;
  }
}

function sinceFilter(since: string | undefined): Record<string, string> {
  if (since === undefined) {
    return {};
  }
  const at = Date.parse(since);
  if (Number.isNaN(at)) {
    throw new ErpError(ErrorKind.Permanent, `The delta watermark '${since}' is not an ISO 8601 date-time`, {
      vendorCode: 'INVALID_WATERMARK',
    });
  }
  return { $filter: `lastModifiedDateTime ge ${new Date(at).toISOString()}` };
}
