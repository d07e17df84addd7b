import { requireCin7Id, type Cin7Client } from 'src/modules/erp/connectors/cin7/cin7.client';
import { CIN7_MAX_PAGE_SIZE } from 'src/modules/erp/connectors/cin7/cin7.constants';
import {
  aggregateAvailability,
  decodeCursor,
  encodeCursor,
  indexFamilies,
  saleHasShipments,
  toErpItemChange,
  toErpShipments,
  toSalesOrderDocument,
  type Cin7FamilyMembership,
} from 'src/modules/erp/connectors/cin7/cin7.delta-mappers';
import { toCin7Date } from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type {
  Cin7AvailabilityResponse,
  Cin7AvailabilityRow,
  Cin7ProductFamilyListResponse,
  Cin7ProductListResponse,
  Cin7Sale,
  Cin7SaleListEntry,
  Cin7SaleListResponse,
} from 'src/modules/erp/connectors/cin7/cin7.types';
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
 * @description The delta reads of one Cin7 Core account: products, availability and shipped sales, one page per call
 * (`Page`/`Limit`, with the page number in the cursor). Each call spends one of the 60 calls a minute, so only what
 * a change needs is fetched in full.
 */
export class Cin7DeltaReader implements ErpDeltaReads {
  constructor(
    private readonly client: Cin7Client,
    /** Name of the price tier that is Shopify's selling price; default `PriceTier1`. */
    private readonly sellingPriceTier: string | undefined,
    /** Number (1–10) of the `PriceTierN` that is the compare-at price; undefined = none. */
    private readonly compareAtPriceTier?: number,
  ) {}

  /**
   * `GET /product?ModifiedSince=` pages (IncludeDeprecated, so that deactivations are seen). Cin7 does not document
   * the order of this list, so each page is sorted by LastModifiedOn here; the watermark is only advanced after a
   * completed read, so records across pages need no order. Family membership comes from `GET /productFamily`,
   * read only for pages that have products.
   */
  async readItemChanges(query: ErpDeltaQuery): Promise<ErpChangePage<ErpItemChange>> {
    const cursor = decodeCursor(query.cursor);
    const limit = clampPageSize(query.pageSize);
    const answer = await this.client.get<Cin7ProductListResponse>('product.list', 'product', {
      Page: cursor.page,
      Limit: limit,
      ModifiedSince: query.since === undefined ? undefined : toCin7Date(query.since),
      IncludeDeprecated: true,
    });
    const products = answer.Products ?? [];
    const families = products.length === 0 ? new Map<string, Cin7FamilyMembership>() : await this.readFamilies();
    const records = products
      .map((product) => toErpItemChange(product, families, this.sellingPriceTier, this.compareAtPriceTier))
      .filter((record): record is ErpItemChange => record !== undefined)
      .sort((a, b) => a.lastModified.localeCompare(b.lastModified) || a.erpItemId.localeCompare(b.erpItemId));
    return { records, ...nextPage(cursor.page, limit, products.length, answer.Total) };
  }

  /**
   * Cin7 cannot filter availability by modification time, so every row is returned (`since` is ignored) and the
   * change reader keeps only the differences. Rows are per product × location × batch/bin and summed per location;
   * the rows of the product at the end of a page are carried in the cursor to the next page, so that a product
   * whose batches straddle a page boundary is still summed whole.
   */
  async readInventoryLevels(query: ErpDeltaQuery): Promise<ErpChangePage<ErpInventoryLevel>> {
    const cursor = decodeCursor(query.cursor);
    const limit = clampPageSize(query.pageSize);
    const answer = await this.client.get<Cin7AvailabilityResponse>('stock.list', 'ref/productavailability', {
      Page: cursor.page,
      Limit: limit,
    });
    const fetched = answer.ProductAvailabilityList ?? [];
    const rows: Cin7AvailabilityRow[] = [...(cursor.carry ?? []), ...fetched];
    const next = nextPage(cursor.page, limit, fetched.length, answer.Total);
    if (next.nextCursor === undefined) {
      return { records: aggregateAvailability(rows) };
    }
    const lastId = rows[rows.length - 1]?.ID;
    let split = rows.length;
    while (split > 0 && rows[split - 1]?.ID === lastId) {
      split--;
    }
    return {
      records: aggregateAvailability(rows.slice(0, split)),
      nextCursor: encodeCursor({ page: cursor.page + 1, carry: rows.slice(split) }),
    };
  }

  /**
   * `GET /saleList?UpdatedSince=` pages; only Shopify sales the list shows as shipped (CombinedShippingStatus /
   * CombinedTrackingNumbers) are fetched in full with `GET /sale?ID=`, since each costs one of the 60 calls a
   * minute. Sorted by the sale's `Updated` here, as for items.
   */
  async readShipments(query: ErpDeltaQuery): Promise<ErpChangePage<ErpShipment>> {
    const cursor = decodeCursor(query.cursor);
    const limit = clampPageSize(query.pageSize);
    const answer = await this.client.get<Cin7SaleListResponse>('sale.list', 'saleList', {
      Page: cursor.page,
      Limit: limit,
      UpdatedSince: query.since === undefined ? undefined : toCin7Date(query.since),
    });
    const entries = answer.SaleList ?? [];
    const shipped = entries.filter(saleHasShipments);
    const sales = await Promise.all(
      shipped.map(async (entry) => ({
        entry,
        sale: await this.client.get<Cin7Sale>('sale.get', 'sale', { ID: requireCin7Id(entry.SaleID) }),
      })),
    );
    const records = sales
      .flatMap(({ entry, sale }) => toErpShipments(entry, sale))
      .sort((a, b) => a.lastModified.localeCompare(b.lastModified) || a.erpShipmentId.localeCompare(b.erpShipmentId));
    return { records, ...nextPage(cursor.page, limit, entries.length, answer.Total) };
  }

  /** Every product family (paged), as product id → membership. */
  private async readFamilies(): Promise<Map<string, Cin7FamilyMembership>> {
    const families: NonNullable<Cin7ProductFamilyListResponse['ProductFamilies']> = [];
    for (let page = 1; ; page++) {
      const answer = await this.client.get<Cin7ProductFamilyListResponse>('productFamily.list', 'productFamily', {
        Page: page,
        Limit: CIN7_MAX_PAGE_SIZE,
      });
      const batch = answer.ProductFamilies ?? [];
      families.push(...batch);
      if (nextPage(page, CIN7_MAX_PAGE_SIZE, batch.length, answer.Total).nextCursor === undefined) {
        return indexFamilies(families);
      }
    }
  }

  /**
   * `GET /saleList?CreatedSince=` (a day before the window, for clock skew), every page of CIN7_MAX_PAGE_SIZE; the
   * sales whose `ExternalID` is one of the orders and that are not voided are then read with `GET /sale?ID=` for the
   * order total and currency (the list carries neither), one call each of the 60 a minute.
   */
  async listSalesOrders(query: ErpSalesOrderQuery): Promise<ErpSalesOrderDocument[]> {
    if (query.orders.length === 0) {
      return [];
    }
    const wanted = new Set(query.orders.map((order) => order.externalId));
    const createdSince = toCin7Date(new Date(Date.parse(query.from) - 86_400_000).toISOString());
    const matches: Cin7SaleListEntry[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.client.get<Cin7SaleListResponse>('sale.list', 'saleList', {
        Page: page,
        Limit: CIN7_MAX_PAGE_SIZE,
        CreatedSince: createdSince,
      });
      const entries = answer.SaleList ?? [];
      matches.push(
        ...entries.filter(
          (entry) =>
            entry.SaleID !== undefined &&
            entry.ExternalID !== undefined &&
            entry.ExternalID !== null &&
            wanted.has(entry.ExternalID) &&
            entry.Status !== 'VOIDED',
        ),
      );
      if (entries.length < CIN7_MAX_PAGE_SIZE || page * CIN7_MAX_PAGE_SIZE >= (answer.Total ?? 0)) {
        break;
      }
    }
    const documents: ErpSalesOrderDocument[] = [];
    for (const entry of matches) {
      const sale = await this.client.get<Cin7Sale>('sale.get', 'sale', { ID: requireCin7Id(entry.SaleID) });
      documents.push(toSalesOrderDocument(entry, sale));
    }
    return documents;
  }
}

function clampPageSize(pageSize: number): number {
  return Math.min(CIN7_MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize) || 1));
}

/** The next page's cursor when Cin7's `Total` (or a full page, when Total is missing) says there is more. */
function nextPage(page: number, limit: number, received: number, total: number | undefined): { nextCursor?: string } {
  const more = total === undefined ? received >= limit : page * limit < total && received > 0;
  return more ? { nextCursor: encodeCursor({ page: page + 1 }) } : {};
}
