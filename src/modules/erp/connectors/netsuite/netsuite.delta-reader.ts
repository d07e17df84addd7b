import type { NetsuiteClient } from 'src/modules/erp/connectors/netsuite/netsuite.client';
import type { NetsuiteConnectorOptions } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import {
  NETSUITE_BASE_PRICE_LEVEL_ID,
  NETSUITE_SUITEQL_MAX_ROWS,
} from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import {
  toInventoryLevel,
  toItemChange,
  toSalesOrderDocuments,
  toShipments,
} from 'src/modules/erp/connectors/netsuite/netsuite.delta-mappers';
import {
  inventoryLevelsQuery,
  itemChangesQuery,
  NETSUITE_SALES_ORDER_LIST_BATCH,
  nextSuiteQlCursor,
  planSuiteQlPage,
  salesOrdersQuery,
  shipmentHeadersQuery,
  shipmentLinesQuery,
  shipmentPackagesQuery,
  type SuiteQlPage,
} from 'src/modules/erp/connectors/netsuite/netsuite.suiteql';
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

/** Conservative default session zone: a wall time in UTC−12 is never later than the same instant anywhere. */
const SAFE_DEFAULT_TIME_ZONE = 'Etc/GMT+12';

/**
 * @description The delta reads of one NetSuite account: SuiteQL queries on `lastmodifieddate`, paged with
 * limit/offset (the cursor carries the page and, past NetSuite's row cap, a new `since`).
 */
export class NetsuiteDeltaReader implements ErpDeltaReads {
  private readonly timeZone: string;

  constructor(
    private readonly client: NetsuiteClient,
    private readonly options: Pick<
      NetsuiteConnectorOptions,
      'timeZone' | 'priceLevelId' | 'priceCurrencyId' | 'compareAtPriceLevelId' | 'suiteQlMaxRows' | 'currencyIds'
    >,
  ) {
    this.timeZone = options.timeZone ?? SAFE_DEFAULT_TIME_ZONE;
  }

  async readItemChanges(query: ErpDeltaQuery): Promise<ErpChangePage<ErpItemChange>> {
    const page = planSuiteQlPage(query);
    const sql = itemChangesQuery({
      since: page.since,
      timeZone: this.timeZone,
      priceLevelId: this.options.priceLevelId ?? NETSUITE_BASE_PRICE_LEVEL_ID,
      priceCurrencyId: this.options.priceCurrencyId,
      compareAtPriceLevelId: this.options.compareAtPriceLevelId,
    });
    const result = await this.client.suiteQl('readItemChanges', sql, page);
    const records = result.items.map((row) => toItemChange(row, this.timeZone));
    return this.changePage(records, page, result.hasMore, records[records.length - 1]?.lastModified);
  }

  async readInventoryLevels(query: ErpDeltaQuery): Promise<ErpChangePage<ErpInventoryLevel>> {
    const page = planSuiteQlPage(query);
    const sql = inventoryLevelsQuery({ since: page.since, timeZone: this.timeZone });
    const result = await this.client.suiteQl('readInventoryLevels', sql, page);
    const records = result.items.map((row) => toInventoryLevel(row, this.timeZone));
    return this.changePage(records, page, result.hasMore, records[records.length - 1]?.lastModified);
  }

  async readShipments(query: ErpDeltaQuery): Promise<ErpChangePage<ErpShipment>> {
    const page = planSuiteQlPage(query);
    const sql = shipmentHeadersQuery({ since: page.since, timeZone: this.timeZone });
    const headers = await this.client.suiteQl('readShipments', sql, page);
    const ids = headers.items.map((row) => String(row.id));
    const [lines, packages] =
      ids.length === 0
        ? [[], []]
        : await Promise.all([
            this.client.suiteQlAll('readShipmentLines', shipmentLinesQuery(ids)),
            this.client.suiteQlAll('readShipmentPackages', shipmentPackagesQuery(ids)),
          ]);
    const records = toShipments(headers.items, lines, packages, this.timeZone);
    return this.changePage(records, page, headers.hasMore, records[records.length - 1]?.lastModified);
  }

  private changePage<T>(
    records: T[],
    page: SuiteQlPage,
    hasMore: boolean,
    lastModified: string | undefined,
  ): ErpChangePage<T> {
    const nextCursor = nextSuiteQlCursor(
      page,
      hasMore,
      lastModified,
      this.options.suiteQlMaxRows ?? NETSUITE_SUITEQL_MAX_ROWS,
    );
    return nextCursor === undefined ? { records } : { records, nextCursor };
  }

  /**
   * The sales orders of these Shopify orders (see salesOrdersQuery), NETSUITE_SALES_ORDER_LIST_BATCH orders per
   * statement, each statement read page by page (`limit` 1000, `offset`, until `hasMore` is false).
   */
  async listSalesOrders(query: ErpSalesOrderQuery): Promise<ErpSalesOrderDocument[]> {
    const currencyCodes = new Map(Object.entries(this.options.currencyIds ?? {}).map(([code, id]) => [id, code]));
    const documents: ErpSalesOrderDocument[] = [];
    for (let start = 0; start < query.orders.length; start += NETSUITE_SALES_ORDER_LIST_BATCH) {
      const orders = query.orders.slice(start, start + NETSUITE_SALES_ORDER_LIST_BATCH);
      const sql = salesOrdersQuery({
        externalIds: orders.map((order) => order.externalId),
        references: [...new Set(orders.map((order) => order.reference).filter((reference) => reference !== ''))],
        from: query.from,
        to: query.to,
        timeZone: this.timeZone,
      });
      const rows = await this.client.suiteQlAll('listSalesOrders', sql);
      documents.push(...toSalesOrderDocuments(rows, { ...query, orders }, (id) => currencyCodes.get(id)));
    }
    return documents;
  }
}
