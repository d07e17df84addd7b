import { randomUUID } from 'node:crypto';
import type { Cin7Credentials } from 'src/modules/erp/connectors/cin7/cin7.auth';
import type { Cin7ConnectorOptions } from 'src/modules/erp/connectors/cin7/cin7.connector';
import type {
  Cin7AvailabilityRow,
  Cin7CreditNote,
  Cin7Customer,
  Cin7Fulfilment,
  Cin7Product,
  Cin7ProductFamily,
  Cin7Sale,
  Cin7SaleHeader,
  Cin7SaleLine,
  Cin7SaleListEntry,
  Cin7SaleOrder,
  Cin7SalePayment,
} from 'src/modules/erp/connectors/cin7/cin7.types';
import {
  ErpSimulatorServer,
  type SimContext,
  type SimRequest,
  type SimResponse,
  type SimulatedCustomerView,
  type SimulatedErpVendor,
  type SimulatedOrderView,
  type SimulatorConfigPatch,
} from 'test/simulators/common/erp-simulator';
import {
  SIM_COMPARE_AT_PRICE_TIER,
  type SimItem,
  type SimShipment,
  type SimulatedCatalog,
  type SimWeightUnit,
} from 'test/simulators/common/simulated-catalog';

/** API root path of Cin7 Core v2 (matched case-insensitively, as Cin7's IIS front end does). */
export const CIN7_SIM_API_PATH = '/ExternalApi/v2';

/** Account-specific names the simulated account knows (they go into the connector options). */
export const CIN7_SIM_ACCOUNT = {
  location: 'Main warehouse',
  taxRule: 'Tax on Sales',
  paymentTerm: '30 days',
  accountReceivable: '610',
  revenueAccount: '200',
} as const;

/** The account's payment terms (`GET /ref/paymentterm` names); a sale's or customer's `Terms` must be one of them. */
export const CIN7_SIM_PAYMENT_TERMS: readonly string[] = ['30 days', '60 days', '15 days', 'COD'];

const RATE_LIMIT_MESSAGE = 'You reached 60 calls per minute API limit';
const MAX_LIMIT = 1000;

export interface Cin7SimulatedVendorOptions {
  credentials: Cin7Credentials;
  /** Status of the throttle answer: 503 as Cin7 documents, or 429 as some accounts report. Default 503. */
  throttleStatus?: 503 | 429;
  /** Availability rows per stock level (batches), to exercise summing; default 1. */
  batchesPerStockRow?: number;
}

interface SimSale {
  header: Cin7SaleHeader & { ID: string };
  status: string;
  orderNumber: string;
  order: Cin7SaleOrder | null;
  creditNotes: Cin7CreditNote[];
  /** Sale payments (`POST /sale/payment`), oldest first. */
  payments: Cin7SalePayment[];
  /** When the sale was created (Cin7 date), for `CreatedSince`. */
  created: string;
  updated: string;
  writeCount: number;
}

interface SimCustomer {
  record: Cin7Customer & { ID: string };
  writeCount: number;
}

/**
 * @description A **simulation** of the Cin7 Core API v2 for tests, the demo and the bench; it talks to no real Cin7.
 * It serves the endpoints the Cin7 connector uses in Cin7's shapes (`/me`, `/customer`, `/product`,
 * `/productFamily`, `/ref/productavailability`, `/saleList`, `/sale`, `/sale/order`, `/sale/creditnote`), checks the
 * `api-auth-accountid` / `api-auth-applicationkey` headers for real (403 otherwise), validates bodies with Cin7's
 * error array `[{ "ErrorCode": 400, "Exception": "…" }]`, and answers the shared core's throttle with Cin7's
 * documented `503 You reached 60 calls per minute API limit` (or 429, configurable). Like Cin7 it happily creates two
 * sales with the same ExternalID or two customers with the same name: only a correct client avoids duplicates.
 *
 * Catalog items are products (ID = a GUID derived from the catalog id, PriceTier1 = price, AverageCost = cost),
 * items with a `parentSku` form product families, stock levels are availability rows at the location's name, and
 * catalog shipments become fulfilments of the (non-voided) sale whose ExternalID they name. Shipments of orders the
 * simulator has no sale for are not visible, as in Cin7.
 */
export class Cin7SimulatedVendor implements SimulatedErpVendor {
  readonly name = 'cin7';
  private sales = new Map<string, SimSale>();
  /** Sales by ExternalID in creation order (the order of `sales`), so that lookups by reference scan no other sale. */
  private salesByExternalId = new Map<string, SimSale[]>();
  private creditNoteCount = 0;
  private customerRecords = new Map<string, SimCustomer>();
  /** Requests the API answered since the last reset, per `METHOD endpoint` (e.g. `GET customer`, `POST sale`). */
  private tally = new Map<string, number>();
  private familyIds = new Map<string, string>();
  private lastStamp = 0;
  private throttleStatus: 503 | 429;
  private batchesPerStockRow: number;

  constructor(private readonly options: Cin7SimulatedVendorOptions) {
    this.throttleStatus = options.throttleStatus ?? 503;
    this.batchesPerStockRow = Math.max(1, options.batchesPerStockRow ?? 1);
  }

  /** Switches the throttle answer between Cin7's documented 503 and the 429 some accounts see. */
  setThrottleStatus(status: 503 | 429): void {
    this.throttleStatus = status;
  }

  setBatchesPerStockRow(count: number): void {
    this.batchesPerStockRow = Math.max(1, Math.floor(count));
  }

  authenticate(request: SimRequest): SimResponse | undefined {
    const accountId = header(request, 'api-auth-accountid');
    const key = header(request, 'api-auth-applicationkey');
    if (accountId !== this.options.credentials.accountId || key !== this.options.credentials.applicationKey) {
      return this.authFailure();
    }
    return undefined;
  }

  authFailure(): SimResponse {
    return cin7Error(403, 'Method authentication failed: incorrect api-auth-accountid or api-auth-applicationkey');
  }

  throttled(reason: 'concurrency' | 'rate'): SimResponse {
    // Cin7 sends no Retry-After with its limit answer.
    return cin7Error(
      this.throttleStatus,
      reason === 'rate' ? RATE_LIMIT_MESSAGE : `${RATE_LIMIT_MESSAGE} (too many concurrent requests)`,
    );
  }

  unavailable(): SimResponse {
    return {
      status: 503,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
      body: '<html><head><title>Service Unavailable</title></head><body>Cin7 Core is undergoing scheduled maintenance.</body></html>',
    };
  }

  serverError(): SimResponse {
    return cin7Error(500, 'Object reference not set to an instance of an object.');
  }

  isWrite(request: SimRequest): boolean {
    return request.method !== 'GET';
  }

  /** `POST /sale/order` replaces the order of an existing sale; every other POST creates a record. */
  isCreate(request: SimRequest): boolean {
    return request.method === 'POST' && !/\/sale\/order\/?$/i.test(request.url.pathname);
  }

  reset(): void {
    this.tally = new Map();
    this.sales = new Map();
    this.salesByExternalId = new Map();
    this.creditNoteCount = 0;
    this.customerRecords = new Map();
    this.familyIds = new Map();
  }

  /**
   * A customer removed from Cin7 by a user: merged into `into` (the survivor keeps its values and takes the removed
   * customer's where it has none, adds its contacts and addresses, and takes its sales), or deleted. Either way a
   * sale that names the old CustomerID is refused from then on.
   */
  mergeCustomer(internalId: string, into?: string): void {
    const merged = this.customerRecords.get(internalId);
    if (merged === undefined) {
      throw new Error(`no customer ${internalId}`);
    }
    const survivor = into === undefined ? undefined : this.customerRecords.get(into);
    if (into !== undefined && survivor === undefined) {
      throw new Error(`no customer ${into}`);
    }
    this.customerRecords.delete(internalId);
    if (survivor === undefined) {
      return;
    }
    const target = survivor.record as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(merged.record)) {
      const current = target[name];
      const empty =
        current === undefined || current === null || current === '' || (Array.isArray(current) && current.length === 0);
      if (name === 'Contacts' || name === 'Addresses') {
        target[name] = [...(Array.isArray(current) ? current : []), ...(Array.isArray(value) ? value : [])];
      } else if (name !== 'ID' && name !== 'Name' && empty) {
        target[name] = value;
      }
    }
    survivor.record.LastModifiedOn = toCin7Date(this.stamp());
    for (const sale of this.sales.values()) {
      if (sale.header.CustomerID === internalId) {
        sale.header.CustomerID = survivor.record.ID;
      }
    }
  }

  handle(request: SimRequest, context: SimContext): SimResponse {
    const path = request.url.pathname.replace(/\/+$/, '');
    if (!path.toLowerCase().startsWith(CIN7_SIM_API_PATH.toLowerCase() + '/')) {
      return cin7Error(404, `Endpoint ${path} does not exist`);
    }
    const endpoint = path.slice(CIN7_SIM_API_PATH.length + 1).toLowerCase();
    let body: unknown;
    if (request.method === 'POST' || request.method === 'PUT') {
      try {
        body = JSON.parse(request.body.toString('utf8') || 'null');
      } catch {
        return cin7Error(500, 'The object passed to the API could not be parsed');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return cin7Error(400, 'Request body must be a JSON object');
      }
    }
    const record = body as Record<string, unknown>;
    const route = `${request.method} ${endpoint}`;
    this.tally.set(route, (this.tally.get(route) ?? 0) + 1);
    switch (route) {
      case 'GET me':
        return ok({ Company: 'Simulated Cin7 Core account', Currency: 'USD', TimeZone: 'UTC' });
      case 'GET product':
        return this.listProducts(request, context.catalog);
      case 'GET productfamily':
        return this.listFamilies(request, context.catalog);
      case 'GET ref/productavailability':
        return this.listAvailability(request, context.catalog);
      case 'GET customer':
        return this.listCustomers(request);
      case 'POST customer':
        return this.createCustomer(record, context);
      case 'PUT customer':
        return this.updateCustomer(record, context);
      case 'GET salelist':
        return this.listSales(request, context.catalog);
      case 'GET sale':
        return this.getSale(request, context.catalog);
      case 'POST sale':
        return this.createSale(record, context);
      case 'PUT sale':
        return this.updateSale(record, context);
      case 'DELETE sale':
        return this.deleteSale(request, context);
      case 'POST sale/order':
        return this.writeOrder(record, context);
      case 'POST sale/creditnote':
        return this.createCreditNote(record, context);
      case 'GET sale/payment':
        return this.listPayments(request);
      case 'POST sale/payment':
        return this.createPayment(record, context);
      default:
        return KNOWN_ENDPOINTS.has(endpoint)
          ? cin7Error(405, `Method ${request.method} is not allowed on ${endpoint}`)
          : cin7Error(404, `Endpoint ${endpoint} does not exist`);
    }
  }

  orders(): SimulatedOrderView[] {
    return [...this.sales.values()].map((sale) => ({
      externalId: sale.header.ExternalID ?? '',
      internalId: sale.header.ID,
      status: sale.status === 'VOIDED' ? 'cancelled' : 'open',
      sourceUpdatedAt: readUpdatedAt(sale.order?.Memo),
      total: sale.order?.Total === undefined ? null : sale.order.Total.toFixed(2),
      writeCount: sale.writeCount,
      lines: (sale.order?.Lines ?? []).map((line) => ({ sku: line.SKU ?? '', quantity: line.Quantity ?? 0 })),
      // Only for a sale in a foreign currency (one with a rate), so the views of plain sales stay as they were.
      ...(sale.header.CurrencyRate === undefined
        ? {}
        : { currency: sale.header.Currency ?? null, exchangeRate: sale.header.CurrencyRate }),
      ...(sale.header.CustomerReference === undefined ? {} : { purchaseOrderNumber: sale.header.CustomerReference }),
      ...(sale.header.Terms === undefined ? {} : { paymentTerms: sale.header.Terms }),
    }));
  }

  /**
   * The requests that reached the API (past auth, throttling and faults) since the last reset, per `METHOD endpoint`
   * in lower case (`GET customer`, `POST sale`, `POST sale/order`): what a test counts calls per order with.
   */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.tally.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  counts(): { customers: number; salesOrders: number } {
    return { customers: this.customerRecords.size, salesOrders: this.sales.size };
  }

  customers(): SimulatedCustomerView[] {
    return [...this.customerRecords.values()].map(({ record, writeCount }) => {
      const contacts = record.Contacts ?? [];
      const email = (contacts.find((contact) => contact.Default) ?? contacts[0])?.Email ?? null;
      return {
        internalId: record.ID,
        externalId: /\[([^\]]+)\]$/.exec(record.Name ?? '')?.[1] ?? null,
        email,
        writeCount,
        name: record.Name ?? null,
      };
    });
  }

  /** Credit notes of every sale, for tests. */
  creditNotes(): Array<Cin7CreditNote & { SaleID: string }> {
    return [...this.sales.values()].flatMap((sale) =>
      sale.creditNotes.map((note) => ({ ...note, SaleID: sale.header.ID })),
    );
  }

  // ------------------------------------------------------------------------------------------ products and stock

  private listProducts(request: SimRequest, catalog: SimulatedCatalog): SimResponse {
    const id = param(request, 'ID');
    const sku = param(request, 'Sku')?.toLowerCase();
    const name = param(request, 'Name')?.toLowerCase();
    const since = parseSince(param(request, 'ModifiedSince'));
    if (since === null) {
      return cin7Error(400, 'ModifiedSince is not a valid date');
    }
    const includeDeprecated = param(request, 'IncludeDeprecated')?.toLowerCase() === 'true';
    const products = catalog
      .listItems()
      .filter((item) => includeDeprecated || item.active)
      .filter((item) => since === undefined || item.lastModified >= since)
      .map((item) => toProduct(item))
      .filter((product) => id === undefined || product.ID === id)
      .filter((product) => sku === undefined || (product.SKU ?? '').toLowerCase().includes(sku))
      .filter((product) => name === undefined || (product.Name ?? '').toLowerCase().includes(name));
    const paged = page(request, products);
    if ('status' in paged) {
      return paged;
    }
    return ok({ Total: products.length, Page: paged.page, Products: paged.records });
  }

  private listFamilies(request: SimRequest, catalog: SimulatedCatalog): SimResponse {
    const families = new Map<string, SimItem[]>();
    for (const item of catalog.listItems()) {
      if (item.parentSku !== null) {
        families.set(item.parentSku, [...(families.get(item.parentSku) ?? []), item]);
      }
    }
    const list: Cin7ProductFamily[] = [...families.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([parentSku, items]) => {
        const optionNames = [...new Set(items.flatMap((item) => Object.keys(item.options)))].slice(0, 3);
        return {
          ID: this.familyId(parentSku),
          SKU: parentSku,
          Name: catalog.item(parentSku)?.name ?? parentSku,
          Option1Name: optionNames[0] ?? null,
          Option2Name: optionNames[1] ?? null,
          Option3Name: optionNames[2] ?? null,
          Products: items.map((item) => ({
            ID: productGuid(item.internalId),
            SKU: item.sku,
            Name: item.name,
            Option1: optionNames[0] === undefined ? null : (item.options[optionNames[0]] ?? null),
            Option2: optionNames[1] === undefined ? null : (item.options[optionNames[1]] ?? null),
            Option3: optionNames[2] === undefined ? null : (item.options[optionNames[2]] ?? null),
          })),
        };
      });
    const paged = page(request, list);
    if ('status' in paged) {
      return paged;
    }
    return ok({ Total: list.length, Page: paged.page, ProductFamilies: paged.records });
  }

  private listAvailability(request: SimRequest, catalog: SimulatedCatalog): SimResponse {
    const rows: Cin7AvailabilityRow[] = [];
    const levels = [...catalog.listStock()].sort(
      (a, b) => a.sku.localeCompare(b.sku) || a.locationCode.localeCompare(b.locationCode),
    );
    for (const level of levels) {
      const item = catalog.item(level.sku);
      const location = catalog.location(level.locationCode);
      if (item === undefined || location === undefined) {
        continue;
      }
      const batches = this.batchesPerStockRow;
      for (let batch = 0; batch < batches; batch++) {
        const onHand = Math.floor(level.onHand / batches) + (batch === 0 ? level.onHand % batches : 0);
        const allocated = batch === 0 ? level.committed : 0;
        rows.push({
          ID: productGuid(item.internalId),
          SKU: item.sku,
          Name: item.name,
          Barcode: item.barcode,
          Location: location.name,
          Bin: null,
          Batch: batches === 1 ? null : `B${batch + 1}`,
          OnHand: onHand,
          Allocated: allocated,
          Available: onHand - allocated,
          OnOrder: 0,
          StockOnHand: onHand,
          InTransit: 0,
        });
      }
    }
    const paged = page(request, rows);
    if ('status' in paged) {
      return paged;
    }
    return ok({ Total: rows.length, Page: paged.page, ProductAvailabilityList: paged.records });
  }

  private familyId(parentSku: string): string {
    let id = this.familyIds.get(parentSku);
    if (id === undefined) {
      id = randomUUID();
      this.familyIds.set(parentSku, id);
    }
    return id;
  }

  // ------------------------------------------------------------------------------------------ customers

  private listCustomers(request: SimRequest): SimResponse {
    const id = param(request, 'ID');
    const name = param(request, 'Name')?.toLowerCase();
    const contactFilter = param(request, 'ContactFilter')?.toLowerCase();
    const since = parseSince(param(request, 'ModifiedSince'));
    if (since === null) {
      return cin7Error(400, 'ModifiedSince is not a valid date');
    }
    const includeDeprecated = param(request, 'IncludeDeprecated')?.toLowerCase() === 'true';
    const customers = [...this.customerRecords.values()]
      .map(({ record }) => record)
      .filter((customer) => includeDeprecated || customer.Status !== 'Deprecated')
      .filter((customer) => id === undefined || customer.ID === id)
      .filter((customer) => name === undefined || (customer.Name ?? '').toLowerCase().includes(name))
      .filter(
        (customer) =>
          contactFilter === undefined ||
          (customer.Contacts ?? []).some((contact) =>
            [contact.Name, contact.Email, contact.Phone].some((value) => value?.toLowerCase().includes(contactFilter)),
          ),
      )
      .filter((customer) => since === undefined || fromCin7Date(customer.LastModifiedOn ?? '') >= since)
      .sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
    const paged = page(request, customers);
    if ('status' in paged) {
      return paged;
    }
    return ok({ Total: customers.length, Page: paged.page, CustomerList: paged.records });
  }

  private createCustomer(body: Cin7Customer, context: SimContext): SimResponse {
    const missing = (
      ['Name', 'Status', 'Currency', 'PaymentTerm', 'AccountReceivable', 'RevenueAccount', 'TaxRule'] as const
    ).filter((field) => typeof body[field] !== 'string' || body[field].trim() === '');
    if (missing.length > 0) {
      return cin7ErrorList(missing.map((field) => `${field} is required`));
    }
    if (body.Status !== 'Active' && body.Status !== 'Deprecated') {
      return cin7Error(400, `Status '${body.Status}' is not valid. Available values are Active and Deprecated`);
    }
    const record: Cin7Customer & { ID: string } = {
      ...body,
      ID: randomUUID(),
      Contacts: (body.Contacts ?? []).map((contact) => ({ ...contact, ID: randomUUID() })),
      Addresses: (body.Addresses ?? []).map((address) => ({ ...address })),
      LastModifiedOn: toCin7Date(this.stamp()),
    };
    this.customerRecords.set(record.ID, { record, writeCount: 1 });
    this.commitCustomer(context, record, true);
    return ok({ Total: 1, Page: 1, CustomerList: [record] });
  }

  private updateCustomer(body: Cin7Customer, context: SimContext): SimResponse {
    const existing = body.ID === undefined ? undefined : this.customerRecords.get(body.ID);
    if (existing === undefined) {
      return cin7Error(400, `Customer with ID '${body.ID ?? ''}' not found`);
    }
    const contacts = body.Contacts?.map((contact) => ({ ...contact, ID: contact.ID ?? randomUUID() }));
    existing.record = {
      ...existing.record,
      ...body,
      ID: existing.record.ID,
      ...(contacts === undefined ? {} : { Contacts: contacts }),
      LastModifiedOn: toCin7Date(this.stamp()),
    };
    existing.writeCount++;
    this.commitCustomer(context, existing.record, false);
    return ok({ Total: 1, Page: 1, CustomerList: [existing.record] });
  }

  private commitCustomer(context: SimContext, record: Cin7Customer & { ID: string }, created: boolean): void {
    context.commit({
      type: 'customer',
      externalId: /\[([^\]]+)\]$/.exec(record.Name ?? '')?.[1] ?? record.Contacts?.[0]?.Email ?? '',
      internalId: record.ID,
      created,
      status: null,
      sourceUpdatedAt: null,
    });
  }

  // ------------------------------------------------------------------------------------------ sales

  private listSales(request: SimRequest, catalog: SimulatedCatalog): SimResponse {
    const externalId = param(request, 'ExternalID');
    const since = parseSince(param(request, 'UpdatedSince'));
    if (since === null) {
      return cin7Error(400, 'UpdatedSince is not a valid date');
    }
    const createdSince = parseSince(param(request, 'CreatedSince'));
    if (createdSince === null) {
      return cin7Error(400, 'CreatedSince is not a valid date');
    }
    const status = param(request, 'Status')?.toUpperCase();
    const candidates =
      externalId === undefined ? [...this.sales.values()] : (this.salesByExternalId.get(externalId) ?? []);
    const shipments = shipmentsByOrder(catalog);
    const entries = candidates
      .filter((sale) => createdSince === undefined || fromCin7Date(sale.created) >= createdSince)
      .map((sale) => this.toListEntry(sale, shipments))
      .filter((entry) => status === undefined || entry.Status === status)
      .filter((entry) => since === undefined || fromCin7Date(entry.Updated ?? '') >= since)
      .sort(
        (a, b) => (a.Updated ?? '').localeCompare(b.Updated ?? '') || (a.SaleID ?? '').localeCompare(b.SaleID ?? ''),
      );
    const paged = page(request, entries);
    if ('status' in paged) {
      return paged;
    }
    return ok({ Total: entries.length, Page: paged.page, SaleList: paged.records });
  }

  private getSale(request: SimRequest, catalog: SimulatedCatalog): SimResponse {
    const id = param(request, 'ID');
    const sale = id === undefined ? undefined : this.sales.get(id);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${id ?? ''}' not found`);
    }
    return ok(this.toSale(sale, catalog, shipmentsByOrder(catalog)));
  }

  private createSale(body: Cin7SaleHeader, context: SimContext): SimResponse {
    const problem = this.validateHeader(body, context.catalog);
    if (problem !== undefined) {
      return problem;
    }
    const id = randomUUID();
    const sale: SimSale = {
      header: { ...body, ID: id, SkipQuote: body.SkipQuote ?? false },
      status: body.SkipQuote === true ? 'ORDERING' : 'ESTIMATING',
      orderNumber: `SO-${String(this.sales.size + 1).padStart(5, '0')}`,
      order: null,
      creditNotes: [],
      payments: [],
      created: this.stamp(),
      updated: '',
      writeCount: 1,
    };
    sale.updated = sale.created;
    this.sales.set(id, sale);
    if (sale.header.ExternalID !== undefined) {
      // The newest sale: appending keeps the list in creation order.
      this.salesByExternalId.set(sale.header.ExternalID, [
        ...(this.salesByExternalId.get(sale.header.ExternalID) ?? []),
        sale,
      ]);
    }
    context.commit({
      type: 'salesOrder',
      externalId: body.ExternalID ?? '',
      internalId: id,
      created: true,
      status: 'open',
      sourceUpdatedAt: null,
    });
    return ok(this.toSale(sale, context.catalog, shipmentsByOrder(context.catalog)));
  }

  private updateSale(body: Cin7SaleHeader, context: SimContext): SimResponse {
    const sale = body.ID === undefined ? undefined : this.sales.get(body.ID);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${body.ID ?? ''}' not found`);
    }
    if (sale.status === 'VOIDED') {
      return cin7Error(400, 'Sale is voided and cannot be changed');
    }
    const problem = this.validateHeader({ ...sale.header, ...body }, context.catalog);
    if (problem !== undefined) {
      return problem;
    }
    const previousExternalId = sale.header.ExternalID;
    sale.header = { ...sale.header, ...body, ID: sale.header.ID };
    if (sale.header.ExternalID !== previousExternalId) {
      this.reindex(previousExternalId);
      this.reindex(sale.header.ExternalID);
    }
    this.touch(sale);
    context.commit({
      type: 'salesOrder',
      externalId: sale.header.ExternalID ?? '',
      internalId: sale.header.ID,
      created: false,
      status: 'open',
      sourceUpdatedAt: readUpdatedAt(sale.order?.Memo),
    });
    return ok(this.toSale(sale, context.catalog, shipmentsByOrder(context.catalog)));
  }

  private deleteSale(request: SimRequest, context: SimContext): SimResponse {
    const id = param(request, 'ID');
    const sale = id === undefined ? undefined : this.sales.get(id);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${id ?? ''}' not found`);
    }
    if (sale.status === 'VOIDED') {
      return cin7Error(400, 'Sale is already voided');
    }
    if (param(request, 'Void')?.toLowerCase() !== 'true') {
      if (sale.order?.Status === 'AUTHORISED') {
        return cin7Error(400, 'Only a sale with no authorised tasks can be deleted; void it instead');
      }
      this.sales.delete(sale.header.ID);
      this.reindex(sale.header.ExternalID);
      context.commit({
        type: 'salesOrder',
        externalId: sale.header.ExternalID ?? '',
        internalId: sale.header.ID,
        created: false,
        status: 'deleted',
        sourceUpdatedAt: null,
      });
      return ok({ ID: sale.header.ID });
    }
    sale.status = 'VOIDED';
    if (sale.order !== null) {
      sale.order = { ...sale.order, Status: 'VOIDED' };
    }
    this.touch(sale);
    context.commit({
      type: 'salesOrder',
      externalId: sale.header.ExternalID ?? '',
      internalId: sale.header.ID,
      created: false,
      status: 'cancelled',
      sourceUpdatedAt: readUpdatedAt(sale.order?.Memo),
    });
    return ok({ ID: sale.header.ID, Status: 'VOIDED' });
  }

  private writeOrder(body: Cin7SaleOrder, context: SimContext): SimResponse {
    const sale = body.SaleID === undefined ? undefined : this.sales.get(body.SaleID);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${body.SaleID ?? ''}' not found`);
    }
    if (sale.status === 'VOIDED') {
      return cin7Error(400, 'Sale is voided and cannot be changed');
    }
    if (body.Status !== 'DRAFT' && body.Status !== 'AUTHORISED') {
      return cin7Error(400, `Status '${body.Status ?? ''}' is not valid. Available values are DRAFT and AUTHORISED`);
    }
    const problems = validateLines(body.Lines ?? [], context.catalog);
    if (problems.length > 0) {
      return cin7ErrorList(problems);
    }
    sale.order = {
      ...body,
      SaleOrderNumber: sale.orderNumber,
      Lines: (body.Lines ?? []).map((line) => ({ ...line })),
      AdditionalCharges: (body.AdditionalCharges ?? []).map((charge) => ({ ...charge })),
    };
    sale.status = body.Status === 'AUTHORISED' ? 'ORDERED' : 'ORDERING';
    this.touch(sale);
    context.commit({
      type: 'salesOrder',
      externalId: sale.header.ExternalID ?? '',
      internalId: sale.header.ID,
      created: false,
      status: 'open',
      sourceUpdatedAt: readUpdatedAt(body.Memo),
    });
    return ok(sale.order);
  }

  /**
   * A credit note of a sale. Real Cin7 needs an authorised invoice on the sale first; the simulation accepts a credit
   * note on any sale that is not voided (see docs/connectors/cin7.md, known limitations).
   */
  /** `GET /sale/payment?SaleID=`: the sale's payments as a bare array. */
  private listPayments(request: SimRequest): SimResponse {
    const id = param(request, 'SaleID');
    const sale = id === undefined ? undefined : this.sales.get(id);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${id ?? ''}' not found`);
    }
    return ok(sale.payments.map((payment) => ({ ...payment })));
  }

  /**
   * `POST /sale/payment`: only a `PREPAYMENT` here (a `PAYMENT` needs an invoice task, which the simulator's sales
   * never have), against a sale that is not voided, with a positive amount of at most 2 decimals and a `DatePaid`.
   */
  private createPayment(body: Cin7SalePayment, context: SimContext): SimResponse {
    const sale = body.TaskID === undefined ? undefined : this.sales.get(body.TaskID);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${body.TaskID ?? ''}' not found`);
    }
    if (body.Type !== 'PREPAYMENT') {
      return cin7Error(400, `Type '${body.Type ?? ''}' is not valid for a sale without an invoice. Use PREPAYMENT`);
    }
    if (sale.status === 'VOIDED') {
      return cin7Error(400, 'Sale is voided: a payment cannot be added');
    }
    const amount = body.Amount;
    if (typeof amount !== 'number' || !(amount > 0) || !/^\d+(\.\d{1,2})?$/.test(String(amount))) {
      return cin7Error(400, 'Amount must be a positive decimal with up to 2 decimal places');
    }
    if (typeof body.DatePaid !== 'string' || body.DatePaid === '') {
      return cin7Error(400, 'DatePaid is required');
    }
    const payment: Cin7SalePayment = {
      ID: randomUUID(),
      TaskID: sale.header.ID,
      Type: 'PREPAYMENT',
      Reference: body.Reference ?? '',
      Amount: amount,
      DatePaid: body.DatePaid,
      Account: body.Account ?? '1200',
      CurrencyRate: body.CurrencyRate ?? 1,
      DateCreated: toCin7Date(this.stamp()),
    };
    sale.payments.push(payment);
    this.touch(sale);
    context.commit({
      type: 'payment',
      externalId: payment.Reference ?? '',
      internalId: payment.ID ?? '',
      created: true,
      status: null,
      sourceUpdatedAt: null,
    });
    return ok(payment);
  }

  /** Every sale payment, for tests, with the sale it belongs to. */
  salePayments(): Array<Cin7SalePayment & { SaleID: string }> {
    return [...this.sales.values()].flatMap((sale) =>
      sale.payments.map((payment) => ({ ...payment, SaleID: sale.header.ID })),
    );
  }

  private createCreditNote(body: Cin7CreditNote, context: SimContext): SimResponse {
    const sale = body.TaskID === undefined ? undefined : this.sales.get(body.TaskID);
    if (sale === undefined) {
      return cin7Error(400, `Sale with ID '${body.TaskID ?? ''}' not found`);
    }
    if (sale.status === 'VOIDED') {
      return cin7Error(400, 'Sale is voided: a credit note cannot be created');
    }
    if (body.Status !== 'DRAFT' && body.Status !== 'AUTHORISED') {
      return cin7Error(400, `Status '${body.Status ?? ''}' is not valid. Available values are DRAFT and AUTHORISED`);
    }
    const problems = validateLines(body.Lines ?? [], context.catalog);
    if (problems.length > 0) {
      return cin7ErrorList(problems);
    }
    const note: Cin7CreditNote = {
      ...body,
      TaskID: randomUUID(),
      CreditNoteNumber: `CR-${String(++this.creditNoteCount).padStart(5, '0')}`,
    };
    sale.creditNotes.push(note);
    this.touch(sale);
    const returnId = /\[shopify-return:([^\]]+)\]/.exec(body.Memo ?? '')?.[1];
    context.commit({
      type: returnId === undefined ? 'refund' : 'return',
      externalId: returnId ?? /\[shopify-refund:([^\]]+)\]/.exec(body.Memo ?? '')?.[1] ?? '',
      internalId: note.TaskID ?? '',
      created: true,
      status: null,
      sourceUpdatedAt: null,
    });
    return ok(note);
  }

  private validateHeader(body: Cin7SaleHeader, catalog: SimulatedCatalog): SimResponse | undefined {
    const customerId = body.CustomerID;
    const byId = customerId === undefined ? undefined : this.customerRecords.get(customerId);
    const byName =
      byId !== undefined || body.Customer === undefined
        ? undefined
        : [...this.customerRecords.values()].find(({ record }) => record.Name === body.Customer);
    if (byId === undefined && byName === undefined) {
      return cin7Error(400, `Customer '${customerId ?? body.Customer ?? ''}' not found`);
    }
    if (body.Location !== undefined && !catalog.locations.some((location) => location.name === body.Location)) {
      return cin7Error(400, `Location '${body.Location}' not found`);
    }
    if (body.Terms !== undefined && !CIN7_SIM_PAYMENT_TERMS.includes(body.Terms)) {
      return cin7Error(400, `Payment term '${body.Terms}' not found`);
    }
    return undefined;
  }

  /** Rebuilds one reference's list from `sales` (a rare path: a delete, or a PUT that changed ExternalID). */
  private reindex(externalId: string | undefined): void {
    if (externalId === undefined) {
      return;
    }
    const sales = [...this.sales.values()].filter((sale) => sale.header.ExternalID === externalId);
    if (sales.length === 0) {
      this.salesByExternalId.delete(externalId);
    } else {
      this.salesByExternalId.set(externalId, sales);
    }
  }

  private shipmentsOf(sale: SimSale, byOrder: ReadonlyMap<string, SimShipment[]>): SimShipment[] {
    const externalId = sale.header.ExternalID;
    if (externalId === undefined || sale.status === 'VOIDED') {
      return [];
    }
    // A shipment belongs to the live sale carrying its order id (the oldest one, should there be duplicates).
    const owner = this.salesByExternalId.get(externalId)?.find((candidate) => candidate.status !== 'VOIDED');
    return owner === sale ? (byOrder.get(externalId) ?? []) : [];
  }

  private toListEntry(sale: SimSale, byOrder: ReadonlyMap<string, SimShipment[]>): Cin7SaleListEntry {
    const shipments = this.shipmentsOf(sale, byOrder);
    const updated = [sale.updated, ...shipments.map((shipment) => shipment.lastModified)].sort().pop() ?? sale.updated;
    const customer =
      sale.header.CustomerID === undefined ? undefined : this.customerRecords.get(sale.header.CustomerID);
    return {
      SaleID: sale.header.ID,
      OrderNumber: sale.orderNumber,
      Status: sale.status,
      OrderStatus: sale.order === null ? 'NOT AVAILABLE' : (sale.order.Status ?? 'DRAFT'),
      CustomerID: sale.header.CustomerID,
      Customer: customer?.record.Name ?? sale.header.Customer,
      ExternalID: sale.header.ExternalID ?? null,
      CustomerReference: sale.header.CustomerReference ?? null,
      OrderDate: sale.header.SaleOrderDate,
      Updated: toCin7Date(updated),
      CombinedShippingStatus: shipments.length === 0 ? 'NOT SHIPPED' : 'SHIPPED',
      CombinedTrackingNumbers: shipments.flatMap((shipment) => shipment.trackingNumbers).join(', ') || null,
    };
  }

  private toSale(sale: SimSale, catalog: SimulatedCatalog, byOrder: ReadonlyMap<string, SimShipment[]>): Cin7Sale {
    const fulfilments: Cin7Fulfilment[] = this.shipmentsOf(sale, byOrder).map((shipment, index) => {
      const lines = shipment.lines.map((line) => ({
        ProductID: productGuidForSku(catalog, line.sku),
        SKU: line.sku,
        Quantity: line.quantity,
      }));
      const numbers = shipment.trackingNumbers.length === 0 ? [null] : shipment.trackingNumbers;
      return {
        TaskID: shipmentGuid(shipment.internalId),
        FulfillmentNumber: index + 1,
        Pick: { Status: 'AUTHORISED', Lines: lines },
        Pack: { Status: 'AUTHORISED', Lines: lines.map((line) => ({ ...line, Box: '1' })) },
        Ship: {
          Status: 'AUTHORISED',
          Lines: numbers.map((trackingNumber, box) => ({
            ID: randomUUID(),
            ShipmentDate: toCin7Date(shipment.shippedAt),
            Carrier: shipment.carrier,
            Boxes: String(box + 1),
            TrackingNumber: trackingNumber,
            TrackingURL: shipment.trackingUrl,
            IsShipped: true,
          })),
        },
      };
    });
    return {
      ...sale.header,
      Status: sale.status,
      LastModifiedOn: toCin7Date(sale.updated),
      Order: sale.order,
      Fulfilments: fulfilments,
      CreditNotes: sale.creditNotes,
    };
  }

  private touch(sale: SimSale): void {
    sale.updated = this.stamp();
    sale.writeCount++;
  }

  /** A strictly increasing ISO timestamp, like the catalog's, so that UpdatedSince never misses a change. */
  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }
}

export interface Cin7SimulatorOptions {
  config?: SimulatorConfigPatch;
  /** Defaults to fresh random values. */
  credentials?: Partial<Cin7Credentials>;
  throttleStatus?: 503 | 429;
  batchesPerStockRow?: number;
  random?: () => number;
}

/**
 * @description Starts nothing by itself: builds a simulated Cin7 Core (see {@link Cin7SimulatedVendor}) on the shared
 * simulator core, with Cin7's 60 calls per minute budget unless `config.requestsPerMinute` says otherwise. Call
 * `server.listen()`, then build the real connector with `connectorOptions(\`http://127.0.0.1:${port}\`)`.
 *
 * @example
 * const sim = createCin7Simulator({ config: { latencyMs: 0 } });
 * const port = await sim.server.listen();
 * const connector = new Cin7Connector(sim.connectorOptions(`http://127.0.0.1:${port}`), context);
 */
export function createCin7Simulator(options: Cin7SimulatorOptions = {}): {
  server: ErpSimulatorServer;
  vendor: Cin7SimulatedVendor;
  credentials: Cin7Credentials;
  connectorOptions(baseUrl: string): Cin7ConnectorOptions;
} {
  const credentials: Cin7Credentials = {
    accountId: options.credentials?.accountId ?? randomUUID(),
    applicationKey: options.credentials?.applicationKey ?? randomUUID(),
  };
  const vendor = new Cin7SimulatedVendor({
    credentials,
    throttleStatus: options.throttleStatus,
    batchesPerStockRow: options.batchesPerStockRow,
  });
  const server = new ErpSimulatorServer(vendor, { requestsPerMinute: 60, ...options.config }, options.random);
  return {
    server,
    vendor,
    credentials,
    connectorOptions: (baseUrl: string) => ({
      baseUrl: `${baseUrl.replace(/\/+$/, '')}${CIN7_SIM_API_PATH}`,
      accountId: credentials.accountId,
      applicationKey: credentials.applicationKey,
      ...CIN7_SIM_ACCOUNT,
    }),
  };
}

const KNOWN_ENDPOINTS = new Set([
  'me',
  'product',
  'productfamily',
  'ref/productavailability',
  'customer',
  'salelist',
  'sale',
  'sale/order',
  'sale/creditnote',
  'sale/payment',
]);

function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

function cin7Error(status: number, message: string): SimResponse {
  return { status, body: [{ ErrorCode: status, Exception: message }] };
}

function cin7ErrorList(messages: string[]): SimResponse {
  return { status: 400, body: messages.map((message) => ({ ErrorCode: 400, Exception: message })) };
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A query parameter by case-insensitive name (Cin7's examples use both `page` and `Page`). */
function param(request: SimRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of request.url.searchParams) {
    if (key.toLowerCase() === wanted && value !== '') {
      return value;
    }
  }
  return undefined;
}

/** Page/Limit with Cin7's bounds (Limit 1..1000, default 100). */
function page<T>(request: SimRequest, records: T[]): { page: number; records: T[] } | SimResponse {
  const pageNumber = Number(param(request, 'Page') ?? '1');
  const limit = Number(param(request, 'Limit') ?? '100');
  if (!Number.isInteger(pageNumber) || pageNumber < 1) {
    return cin7Error(400, 'Page must be a positive integer');
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return cin7Error(400, `Limit must be between 1 and ${MAX_LIMIT}`);
  }
  return { page: pageNumber, records: records.slice((pageNumber - 1) * limit, pageNumber * limit) };
}

/** undefined = no filter, null = unreadable. */
function parseSince(value: string | undefined): string | undefined | null {
  if (value === undefined) {
    return undefined;
  }
  const iso = fromCin7Date(value);
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function validateLines(lines: Cin7SaleLine[], catalog: SimulatedCatalog): string[] {
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const item = line.ProductID === undefined ? undefined : catalog.itemById(productInternalId(line.ProductID));
    if (item === undefined) {
      problems.push(`Line ${index + 1}: Product with ID '${line.ProductID ?? ''}' not found`);
      return;
    }
    if (line.SKU !== undefined && line.SKU !== item.sku) {
      problems.push(`Line ${index + 1}: SKU '${line.SKU}' does not match product ${item.sku}`);
    }
    const quantity = line.Quantity ?? 0;
    if (!(quantity > 0)) {
      problems.push(`Line ${index + 1}: Quantity must be greater than 0`);
    }
    const expected = quantity * (line.Price ?? 0) * (1 - (line.Discount ?? 0) / 100);
    if (line.Total !== undefined && Math.abs(expected - line.Total) > 0.02) {
      problems.push(
        `Line ${index + 1}: Total ${line.Total} does not match Quantity × Price − Discount (${expected.toFixed(2)})`,
      );
    }
  });
  return problems;
}

/** Cin7 Core's `WeightUnits` names. */
const CIN7_WEIGHT_UNITS: Readonly<Record<SimWeightUnit, string>> = {
  GRAMS: 'g',
  KILOGRAMS: 'kg',
  OUNCES: 'oz',
  POUNDS: 'lb',
};

function toProduct(item: SimItem): Cin7Product & { Type: string } {
  return {
    ID: productGuid(item.internalId),
    SKU: item.sku,
    Name: item.name,
    Type: 'Stock',
    Barcode: item.barcode,
    Status: item.active ? 'Active' : 'Deprecated',
    PriceTier1: Number(item.price),
    // Cin7 Core answers every tier; a tier without a price is 0.
    [`PriceTier${SIM_COMPARE_AT_PRICE_TIER}`]: item.compareAtPrice === null ? 0 : Number(item.compareAtPrice),
    PriceTiers: { 'Tier 1': Number(item.price) },
    AverageCost: Number(item.cost),
    // An item without a weight has Weight 0 (in the account's default unit).
    Weight: item.weight === null ? 0 : Number(item.weight.value),
    WeightUnits: item.weight === null ? 'g' : CIN7_WEIGHT_UNITS[item.weight.unit],
    LastModifiedOn: toCin7Date(item.lastModified),
  };
}

/** Cin7 ids are GUIDs; catalog ids are numbers. The mapping is fixed so both directions are cheap. */
function productGuid(internalId: string): string {
  return `00000000-0000-4000-8000-${internalId.padStart(12, '0')}`;
}

function productInternalId(guid: string): string {
  const match = /^00000000-0000-4000-8000-(\d{12})$/.exec(guid);
  return match === null ? '' : String(Number(match[1]));
}

function productGuidForSku(catalog: SimulatedCatalog, sku: string): string | undefined {
  const item = catalog.item(sku);
  return item === undefined ? undefined : productGuid(item.internalId);
}

function shipmentGuid(internalId: string): string {
  return `00000000-0000-4000-9000-${internalId.padStart(12, '0')}`;
}

/** The catalog's shipments grouped by the order they name, in (lastModified, id) order; built once per request. */
function shipmentsByOrder(catalog: SimulatedCatalog): Map<string, SimShipment[]> {
  const byOrder = new Map<string, SimShipment[]>();
  for (const shipment of catalog.listShipments()) {
    const list = byOrder.get(shipment.orderExternalId);
    if (list === undefined) {
      byOrder.set(shipment.orderExternalId, [shipment]);
    } else {
      list.push(shipment);
    }
  }
  return byOrder;
}

function readUpdatedAt(memo: string | undefined | null): string | null {
  return /\[shopify-updated-at:([^\]]+)\]/.exec(memo ?? '')?.[1] ?? null;
}

/** Cin7's date format: `yyyy-MM-ddTHH:mm:ss.fff`, UTC without a zone suffix. */
function toCin7Date(iso: string): string {
  return new Date(iso).toISOString().slice(0, 23);
}

function fromCin7Date(value: string): string {
  const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}
