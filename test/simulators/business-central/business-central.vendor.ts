import { randomBytes, randomUUID } from 'node:crypto';
import {
  ODataError,
  applySelect,
  pageCollection,
  prefilterTextEqualities,
  type ODataRecord,
} from 'test/simulators/business-central/business-central-odata';
import type {
  SimContext,
  SimRequest,
  SimResponse,
  SimulatedCustomerView,
  SimulatedErpVendor,
  SimulatedOrderView,
} from 'test/simulators/common/erp-simulator';
import type { SimItem, SimulatedCatalog } from 'test/simulators/common/simulated-catalog';

/** @description The identity of the simulated tenant, company and Entra app registration. */
export interface BusinessCentralSimIdentity {
  tenantId: string;
  environment: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
}

/** @description Vendor options of the simulated Business Central. */
export interface BusinessCentralVendorOptions extends Partial<BusinessCentralSimIdentity> {
  /** `expires_in` of issued access tokens. Default 3599 (Entra's usual hour). */
  tokenLifetimeSeconds?: number;
  /** G/L account numbers that exist (Account lines must name one). Default `['40400', '40450']`. */
  glAccounts?: string[];
  /**
   * Extension field on sales shipments carrying the tracking number(s), space-separated; null = standard v2.0, which
   * has none. Default `packageTrackingNo`.
   */
  trackingNumberField?: string | null;
  /** Extension field carrying the carrier. Default `shippingAgentCode` (null = none). */
  carrierField?: string | null;
  /** Server page size (BC online: 20,000). */
  serverPageSize?: number;
  /** Codes of the general journal batches (`journals`). Default `['GENERAL', 'SHOPIFY']`. */
  journalBatches?: string[];
  /** Bank account numbers that exist (`Bank Account` journal lines must name one). Default `['BANK1']`. */
  bankAccounts?: string[];
  /** How long the validation-token handshake may take. Default 5 s. */
  handshakeTimeoutMs?: number;
}

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const SCOPE = 'https://api.businesscentral.dynamics.com/.default';
const SUBSCRIPTION_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000;
const WEBHOOK_ENTITY_SETS = ['customers', 'items', 'salesOrders', 'salesInvoices', 'salesCreditMemos', 'vendors'];

/**
 * The connector's documented convention (docs/connectors/business-central.md): BC v2.0 has no cancelled status nor a
 * free header field, so the Shopify state lives in comment lines. The oracle view reads them; the API itself treats
 * them as ordinary comments.
 */
const UPDATED_AT_PREFIX = 'Shopify updated_at ';
const CANCELLED_PREFIX = 'Shopify cancelled';

type LineType = 'Comment' | 'Account' | 'Item';

interface SimLine {
  id: string;
  sequence: number;
  lineType: LineType;
  itemId: string;
  itemVariantId: string;
  lineObjectNumber: string;
  description: string;
  quantity: number;
  unitPrice: number;
  discountAmount: number;
  version: number;
  /** Posted by a shipment (`shipSalesOrder`): read-only in the API; a shipped line cannot be deleted or go below it. */
  shippedQuantity?: number;
}

interface SimDocument {
  id: string;
  number: string;
  version: number;
  writeCount: number;
  lastModifiedDateTime: string;
  fields: Record<string, string>;
  customerId: string;
  lines: SimLine[];
  nextSequence: number;
}

interface SimCustomer {
  id: string;
  number: string;
  version: number;
  writeCount: number;
  lastModifiedDateTime: string;
  fields: Record<string, string>;
}

interface SimSubscription {
  subscriptionId: string;
  notificationUrl: string;
  resource: string;
  clientState: string;
  expirationDateTime: string;
  lastModifiedDateTime: string;
  version: number;
}

interface IssuedToken {
  tenantId: string;
  clientId: string;
  generation: number;
  expiresAt: number;
}

const ORDER_TEXT_FIELDS = [
  'externalDocumentNumber',
  'orderDate',
  'postingDate',
  'currencyCode',
  'email',
  'phoneNumber',
  'billToName',
  'billToAddressLine1',
  'billToAddressLine2',
  'billToCity',
  'billToState',
  'billToCountry',
  'billToPostCode',
  'shipToName',
  'shipToContact',
  'shipToAddressLine1',
  'shipToAddressLine2',
  'shipToCity',
  'shipToState',
  'shipToCountry',
  'shipToPostCode',
  'sellToAddressLine1',
  'sellToAddressLine2',
  'sellToCity',
  'sellToState',
  'sellToCountry',
  'sellToPostCode',
  'paymentTermsId',
] as const;
/**
 * The company's customer payment journals (`customerPaymentJournals`, API v2.0: the cash receipt journal batches), as
 * a demo company could have them; each has a balancing account (a bank, or the gift card liability).
 */
export const BC_SIM_PAYMENT_JOURNALS: ReadonlyArray<{
  id: string;
  code: string;
  displayName: string;
  balancingAccountNumber: string;
}> = [
  {
    id: '5a1d0c2e-7b1f-4a0e-9b21-000000000001',
    code: 'GENERAL',
    displayName: 'General',
    balancingAccountNumber: '2910',
  },
  {
    id: '5a1d0c2e-7b1f-4a0e-9b21-000000000002',
    code: 'GIFTCARD',
    displayName: 'Gift cards',
    balancingAccountNumber: '5790',
  },
];

/** A line of a customer payment journal (`customerPayments`), unposted, as the API v2.0 page shows it. */
interface SimCustomerPayment {
  id: string;
  journalId: string;
  journalDisplayName: string;
  lineNumber: number;
  customerId: string;
  customerNumber: string;
  postingDate: string;
  documentNumber: string;
  externalDocumentNumber: string;
  amount: number;
  appliesToInvoiceId: string;
  appliesToInvoiceNumber: string;
  description: string;
  comment: string;
  lastModifiedDateTime: string;
}

const CUSTOMER_PAYMENT_FIELDS = [
  'id',
  'journalId',
  'journalDisplayName',
  'lineNumber',
  'customerId',
  'customerNumber',
  'postingDate',
  'documentNumber',
  'externalDocumentNumber',
  'amount',
  'appliesToInvoiceId',
  'appliesToInvoiceNumber',
  'description',
  'comment',
  'lastModifiedDateTime',
] as const;

/** The company's payment terms (`paymentTerms`, API v2.0), as a CRONUS demo company has some of them. */
export const BC_SIM_PAYMENT_TERMS: ReadonlyArray<{ id: string; code: string; displayName: string }> = [
  { id: '6a1f7a9e-0f1d-4b55-9a43-1b7c2d9e0a14', code: '14 DAYS', displayName: 'Net 14 days' },
  { id: '3bb5b4b6-ea4c-43ca-ba1c-3b69e29a6668', code: '30 DAYS', displayName: 'Net 30 days' },
  { id: '9e2c4d1a-7b3f-4c8e-8d2a-5f6b7c8d9e01', code: '60 DAYS', displayName: 'Net 60 days' },
  { id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', code: 'COD', displayName: 'Cash on delivery' },
];
const CREDIT_MEMO_TEXT_FIELDS = [
  'externalDocumentNumber',
  'creditMemoDate',
  'postingDate',
  'currencyCode',
  'email',
] as const;
const CUSTOMER_TEXT_FIELDS = [
  'displayName',
  'type',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'country',
  'postalCode',
  'phoneNumber',
  'email',
  'website',
  'currencyCode',
] as const;
const LINE_FIELDS = [
  'lineType',
  'itemId',
  'itemVariantId',
  'accountId',
  'lineObjectNumber',
  'description',
  'quantity',
  'unitPrice',
  'discountAmount',
  'sequence',
] as const;
/** Field lengths BC enforces (Text[n] / Code[n]). */
const MAX_LENGTH: Record<string, number> = {
  externalDocumentNumber: 35,
  displayName: 100,
  description: 100,
  email: 80,
  phoneNumber: 30,
  city: 30,
  state: 30,
  postalCode: 20,
  country: 10,
  currencyCode: 10,
};

/**
 * @description A **simulation** of Microsoft Dynamics 365 Business Central online's API v2.0 for tests, the demo
 * and the bench; it talks to no real Business Central. Served on the shared `ErpSimulatorServer`:
 *
 * - Microsoft Entra's token endpoint `POST /{tenantId}/oauth2/v2.0/token` (client credentials; wrong tenant,
 *   client, secret or scope refused with Entra's `{"error","error_description":"AADSTS…"}` bodies), outside the
 *   governed API (no faults, limits or latency).
 * - A path outside `/v2.0/{tenantId}/{environment}/api/v2.0/` (a base URL without its `/v2.0`) → 404
 *   `BadRequest_NotFound` "No HTTP resource was found that matches the request URI …", an unknown environment → 404
 *   `NoEnvironmentFound`, an unknown company → 404 `Internal_CompanyNotFound`, as BC answers them.
 * - `/v2.0/{tenantId}/{environment}/api/v2.0/…`: `companies`, `subscriptions`, and per company `customers`,
 *   `salesOrders` (+ `salesOrderLines`, deep insert, `$expand`), `salesCreditMemos` (+ lines), `salesInvoices`
 *   (always empty: nothing is ever posted here), `items` (+ `$expand=itemVariants`), `itemVariants` and
 *   `salesShipments` (+ `$expand=salesShipmentLines`). Items, stock and shipments come from the shared catalog:
 *   catalog items with a `parentSku` are served as item variants of their parent, `items.inventory` sums every
 *   location, shipments carry the tracking number in an extension field (`packageTrackingNo`) when configured.
 * - Every API request needs a bearer token this simulator issued, unexpired, for the configured tenant and client,
 *   and issued under the current client secret (`setClientSecret` revokes older tokens); else 401
 *   `Authentication_InvalidCredentials`.
 * - Entities carry `@odata.etag`; PATCH/DELETE without If-Match → 400 `BadRequest_InvalidToken`, with a stale one
 *   → 409 `Request_EntityChanged`. A change to a line changes its order's ETag too. `simulateConcurrentEdits(n)`
 *   makes the next n ETag checks on sales documents fail as if another user had just saved the record.
 * - POST answers 201 with the entity, GET 200, PATCH 200 with the entity, DELETE 204. Unknown properties, missing
 *   references (item, variant, G/L account, customer) and over-long values → 400 with BC's error shape; a deep
 *   insert is all-or-nothing. Two orders with the same `externalDocumentNumber` are allowed, as in BC.
 * - Throttling answers 429 with Retry-After at once above the concurrency limit (real BC queues up to 95 more
 *   before refusing; the core answers 429 immediately, which is the stricter test); maintenance answers 503
 *   `Internal_TenantUnavailable`.
 * - Webhooks: creating or renewing a subscription performs the validation-token handshake for real (POST to
 *   `notificationUrl?validationToken=…`, which must answer 200 with the token) and refuses the subscription
 *   otherwise; subscriptions expire after 3 days; `notify(...)` sends notifications and, like BC, deletes a
 *   subscription whose endpoint answers a status other than 2xx, 408, 429 or 5xx.
 *
 * Oracle views: `orders()` lists every sales order (duplicates included). BC has no cancelled status: by the
 * connector's convention an order is reported `cancelled` when it carries a `Shopify cancelled…` comment line and
 * all its item and account lines have quantity 0; `sourceUpdatedAt` is read from its `Shopify updated_at <iso>`
 * comment line. Ledger: a sales order write is committed to the ledger when it creates the order or changes its
 * (status, sourceUpdatedAt); BC writes an order in several requests (header, lines), so one logical update is one
 * ledger entry while `writeCount` counts every request.
 */
export class BusinessCentralSimulatedVendor implements SimulatedErpVendor {
  readonly name = 'business-central';
  readonly identity: BusinessCentralSimIdentity;
  private readonly initialSecret: string;
  private readonly tokenLifetimeSeconds: number;
  private readonly glAccounts: Set<string>;
  private readonly bankAccounts: Set<string>;
  /** The general journal batches, and the lines written to each (by journal id). */
  private readonly journals: Array<{ id: string; code: string; displayName: string }>;
  private journalLinesById = new Map<string, ODataRecord[]>();
  private readonly trackingNumberField: string | null;
  private readonly carrierField: string | null;
  private readonly serverPageSize: number;
  private readonly handshakeTimeoutMs: number;
  private catalog?: SimulatedCatalog;
  private tokens = new Map<string, IssuedToken>();
  private generation = 1;
  private customersById = new Map<string, SimCustomer>();
  /** Unposted customer payment journal lines, by id. */
  private paymentsById = new Map<string, SimCustomerPayment>();
  private ordersById = new Map<string, SimDocument>();
  private creditMemosById = new Map<string, SimDocument>();
  private subscriptionsById = new Map<string, SimSubscription>();
  private counters = { customer: 10000, order: 101000, creditMemo: 104000 };
  private pendingConflicts = 0;
  private lastStamp = 0;
  /** Requests the API answered since the last reset, per `METHOD entitySet` (e.g. `GET customers`). */
  private tally = new Map<string, number>();
  readonly tokenStats = { issued: 0, refused: 0 };

  constructor(options: BusinessCentralVendorOptions = {}) {
    this.identity = {
      tenantId: options.tenantId ?? 'a0b1c2d3-0000-4000-8000-00000000b0c0',
      environment: options.environment ?? 'Production',
      companyId: options.companyId ?? 'c0ffee00-0000-4000-8000-00000000c0de',
      clientId: options.clientId ?? 'b5e7a1c2-0000-4000-8000-0000000c1e47',
      clientSecret: options.clientSecret ?? 'sim~bc-client-secret',
    };
    this.initialSecret = this.identity.clientSecret;
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
    this.glAccounts = new Set(options.glAccounts ?? ['40400', '40450']);
    this.bankAccounts = new Set(options.bankAccounts ?? ['BANK1']);
    this.journals = (options.journalBatches ?? ['GENERAL', 'SHOPIFY']).map((code) => ({
      id: randomUUID(),
      code,
      displayName: `${code} journal`,
    }));
    this.trackingNumberField =
      options.trackingNumberField === undefined ? 'packageTrackingNo' : options.trackingNumberField;
    this.carrierField = options.carrierField === undefined ? 'shippingAgentCode' : options.carrierField;
    this.serverPageSize = options.serverPageSize ?? 20_000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5_000;
  }

  // ---- control methods (tests call them in-process) ---------------------------------------------------------------

  /** Rotates the client secret: tokens issued under the old one stop working, the old secret is refused. */
  setClientSecret(secret: string): void {
    this.identity.clientSecret = secret;
    this.generation++;
  }

  /** The next `count` ETag checks on sales orders or their lines fail as if another user had just saved the record. */
  simulateConcurrentEdits(count = 1): void {
    this.pendingConflicts = count;
  }

  /** Webhook subscriptions as stored. */
  subscriptions(): SimSubscription[] {
    return [...this.subscriptionsById.values()].map((s) => ({ ...s }));
  }

  /** Moves every subscription's expiry to `msFromNow` from now (to test renewal). */
  expireSubscriptionsIn(msFromNow: number): void {
    for (const subscription of this.subscriptionsById.values()) {
      subscription.expirationDateTime = new Date(Date.now() + msFromNow).toISOString();
    }
  }

  /** Credit memos in a neutral shape. */
  creditMemos(): Array<{
    externalId: string;
    internalId: string;
    customerId: string;
    lines: Array<{ lineType: string; lineObjectNumber: string; quantity: number; unitPrice: number }>;
  }> {
    return [...this.creditMemosById.values()].map((memo) => ({
      externalId: memo.fields.externalDocumentNumber ?? '',
      internalId: memo.id,
      customerId: memo.customerId,
      lines: memo.lines.map((l) => ({
        lineType: l.lineType,
        lineObjectNumber: l.lineObjectNumber,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
      })),
    }));
  }

  /** A sales order as the API serves it (lines expanded), by its id. */
  salesOrder(id: string): ODataRecord | undefined {
    const order = this.ordersById.get(id);
    return order === undefined ? undefined : this.serializeOrder(order, true);
  }

  /**
   * A second sales order with the same header and lines (so the same `externalDocumentNumber`), its own id and
   * number, as a user copying a document in BC would make; BC does not keep `externalDocumentNumber` unique.
   */
  copySalesOrder(id: string): string {
    const order = this.ordersById.get(id);
    if (order === undefined) {
      throw new Error(`no sales order ${id}`);
    }
    const copy: SimDocument = {
      ...structuredClone(order),
      id: randomUUID(),
      number: `S-ORD${++this.counters.order}`,
      version: 1,
      writeCount: 1,
      lastModifiedDateTime: this.stamp(),
    };
    this.ordersById.set(copy.id, copy);
    return copy.id;
  }

  /**
   * Posts a shipment of every item line of the order in full, as a warehouse user would in BC: the lines' read-only
   * `shippedQuantity` equals their quantity from then on, and BC refuses to delete them or lower their quantity.
   */
  shipSalesOrder(id: string): void {
    const order = this.ordersById.get(id);
    if (order === undefined) {
      throw new Error(`no sales order ${id}`);
    }
    for (const line of order.lines.filter((l) => l.lineType === 'Item')) {
      line.shippedQuantity = line.quantity;
      line.version++;
    }
    order.lastModifiedDateTime = this.stamp();
  }

  /** A customer as the API serves it, by its id. */
  customer(id: string): ODataRecord | undefined {
    const customer = this.customersById.get(id.toLowerCase());
    return customer === undefined ? undefined : this.serializeCustomer(customer);
  }

  /** A customer a BC user created (no ledger entry): what a connector may find by e-mail. Returns its id. */
  addCustomer(
    fields: Partial<Record<(typeof CUSTOMER_TEXT_FIELDS)[number], string>> & { displayName: string },
  ): string {
    const customer: SimCustomer = {
      id: randomUUID(),
      number: `C${++this.counters.customer}`,
      version: 1,
      writeCount: 0,
      lastModifiedDateTime: this.stamp(),
      fields: { type: 'Person', ...fields },
    };
    this.customersById.set(customer.id, customer);
    return customer.id;
  }

  /**
   * Sends webhook notifications, as BC does after its 30 s batching delay (here at once): one POST per notification
   * URL with every change of the subscriptions there on `entitySet`. Returns each URL's answer status (0 = no
   * answer). A subscription whose endpoint answers anything but 2xx, 408, 429 or 5xx is deleted, as BC does.
   */
  async notify(
    changes: Array<{ entitySet: string; id?: string; changeType: 'created' | 'updated' | 'deleted' | 'collection' }>,
    clientStateOverride?: string,
  ): Promise<Array<{ notificationUrl: string; status: number }>> {
    const byUrl = new Map<string, { subscriptions: SimSubscription[]; value: unknown[] }>();
    const company = `api/v2.0/companies(${this.identity.companyId})`;
    for (const change of changes) {
      for (const subscription of this.subscriptionsById.values()) {
        if (entitySetOfResource(subscription.resource) !== change.entitySet) {
          continue;
        }
        const entry = byUrl.get(subscription.notificationUrl) ?? { subscriptions: [], value: [] };
        if (!entry.subscriptions.includes(subscription)) {
          entry.subscriptions.push(subscription);
        }
        const resource =
          change.changeType === 'collection'
            ? `${company}/${change.entitySet}?$filter=lastModifiedDateTime%20gt%20${new Date(Date.now() - 30_000).toISOString()}`
            : `${company}/${change.entitySet}(${change.id ?? randomUUID()})`;
        entry.value.push({
          subscriptionId: subscription.subscriptionId,
          clientState: clientStateOverride ?? subscription.clientState,
          expirationDateTime: subscription.expirationDateTime,
          resource,
          changeType: change.changeType,
          lastModifiedDateTime: new Date().toISOString(),
        });
        byUrl.set(subscription.notificationUrl, entry);
      }
    }
    const results: Array<{ notificationUrl: string; status: number }> = [];
    for (const [notificationUrl, entry] of byUrl) {
      let status = 0;
      try {
        const response = await fetch(notificationUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ value: entry.value }),
          signal: AbortSignal.timeout(this.handshakeTimeoutMs),
        });
        await response.text();
        status = response.status;
      } catch {
        status = 0;
      }
      const retryable = status === 0 || status === 408 || status === 429 || status >= 500;
      if (!retryable && (status < 200 || status >= 300)) {
        for (const subscription of entry.subscriptions) {
          this.subscriptionsById.delete(subscription.subscriptionId);
        }
      }
      results.push({ notificationUrl, status });
    }
    return results;
  }

  // ---- SimulatedErpVendor ---------------------------------------------------------------------------------------

  handleUngoverned(request: SimRequest): SimResponse | undefined {
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(request.url.pathname);
    if (match === null) {
      return undefined;
    }
    if (request.method !== 'POST') {
      return entraError(405, 'invalid_request', 'AADSTS900561: The endpoint only accepts POST requests.');
    }
    const form = new URLSearchParams(request.body.toString('utf8'));
    const refuse = (status: number, error: string, description: string) => {
      this.tokenStats.refused++;
      return entraError(status, error, description);
    };
    if (decodeURIComponent(match[1]) !== this.identity.tenantId) {
      return refuse(400, 'invalid_request', `AADSTS90002: Tenant '${match[1]}' not found.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return refuse(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    if (form.get('client_id') !== this.identity.clientId) {
      return refuse(
        400,
        'unauthorized_client',
        `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${this.identity.tenantId}'.`,
      );
    }
    if (form.get('client_secret') !== this.identity.clientSecret) {
      return refuse(
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.identity.clientId}'.`,
      );
    }
    if (form.get('scope') !== SCOPE) {
      return refuse(
        400,
        'invalid_scope',
        `AADSTS1002012: The provided value for scope ${form.get('scope') ?? ''} is not valid.`,
      );
    }
    const accessToken = `simbc.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, {
      tenantId: this.identity.tenantId,
      clientId: this.identity.clientId,
      generation: this.generation,
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
    });
    this.tokenStats.issued++;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: this.tokenLifetimeSeconds,
        ext_expires_in: this.tokenLifetimeSeconds,
        access_token: accessToken,
      },
    };
  }

  authenticate(request: SimRequest): SimResponse | undefined {
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const issued = token === undefined ? undefined : this.tokens.get(token);
    const tenant = /^\/v2\.0\/([^/]+)\//.exec(request.url.pathname)?.[1];
    if (
      issued === undefined ||
      issued.expiresAt <= Date.now() ||
      issued.generation !== this.generation ||
      issued.clientId !== this.identity.clientId ||
      (tenant !== undefined && decodeURIComponent(tenant) !== issued.tenantId)
    ) {
      return this.authFailure();
    }
    return undefined;
  }

  authFailure(): SimResponse {
    return {
      status: 401,
      headers: {
        'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${this.identity.tenantId}/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com"`,
      },
      body: bcError('Authentication_InvalidCredentials', 'The server has rejected the client credentials.'),
    };
  }

  throttled(reason: 'concurrency' | 'rate', retryAfterSeconds: number): SimResponse {
    return {
      status: 429,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      body: bcError(
        'Application_TooManyRequests',
        reason === 'concurrency'
          ? 'Too many concurrent requests. The request limit of the user has been exceeded.'
          : 'Too many requests in the sliding window. The rate limit of the user has been exceeded.',
      ),
    };
  }

  unavailable(): SimResponse {
    return {
      status: 503,
      body: bcError('Internal_TenantUnavailable', `The tenant '${this.identity.tenantId}' is not accessible.`),
    };
  }

  serverError(): SimResponse {
    return { status: 500, body: bcError('Internal_ServerError', 'An unexpected error occurred.') };
  }

  isWrite(request: SimRequest): boolean {
    return request.method === 'POST' || request.method === 'PATCH' || request.method === 'DELETE';
  }

  async handle(request: SimRequest, context: SimContext): Promise<SimResponse> {
    this.catalog = context.catalog;
    const route = `${request.method} ${entitySetPath(request.url.pathname)}`;
    this.tally.set(route, (this.tally.get(route) ?? 0) + 1);
    try {
      return await this.route(request, context);
    } catch (error) {
      if (error instanceof ODataError) {
        return { status: error.status, body: bcError(error.code, error.message) };
      }
      throw error;
    }
  }

  orders(): SimulatedOrderView[] {
    return [...this.ordersById.values()].map((order) => {
      const state = this.orderState(order);
      return {
        externalId: order.fields.externalDocumentNumber ?? '',
        internalId: order.id,
        status: state.status,
        sourceUpdatedAt: state.sourceUpdatedAt,
        total: documentTotal(order).toFixed(2),
        writeCount: order.writeCount,
        lines: order.lines
          .filter((line) => line.lineType === 'Item')
          .map((line) => ({ sku: this.lineSku(line), quantity: line.quantity })),
        ...(order.fields.currencyCode === undefined ? {} : { currency: order.fields.currencyCode }),
        ...(order.fields.paymentTermsId === undefined ? {} : { paymentTerms: order.fields.paymentTermsId }),
        ...this.purchaseOrderNumber(order),
      };
    });
  }

  /** The PO number a B2B order carries in its `Customer PO …` comment line (API v2.0 has no field for it). */
  private purchaseOrderNumber(order: SimDocument): { purchaseOrderNumber?: string } {
    const line = order.lines.find((l) => l.lineType === 'Comment' && (l.description ?? '').startsWith('Customer PO '));
    return line === undefined ? {} : { purchaseOrderNumber: (line.description ?? '').slice('Customer PO '.length) };
  }

  /**
   * The requests that reached the API (past auth, throttling and faults) since the last reset, per `METHOD entitySet`
   * with keys left out (`GET customers`, `POST salesOrders`, `PATCH salesOrders/salesOrderLines`): what a test counts
   * calls per order with. Token requests to the simulated Entra endpoint are not among them.
   */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.tally.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  counts(): { customers: number; salesOrders: number } {
    return { customers: this.customersById.size, salesOrders: this.ordersById.size };
  }

  /** The customer payment journal lines, for tests. */
  customerPayments(): Array<Readonly<SimCustomerPayment>> {
    return [...this.paymentsById.values()].map((payment) => ({ ...payment }));
  }

  customers(): SimulatedCustomerView[] {
    return [...this.customersById.values()].map((customer) => ({
      internalId: customer.id,
      externalId: null,
      email: customer.fields.email || null,
      writeCount: customer.writeCount,
      ...(customer.fields.type === 'Company' ? { name: customer.fields.displayName ?? null } : {}),
    }));
  }

  reset(): void {
    this.tally.clear();
    this.customersById.clear();
    this.ordersById.clear();
    this.creditMemosById.clear();
    this.paymentsById.clear();
    this.subscriptionsById.clear();
    this.journalLinesById.clear();
    this.pendingConflicts = 0;
    this.counters = { customer: 10000, order: 101000, creditMemo: 104000 };
    if (this.identity.clientSecret !== this.initialSecret) {
      this.setClientSecret(this.initialSecret);
    }
  }

  /**
   * BC's "Merge Duplicate": the survivor keeps its values and takes the merged customer's where it has none, the
   * merged customer's documents move to it, and the merged customer is deleted. Without `into`, a deletion. Either
   * way its id is "The Customer does not exist" from then on.
   */
  mergeCustomer(internalId: string, into?: string): void {
    const merged = this.customersById.get(internalId.toLowerCase());
    if (merged === undefined) {
      throw new Error(`no customer ${internalId}`);
    }
    const survivor = into === undefined ? undefined : this.customersById.get(into.toLowerCase());
    if (into !== undefined && survivor === undefined) {
      throw new Error(`no customer ${into}`);
    }
    this.customersById.delete(merged.id);
    if (survivor === undefined) {
      return;
    }
    for (const [field, value] of Object.entries(merged.fields)) {
      if ((survivor.fields[field] ?? '') === '' && value !== '') {
        survivor.fields[field] = value;
      }
    }
    survivor.version++;
    survivor.lastModifiedDateTime = this.stamp();
    for (const doc of [...this.ordersById.values(), ...this.creditMemosById.values()]) {
      if (doc.customerId === merged.id) {
        doc.customerId = survivor.id;
      }
    }
  }

  // ---- routing --------------------------------------------------------------------------------------------------

  private async route(request: SimRequest, context: SimContext): Promise<SimResponse> {
    const match = /^\/v2\.0\/([^/]+)\/([^/]+)\/api\/v2\.0\/?(.*)$/.exec(request.url.pathname);
    if (match === null) {
      // ASP.NET Web API's routing answer, as BC gives it for a base URL without its /v2.0 (…/{tenant}/{env}/api/…).
      throw new ODataError(
        404,
        'BadRequest_NotFound',
        `No HTTP resource was found that matches the request URI '${request.origin}${request.url.pathname}${request.url.search}'.`,
      );
    }
    if (decodeURIComponent(match[2]) !== this.identity.environment) {
      throw new ODataError(404, 'NoEnvironmentFound', `Environment '${decodeURIComponent(match[2])}' was not found.`);
    }
    const segments = splitSegments(decodeURIComponent(match[3]));
    const [first, ...rest] = segments;
    if (first === undefined) {
      throw new ODataError(404, 'BadRequest_ResourceNotFound', 'Resource not found.');
    }
    if (first.name === 'subscriptions') {
      return this.routeSubscriptions(request, first.key);
    }
    if (first.name !== 'companies') {
      throw resourceNotFound(first.name);
    }
    if (first.key === undefined) {
      return ok(200, { value: [this.companyRecord()] });
    }
    if (first.key.toLowerCase() !== this.identity.companyId.toLowerCase()) {
      throw new ODataError(
        404,
        'Internal_CompanyNotFound',
        `Cannot process the request because the company '${first.key}' cannot be found.`,
      );
    }
    const [entity, child, ...tooDeep] = rest;
    if (entity === undefined) {
      return ok(200, applySelect(this.companyRecord(), request.url.searchParams.get('$select')));
    }
    if (tooDeep.length > 0) {
      throw resourceNotFound(tooDeep[0].name);
    }
    switch (entity.name) {
      case 'customers':
        return this.routeCustomers(request, entity.key, context);
      case 'salesOrders':
        return this.routeDocuments(request, 'salesOrder', entity.key, child, context);
      case 'salesCreditMemos':
        return this.routeDocuments(request, 'salesCreditMemo', entity.key, child, context);
      case 'salesInvoices':
        return this.readOnly(request, () =>
          this.collection(
            request,
            [],
            'salesInvoice',
            ['id', 'number', 'externalDocumentNumber', 'customerId', 'currencyCode', 'lastModifiedDateTime'],
            'number',
          ),
        );
      case 'items':
        return this.readOnly(request, () => this.routeItems(request, entity.key));
      case 'itemVariants':
        return this.readOnly(request, () =>
          this.collection(
            request,
            this.variantRecords(),
            'itemVariant',
            ['id', 'itemId', 'itemNumber', 'code', 'description'],
            'itemNumber,code',
          ),
        );
      case 'salesShipments':
        return this.readOnly(request, () => this.routeShipments(request));
      case 'customerPaymentJournals':
        return child === undefined
          ? this.readOnly(request, () =>
              this.collection(
                request,
                BC_SIM_PAYMENT_JOURNALS.map((journal) => ({ ...journal })),
                'customerPaymentJournal',
                ['id', 'code', 'displayName', 'balancingAccountNumber'],
                'code',
              ),
            )
          : this.routeCustomerPayments(request, entity.key, child, context);
      case 'journals':
        return this.routeJournals(request, entity.key, child);
      case 'paymentTerms':
        return this.readOnly(request, () =>
          this.collection(
            request,
            BC_SIM_PAYMENT_TERMS.map((terms) => ({ ...terms })),
            'paymentTerm',
            ['id', 'code', 'displayName'],
            'code',
          ),
        );
      default:
        throw resourceNotFound(entity.name);
    }
  }

  /**
   * `journals` (the general journal batches, read only) and `journals({id})/journalLines`: GET (with `$filter`) and
   * POST. A line names a `G/L Account` or `Bank Account` by `accountNumber`, which must exist; lines are never posted.
   */
  private routeJournals(
    request: SimRequest,
    key: string | undefined,
    child: { name: string; key?: string } | undefined,
  ): SimResponse {
    if (key === undefined) {
      return this.readOnly(request, () =>
        this.collection(
          request,
          this.journals.map((j) => ({ ...j })),
          'journal',
          ['id', 'code', 'displayName'],
          'code',
        ),
      );
    }
    const journal = this.journals.find((j) => j.id.toLowerCase() === key.toLowerCase());
    if (journal === undefined) {
      throw new ODataError(404, 'BadRequest_NotFound', `The journal '${key}' does not exist.`);
    }
    if (child?.name !== 'journalLines' || child.key !== undefined) {
      throw resourceNotFound(child?.name ?? 'journals');
    }
    const lines = this.journalLinesById.get(journal.id) ?? [];
    if (request.method === 'GET') {
      return this.collection(
        request,
        lines.map((line) => ({ ...line })),
        'journalLine',
        JOURNAL_LINE_FIELDS,
        'lineNumber',
      );
    }
    if (request.method !== 'POST') {
      throw new ODataError(405, 'BadRequest_MethodNotAllowed', `'${request.method}' is not allowed on journalLines.`);
    }
    const body = readJson(request, 'journalLine', JOURNAL_LINE_WRITABLE);
    const accountType = typeof body.accountType === 'string' ? body.accountType : 'G/L Account';
    const accountNumber = typeof body.accountNumber === 'string' ? body.accountNumber : '';
    const accounts =
      accountType === 'Bank Account' ? this.bankAccounts : accountType === 'G/L Account' ? this.glAccounts : undefined;
    if (accounts === undefined) {
      throw new ODataError(400, 'BadRequest', `Invalid accountType '${accountType}'.`);
    }
    if (!accounts.has(accountNumber)) {
      throw new ODataError(
        400,
        'Internal_RecordNotFound',
        `The ${accountType} does not exist. Identification fields and values: No.='${accountNumber}'`,
      );
    }
    if (typeof body.amount !== 'number' || !Number.isFinite(body.amount)) {
      throw new ODataError(400, 'BadRequest', `Invalid value for amount.`);
    }
    for (const [field, max] of [
      ['documentNumber', 20],
      ['externalDocumentNumber', 35],
      ['description', 100],
    ] as const) {
      const value = body[field];
      if (typeof value === 'string' && value.length > max) {
        throw new ODataError(
          400,
          'Internal_StringLengthExceeded',
          `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`,
        );
      }
    }
    const line: ODataRecord = {
      id: randomUUID(),
      journalId: journal.id,
      journalDisplayName: journal.code,
      lineNumber: (lines.length + 1) * 10000,
      accountType,
      accountId: '00000000-0000-0000-0000-000000000000',
      accountNumber,
      postingDate: typeof body.postingDate === 'string' ? body.postingDate : '0001-01-01',
      documentNumber: typeof body.documentNumber === 'string' ? body.documentNumber : '',
      externalDocumentNumber: typeof body.externalDocumentNumber === 'string' ? body.externalDocumentNumber : '',
      amount: body.amount,
      description: typeof body.description === 'string' ? body.description : '',
      comment: typeof body.comment === 'string' ? body.comment : '',
      lastModifiedDateTime: this.stamp(),
    };
    this.journalLinesById.set(journal.id, [...lines, line]);
    return ok(201, { ...line });
  }

  /** Oracle: the lines of a journal batch, by code, as written. */
  journalLines(code: string): ODataRecord[] {
    const journal = this.journals.find((j) => j.code === code);
    return journal === undefined ? [] : (this.journalLinesById.get(journal.id) ?? []).map((line) => ({ ...line }));
  }

  private readOnly(request: SimRequest, read: () => SimResponse): SimResponse {
    if (request.method !== 'GET') {
      throw new ODataError(
        405,
        'BadRequest_MethodNotAllowed',
        `'${request.method}' requests for this entity set are not allowed within Microsoft Dynamics 365 Business Central OData web services.`,
      );
    }
    return read();
  }

  private collection(
    request: SimRequest,
    records: ODataRecord[],
    entityType: string,
    fields: readonly string[],
    defaultOrderBy: string,
  ): SimResponse {
    const page = pageCollection(records, absoluteUrl(request), {
      entityType,
      fields,
      defaultOrderBy,
      serverPageSize: this.serverPageSize,
      maxPageSizeHeader: headerValue(request, 'prefer'),
    });
    const select = request.url.searchParams.get('$select');
    const body: ODataRecord = { value: page.value.map((record) => applySelect(record, select)) };
    if (page.nextLink !== undefined) {
      body['@odata.nextLink'] = page.nextLink;
    }
    const headers: Record<string, string> = {};
    if (page.appliedPageSize !== undefined) {
      headers['Preference-Applied'] = `odata.maxpagesize=${page.appliedPageSize}`;
    }
    return { status: 200, headers, body };
  }

  // ---- customer payments -----------------------------------------------------------------------------------------

  /**
   * `customerPaymentJournals({id})/customerPayments`: GET (with `$filter`) and POST of journal lines. A line needs a
   * customer the company has and a non-zero amount; BC fills the line number, journal name and customer number.
   */
  private routeCustomerPayments(
    request: SimRequest,
    journalKey: string | undefined,
    child: { name: string; key?: string },
    context: SimContext,
  ): SimResponse {
    const journal = BC_SIM_PAYMENT_JOURNALS.find((j) => j.id === journalKey?.toLowerCase());
    if (journal === undefined) {
      throw new ODataError(
        404,
        'Internal_RecordNotFound',
        `The Gen. Journal Batch does not exist. Identification fields and values: ID='${journalKey ?? ''}'`,
      );
    }
    if (child.name !== 'customerPayments' || child.key !== undefined) {
      throw resourceNotFound(child.name);
    }
    const lines = [...this.paymentsById.values()].filter((p) => p.journalId === journal.id);
    if (request.method === 'GET') {
      return this.collection(
        request,
        lines.map((p) => ({ ...p })),
        'customerPayment',
        CUSTOMER_PAYMENT_FIELDS,
        'lineNumber',
      );
    }
    if (request.method !== 'POST') {
      throw methodNotAllowed(request);
    }
    const body = readJson(
      request,
      'customerPayment',
      CUSTOMER_PAYMENT_FIELDS.filter((f) => f !== 'id'),
    );
    const customer = this.customersById.get(textOr(body.customerId, '').toLowerCase());
    if (customer === undefined) {
      throw new ODataError(
        400,
        'Internal_RecordNotFound',
        `The Customer does not exist. Identification fields and values: Id='${textOr(body.customerId, '')}'`,
      );
    }
    if (typeof body.amount !== 'number' || !Number.isFinite(body.amount) || body.amount === 0) {
      throw new ODataError(400, 'BadRequest', 'The amount of a customer payment must be a non-zero number.');
    }
    const externalDocumentNumber = textOr(body.externalDocumentNumber, '');
    if (externalDocumentNumber.length > 35) {
      throw new ODataError(
        400,
        'Application_StringExceededLength',
        `externalDocumentNumber can only have a length of 35`,
      );
    }
    const payment: SimCustomerPayment = {
      id: randomUUID(),
      journalId: journal.id,
      journalDisplayName: journal.displayName,
      lineNumber: (lines.length + 1) * 10000,
      customerId: customer.id,
      customerNumber: customer.number,
      postingDate: textOr(body.postingDate, new Date().toISOString().slice(0, 10)),
      documentNumber: textOr(body.documentNumber, ''),
      externalDocumentNumber,
      amount: body.amount,
      appliesToInvoiceId: textOr(body.appliesToInvoiceId, '00000000-0000-0000-0000-000000000000'),
      appliesToInvoiceNumber: textOr(body.appliesToInvoiceNumber, ''),
      description: textOr(body.description, ''),
      comment: textOr(body.comment, ''),
      lastModifiedDateTime: new Date().toISOString(),
    };
    this.paymentsById.set(payment.id, payment);
    context.commit({
      type: 'payment',
      externalId: externalDocumentNumber,
      internalId: payment.id,
      created: true,
      status: null,
      sourceUpdatedAt: null,
    });
    return ok(201, { ...payment });
  }

  // ---- customers ------------------------------------------------------------------------------------------------

  private routeCustomers(request: SimRequest, key: string | undefined, context: SimContext): SimResponse {
    if (key === undefined) {
      if (request.method === 'GET') {
        const records = prefilterTextEqualities(
          [...this.customersById.values()],
          request.url.searchParams.get('$filter'),
          CUSTOMER_TEXT_FIELDS,
          (c, field) => c.fields[field] ?? '',
        ).map((c) => this.serializeCustomer(c));
        return this.collection(
          request,
          records,
          'customer',
          ['id', 'number', 'lastModifiedDateTime', ...CUSTOMER_TEXT_FIELDS],
          'number',
        );
      }
      if (request.method === 'POST') {
        const body = readJson(request, 'customer', [...CUSTOMER_TEXT_FIELDS, 'number']);
        const fields = textFields(body, CUSTOMER_TEXT_FIELDS);
        if ((fields.displayName ?? '') === '') {
          throw new ODataError(
            400,
            'BadRequest_RequiredParamNotProvided',
            "Field 'displayName' must not be blank or empty.",
          );
        }
        const customer: SimCustomer = {
          id: randomUUID(),
          number: `C${++this.counters.customer}`,
          version: 1,
          writeCount: 1,
          lastModifiedDateTime: this.stamp(),
          fields: { type: 'Person', ...fields },
        };
        this.customersById.set(customer.id, customer);
        context.commit({
          type: 'customer',
          externalId: customer.fields.email || customer.fields.displayName || customer.id,
          internalId: customer.id,
          created: true,
          status: null,
          sourceUpdatedAt: null,
        });
        return ok(201, this.serializeCustomer(customer));
      }
      throw methodNotAllowed(request);
    }
    const customer = this.customersById.get(key.toLowerCase());
    if (customer === undefined) {
      throw new ODataError(
        404,
        'Internal_RecordNotFound',
        `The Customer does not exist. Identification fields and values: Id='{${key}}'`,
      );
    }
    if (request.method === 'GET') {
      return ok(200, this.serializeCustomer(customer));
    }
    if (request.method === 'PATCH') {
      this.checkEtag(request, customerEtag(customer));
      const body = readJson(request, 'customer', CUSTOMER_TEXT_FIELDS);
      Object.assign(customer.fields, textFields(body, CUSTOMER_TEXT_FIELDS));
      customer.version++;
      customer.writeCount++;
      customer.lastModifiedDateTime = this.stamp();
      context.commit({
        type: 'customer',
        externalId: customer.fields.email || customer.fields.displayName || customer.id,
        internalId: customer.id,
        created: false,
        status: null,
        sourceUpdatedAt: null,
      });
      return ok(200, this.serializeCustomer(customer));
    }
    throw methodNotAllowed(request);
  }

  // ---- sales orders and credit memos ----------------------------------------------------------------------------

  private routeDocuments(
    request: SimRequest,
    kind: 'salesOrder' | 'salesCreditMemo',
    key: string | undefined,
    child: { name: string; key?: string } | undefined,
    context: SimContext,
  ): SimResponse {
    const store = kind === 'salesOrder' ? this.ordersById : this.creditMemosById;
    const linesName = kind === 'salesOrder' ? 'salesOrderLines' : 'salesCreditMemoLines';
    const textFieldNames = kind === 'salesOrder' ? ORDER_TEXT_FIELDS : CREDIT_MEMO_TEXT_FIELDS;
    const expand = (request.url.searchParams.get('$expand') ?? '').split(',').map((s) => s.trim());
    if (key === undefined) {
      if (request.method === 'GET') {
        const records = prefilterTextEqualities(
          [...store.values()],
          request.url.searchParams.get('$filter'),
          textFieldNames,
          (doc, field) => doc.fields[field] ?? '',
        ).map((doc) => this.serializeDocument(kind, doc, expand.includes(linesName)));
        return this.collection(
          request,
          records,
          kind,
          ['id', 'number', 'customerId', 'customerNumber', 'status', 'lastModifiedDateTime', ...textFieldNames],
          'number',
        );
      }
      if (request.method === 'POST') {
        const body = readJson(request, kind, [...textFieldNames, 'customerId', 'customerNumber', linesName]);
        const doc = this.createDocument(kind, body, linesName, textFieldNames);
        store.set(doc.id, doc);
        this.commitDocument(kind, doc, context, true, undefined);
        return ok(201, this.serializeDocument(kind, doc, true));
      }
      throw methodNotAllowed(request);
    }
    const doc = store.get(key.toLowerCase());
    if (doc === undefined) {
      throw new ODataError(
        404,
        'Internal_RecordNotFound',
        `The ${kind === 'salesOrder' ? 'Sales Header' : 'Sales Cr.Memo Header'} does not exist. Identification fields and values: Id='{${key}}'`,
      );
    }
    if (child === undefined) {
      switch (request.method) {
        case 'GET':
          return ok(
            200,
            applySelect(
              this.serializeDocument(kind, doc, expand.includes(linesName)),
              request.url.searchParams.get('$select'),
            ),
          );
        case 'PATCH': {
          this.checkEtag(request, documentEtag(doc), () => this.touch(doc));
          const before = this.orderState(doc);
          const body = readJson(request, kind, [...textFieldNames, 'customerId']);
          if (typeof body.customerId === 'string' && body.customerId.toLowerCase() !== doc.customerId) {
            throw new ODataError(
              400,
              'Application_CallbackNotAllowed',
              'Changing the customer of a document with lines asks for confirmation, which an API call cannot give.',
            );
          }
          Object.assign(doc.fields, this.validatedTextFields(body, textFieldNames));
          this.touch(doc);
          this.commitDocument(kind, doc, context, false, before);
          return ok(200, this.serializeDocument(kind, doc, false));
        }
        case 'DELETE': {
          this.checkEtag(request, documentEtag(doc), () => this.touch(doc));
          store.delete(doc.id);
          return { status: 204 };
        }
        default:
          throw methodNotAllowed(request);
      }
    }
    if (child.name !== linesName) {
      throw resourceNotFound(child.name);
    }
    return this.routeLines(request, kind, doc, child.key, context);
  }

  private routeLines(
    request: SimRequest,
    kind: 'salesOrder' | 'salesCreditMemo',
    doc: SimDocument,
    lineKey: string | undefined,
    context: SimContext,
  ): SimResponse {
    if (lineKey === undefined) {
      if (request.method === 'GET') {
        return this.collection(
          request,
          doc.lines.map((l) => this.serializeLine(doc, l)),
          `${kind}Line`,
          ['id', ...LINE_FIELDS],
          'sequence',
        );
      }
      if (request.method === 'POST') {
        const before = this.orderState(doc);
        const line = this.validatedLine(readJson(request, `${kind}Line`, LINE_FIELDS), doc.nextSequence);
        doc.nextSequence += 10000;
        doc.lines.push(line);
        this.touch(doc);
        this.commitDocument(kind, doc, context, false, before);
        return ok(201, this.serializeLine(doc, line));
      }
      throw methodNotAllowed(request);
    }
    const line = doc.lines.find((l) => l.id === lineKey.toLowerCase());
    if (line === undefined) {
      throw new ODataError(
        404,
        'Internal_RecordNotFound',
        `The Sales Line does not exist. Identification fields and values: Id='{${lineKey}}'`,
      );
    }
    switch (request.method) {
      case 'GET':
        return ok(200, this.serializeLine(doc, line));
      case 'PATCH': {
        this.checkEtag(request, lineEtag(line), () => {
          line.version++;
          this.touch(doc);
        });
        const before = this.orderState(doc);
        const body = readJson(request, `${kind}Line`, LINE_FIELDS);
        if (typeof body.quantity === 'number' && body.quantity < (line.shippedQuantity ?? 0)) {
          throw new ODataError(400, 'Application_DialogException', 'Quantity cannot be less than Quantity Shipped.');
        }
        const merged = this.validatedLine({ ...this.lineInput(line), ...body }, line.sequence);
        Object.assign(line, { ...merged, id: line.id, version: line.version + 1 });
        this.touch(doc);
        this.commitDocument(kind, doc, context, false, before);
        return ok(200, this.serializeLine(doc, line));
      }
      case 'DELETE': {
        this.checkEtag(request, lineEtag(line), () => {
          line.version++;
          this.touch(doc);
        });
        if ((line.shippedQuantity ?? 0) > 0) {
          throw new ODataError(400, 'Application_DialogException', 'You cannot delete a line that has been shipped.');
        }
        const before = this.orderState(doc);
        doc.lines = doc.lines.filter((l) => l !== line);
        this.touch(doc);
        this.commitDocument(kind, doc, context, false, before);
        return { status: 204 };
      }
      default:
        throw methodNotAllowed(request);
    }
  }

  private createDocument(
    kind: 'salesOrder' | 'salesCreditMemo',
    body: ODataRecord,
    linesName: string,
    textFieldNames: readonly string[],
  ): SimDocument {
    const customer = this.resolveCustomer(body);
    const fields = this.validatedTextFields(body, textFieldNames);
    if (fields.externalDocumentNumber !== undefined) {
      // Code[35]: BC stores codes upper-cased.
      fields.externalDocumentNumber = fields.externalDocumentNumber.toUpperCase();
    }
    const linesInput = body[linesName];
    if (linesInput !== undefined && !Array.isArray(linesInput)) {
      throw new ODataError(400, 'BadRequest', `'${linesName}' must be a collection.`);
    }
    // A deep insert is one transaction: validate every line before anything is stored.
    const lines = ((linesInput ?? []) as unknown[]).map((input, index) => {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new ODataError(400, 'BadRequest', 'Invalid Request Body');
      }
      const unknown = Object.keys(input).filter((k) => !(LINE_FIELDS as readonly string[]).includes(k));
      if (unknown.length > 0) {
        throw unknownProperty(unknown[0], `${kind}Line`);
      }
      return this.validatedLine(input as ODataRecord, (index + 1) * 10000);
    });
    const counter = kind === 'salesOrder' ? ++this.counters.order : ++this.counters.creditMemo;
    return {
      id: randomUUID(),
      number: kind === 'salesOrder' ? `S-ORD${counter}` : `S-CR${counter}`,
      version: 1,
      writeCount: 1,
      lastModifiedDateTime: this.stamp(),
      fields: { orderDate: new Date().toISOString().slice(0, 10), ...fields },
      customerId: customer.id,
      lines,
      nextSequence: (lines.length + 1) * 10000,
    };
  }

  private resolveCustomer(body: ODataRecord): SimCustomer {
    const byId =
      typeof body.customerId === 'string' ? this.customersById.get(body.customerId.toLowerCase()) : undefined;
    const byNumber =
      typeof body.customerNumber === 'string'
        ? [...this.customersById.values()].find((c) => c.number === body.customerNumber)
        : undefined;
    const customer = byId ?? byNumber;
    if (customer === undefined) {
      if (body.customerId === undefined && body.customerNumber === undefined) {
        throw new ODataError(400, 'Application_DialogException', 'A customerNumber or a customerID must be provided.');
      }
      throw new ODataError(
        400,
        'Internal_RecordNotFound',
        `The Customer does not exist. Identification fields and values: ${byId === undefined && body.customerId !== undefined ? `Id='{${JSON.stringify(body.customerId)}}'` : `No.='${JSON.stringify(body.customerNumber)}'`}`,
      );
    }
    return customer;
  }

  private validatedTextFields(body: ODataRecord, names: readonly string[]): Record<string, string> {
    const fields = textFields(body, names);
    for (const [name, value] of Object.entries(fields)) {
      const max = MAX_LENGTH[name] ?? 100;
      if (value.length > max) {
        throw new ODataError(
          400,
          'Application_StringExceededLength',
          `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`,
        );
      }
    }
    if (fields.orderDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(fields.orderDate)) {
      throw new ODataError(400, 'BadRequest', 'Unable to convert value to Date');
    }
    const termsId = fields.paymentTermsId;
    if (termsId !== undefined && !BC_SIM_PAYMENT_TERMS.some((terms) => terms.id === termsId.toLowerCase())) {
      throw new ODataError(
        404,
        'Internal_RecordNotFound',
        `The Payment Terms does not exist. Identification fields and values: Id='{${termsId}}'`,
      );
    }
    return fields;
  }

  private validatedLine(input: ODataRecord, sequence: number): SimLine {
    const lineType = input.lineType ?? 'Item';
    if (lineType !== 'Item' && lineType !== 'Account' && lineType !== 'Comment') {
      throw new ODataError(
        400,
        'Application_EvaluateException',
        `The value ${JSON.stringify(lineType)} cannot be evaluated into type Option.`,
      );
    }
    const description = typeof input.description === 'string' ? input.description : '';
    if (description.length > 100) {
      throw new ODataError(
        400,
        'Application_StringExceededLength',
        `The length of the string is ${description.length}, but it must be less than or equal to 100 characters. Value: ${description}`,
      );
    }
    const number = (name: string): number => {
      const value = input[name];
      if (value === undefined || value === null) {
        return 0;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ODataError(
          400,
          'BadRequest',
          `Cannot convert the literal ${JSON.stringify(value)} to the expected type 'Edm.Decimal'.`,
        );
      }
      return value;
    };
    const line: SimLine = {
      id: typeof input.id === 'string' ? input.id : randomUUID(),
      sequence,
      lineType,
      itemId: EMPTY_GUID,
      itemVariantId: EMPTY_GUID,
      lineObjectNumber: '',
      description,
      quantity: lineType === 'Comment' ? 0 : number('quantity'),
      unitPrice: lineType === 'Comment' ? 0 : number('unitPrice'),
      discountAmount: lineType === 'Comment' ? 0 : number('discountAmount'),
      version: 1,
    };
    if (lineType === 'Item') {
      const item = this.resolveItem(input);
      line.itemId = itemGuid(item.internalId);
      line.lineObjectNumber = item.sku;
      line.description ||= item.name;
      const variantId = typeof input.itemVariantId === 'string' ? input.itemVariantId.toLowerCase() : EMPTY_GUID;
      if (variantId !== EMPTY_GUID) {
        const variant = this.catalogItems().find(
          (v) => v.parentSku === item.sku && variantGuid(v.internalId) === variantId,
        );
        if (variant === undefined) {
          throw new ODataError(
            400,
            'Internal_RecordNotFound',
            `The Item Variant does not exist. Identification fields and values: Id='{${variantId}}'`,
          );
        }
        line.itemVariantId = variantId;
      }
    } else if (lineType === 'Account') {
      const account = typeof input.lineObjectNumber === 'string' ? input.lineObjectNumber : '';
      if (!this.glAccounts.has(account)) {
        throw new ODataError(
          400,
          'Internal_RecordNotFound',
          `The G/L Account does not exist. Identification fields and values: No.='${account}'`,
        );
      }
      line.lineObjectNumber = account;
    }
    if (line.quantity < 0) {
      throw new ODataError(400, 'Application_FieldValidationException', 'Quantity must not be negative.');
    }
    if (line.discountAmount !== 0 && line.discountAmount > line.quantity * line.unitPrice + 0.00001) {
      throw new ODataError(
        400,
        'Application_DialogException',
        `Line Discount Amount must not be greater than the line amount (${(line.quantity * line.unitPrice).toFixed(2)}).`,
      );
    }
    return line;
  }

  private resolveItem(input: ODataRecord): SimItem {
    const items = this.catalogItems().filter((item) => item.parentSku === null);
    if (typeof input.itemId === 'string' && input.itemId !== EMPTY_GUID) {
      const item = items.find((candidate) => itemGuid(candidate.internalId) === String(input.itemId).toLowerCase());
      if (item === undefined) {
        throw new ODataError(
          400,
          'Internal_RecordNotFound',
          `The Item does not exist. Identification fields and values: Id='{${input.itemId}}'`,
        );
      }
      return item;
    }
    if (typeof input.lineObjectNumber === 'string' && input.lineObjectNumber !== '') {
      const item = items.find(
        (candidate) => candidate.sku.toUpperCase() === String(input.lineObjectNumber).toUpperCase(),
      );
      if (item === undefined) {
        throw new ODataError(
          400,
          'Internal_RecordNotFound',
          `The Item does not exist. Identification fields and values: No.='${input.lineObjectNumber}'`,
        );
      }
      return item;
    }
    throw new ODataError(
      400,
      'Application_DialogException',
      'An itemId or a lineObjectNumber must be provided for an Item line.',
    );
  }

  private lineInput(line: SimLine): ODataRecord {
    return {
      lineType: line.lineType,
      itemId: line.itemId,
      itemVariantId: line.itemVariantId,
      lineObjectNumber: line.lineObjectNumber,
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountAmount: line.discountAmount,
    };
  }

  private touch(doc: SimDocument): void {
    doc.version++;
    doc.writeCount++;
    doc.lastModifiedDateTime = this.stamp();
  }

  private commitDocument(
    kind: 'salesOrder' | 'salesCreditMemo',
    doc: SimDocument,
    context: SimContext,
    created: boolean,
    before: { status: string; sourceUpdatedAt: string | null } | undefined,
  ): void {
    if (kind === 'salesCreditMemo') {
      if (created) {
        context.commit({
          type: 'refund',
          externalId: doc.fields.externalDocumentNumber ?? '',
          internalId: doc.id,
          created,
          status: null,
          sourceUpdatedAt: null,
        });
      }
      return;
    }
    const state = this.orderState(doc);
    if (
      created ||
      before === undefined ||
      before.status !== state.status ||
      before.sourceUpdatedAt !== state.sourceUpdatedAt
    ) {
      context.commit({
        type: 'salesOrder',
        externalId: doc.fields.externalDocumentNumber ?? '',
        internalId: doc.id,
        created,
        status: state.status,
        sourceUpdatedAt: state.sourceUpdatedAt,
      });
    }
  }

  private orderState(doc: SimDocument): { status: string; sourceUpdatedAt: string | null } {
    const comments = doc.lines.filter((l) => l.lineType === 'Comment').map((l) => l.description);
    const marked = comments.some((c) => c.startsWith(CANCELLED_PREFIX));
    const empty = doc.lines.filter((l) => l.lineType !== 'Comment').every((l) => l.quantity === 0);
    const updatedAt = comments.find((c) => c.startsWith(UPDATED_AT_PREFIX));
    return {
      status: marked && empty ? 'cancelled' : 'open',
      sourceUpdatedAt: updatedAt === undefined ? null : updatedAt.slice(UPDATED_AT_PREFIX.length).trim(),
    };
  }

  /**
   * ETag check of a sales document (or line). An armed concurrent edit first saves the record "as another user",
   * so the client's ETag is stale.
   */
  private checkEtag(request: SimRequest, current: () => string, concurrentEdit?: () => void): void {
    const ifMatch = headerValue(request, 'if-match');
    if (ifMatch === undefined || ifMatch.trim() === '') {
      throw new ODataError(
        400,
        'BadRequest_InvalidToken',
        'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
      );
    }
    if (concurrentEdit !== undefined && this.pendingConflicts > 0) {
      this.pendingConflicts--;
      concurrentEdit();
      throw new ODataError(409, 'Request_EntityChanged', 'Another user has already changed the record.');
    }
    if (ifMatch.trim() !== '*' && ifMatch.trim() !== current()) {
      throw new ODataError(409, 'Request_EntityChanged', 'Another user has already changed the record.');
    }
  }

  // ---- items, variants, shipments -------------------------------------------------------------------------------

  private catalogItems(): SimItem[] {
    return this.catalog?.listItems() ?? [];
  }

  private routeItems(request: SimRequest, key: string | undefined): SimResponse {
    const expandVariants = (request.url.searchParams.get('$expand') ?? '').includes('itemVariants');
    const all = this.catalogItems();
    const stock = new Map<string, number>();
    for (const level of this.catalog?.listStock() ?? []) {
      stock.set(level.sku, (stock.get(level.sku) ?? 0) + level.onHand);
    }
    const variantsOf = new Map<string, SimItem[]>();
    for (const item of all) {
      if (item.parentSku !== null) {
        variantsOf.set(item.parentSku, [...(variantsOf.get(item.parentSku) ?? []), item]);
      }
    }
    const records = all
      .filter((item) => item.parentSku === null)
      .map((item) => {
        const record: ODataRecord = {
          '@odata.etag': `W/"${Buffer.from(`'${item.internalId};${item.lastModified};'`).toString('base64')}"`,
          id: itemGuid(item.internalId),
          number: item.sku,
          displayName: item.name,
          type: 'Inventory',
          itemCategoryCode: '',
          blocked: !item.active,
          gtin: item.barcode ?? '',
          inventory: stock.get(item.sku) ?? 0,
          unitPrice: Number(item.price),
          priceIncludesTax: false,
          unitCost: Number(item.cost),
          taxGroupCode: '',
          baseUnitOfMeasureCode: 'PCS',
          lastModifiedDateTime: item.lastModified,
        };
        if (expandVariants) {
          record.itemVariants = (variantsOf.get(item.sku) ?? []).map((variant) => this.variantRecord(item, variant));
        }
        return record;
      });
    if (key !== undefined) {
      const record = records.find((r) => r.id === key.toLowerCase());
      if (record === undefined) {
        throw new ODataError(
          404,
          'Internal_RecordNotFound',
          `The Item does not exist. Identification fields and values: Id='{${key}}'`,
        );
      }
      return ok(200, applySelect(record, request.url.searchParams.get('$select')));
    }
    return this.collection(
      request,
      records,
      'item',
      [
        'id',
        'number',
        'displayName',
        'type',
        'blocked',
        'gtin',
        'inventory',
        'unitPrice',
        'unitCost',
        'lastModifiedDateTime',
      ],
      'number',
    );
  }

  private variantRecords(): ODataRecord[] {
    const all = this.catalogItems();
    return all
      .filter((item) => item.parentSku !== null)
      .flatMap((variant) => {
        const parent = all.find((item) => item.sku === variant.parentSku && item.parentSku === null);
        return parent === undefined ? [] : [this.variantRecord(parent, variant)];
      });
  }

  private variantRecord(parent: SimItem, variant: SimItem): ODataRecord {
    return {
      '@odata.etag': `W/"${Buffer.from(`'${variant.internalId};${variant.lastModified};'`).toString('base64')}"`,
      id: variantGuid(variant.internalId),
      itemId: itemGuid(parent.internalId),
      itemNumber: parent.sku,
      code: variantCode(parent.sku, variant.sku),
      description: Object.values(variant.options).join(' / ') || variant.name,
    };
  }

  private routeShipments(request: SimRequest): SimResponse {
    const expandLines = (request.url.searchParams.get('$expand') ?? '').includes('salesShipmentLines');
    const items = this.catalogItems();
    const orders = [...this.ordersById.values()];
    const records = (this.catalog?.listShipments() ?? []).map((shipment) => {
      const id = shipmentGuid(shipment.internalId);
      const order = orders.find((o) => o.fields.externalDocumentNumber === shipment.orderExternalId.toUpperCase());
      const record: ODataRecord = {
        '@odata.etag': `W/"${Buffer.from(`'${shipment.internalId};${shipment.lastModified};'`).toString('base64')}"`,
        id,
        number: `S-SHP${102000 + Number(shipment.internalId)}`,
        externalDocumentNumber: shipment.orderExternalId.toUpperCase(),
        orderNumber: order?.number ?? '',
        customerNumber: order === undefined ? '' : (this.customersById.get(order.customerId)?.number ?? ''),
        postingDate: shipment.shippedAt.slice(0, 10),
        shipmentDate: shipment.shippedAt.slice(0, 10),
        shipmentMethodCode: '',
        lastModifiedDateTime: shipment.lastModified,
      };
      if (this.trackingNumberField !== null) {
        record[this.trackingNumberField] = shipment.trackingNumbers.join(' ');
      }
      if (this.carrierField !== null) {
        record[this.carrierField] = shipment.carrier ?? '';
      }
      if (expandLines) {
        record.salesShipmentLines = shipment.lines.map((line, index) => {
          const item = items.find((candidate) => candidate.sku === line.sku);
          return {
            '@odata.etag': `W/"${Buffer.from(`'${id};${index};'`).toString('base64')}"`,
            id: randomUUIDFrom(`${id}-${index}`),
            documentId: id,
            sequence: (index + 1) * 10000,
            lineType: 'Item',
            // A shipment line names the item, not the variant.
            lineObjectNumber: item?.parentSku ?? line.sku,
            description: item?.name ?? line.sku,
            quantity: line.quantity,
          };
        });
      }
      return record;
    });
    return this.collection(
      request,
      records,
      'salesShipment',
      ['id', 'number', 'externalDocumentNumber', 'orderNumber', 'postingDate', 'lastModifiedDateTime'],
      'number',
    );
  }

  // ---- subscriptions --------------------------------------------------------------------------------------------

  private async routeSubscriptions(request: SimRequest, key: string | undefined): Promise<SimResponse> {
    if (key === undefined) {
      if (request.method === 'GET') {
        return ok(200, { value: [...this.subscriptionsById.values()].map((s) => this.serializeSubscription(s)) });
      }
      if (request.method === 'POST') {
        const body = readJson(request, 'subscriptions', ['notificationUrl', 'resource', 'clientState']);
        const subscription = this.validatedSubscription(body);
        await this.handshake(subscription.notificationUrl);
        this.subscriptionsById.set(subscription.subscriptionId, subscription);
        return ok(201, this.serializeSubscription(subscription));
      }
      throw methodNotAllowed(request);
    }
    const id = key.replace(/^'(.*)'$/, '$1');
    const subscription = this.subscriptionsById.get(id);
    if (subscription === undefined) {
      throw new ODataError(
        404,
        'Internal_RecordNotFound',
        `The API Webhook Subscription does not exist. Identification fields and values: Subscription Id='${id}'`,
      );
    }
    switch (request.method) {
      case 'GET':
        return ok(200, this.serializeSubscription(subscription));
      case 'PATCH': {
        this.checkEtag(request, () => subscriptionEtag(subscription));
        const body = readJson(request, 'subscriptions', ['notificationUrl', 'resource', 'clientState']);
        const next = this.validatedSubscription({ ...this.serializeSubscription(subscription), ...body });
        await this.handshake(next.notificationUrl);
        Object.assign(subscription, {
          notificationUrl: next.notificationUrl,
          resource: next.resource,
          clientState: next.clientState,
          expirationDateTime: next.expirationDateTime,
          lastModifiedDateTime: next.lastModifiedDateTime,
          version: subscription.version + 1,
        });
        return ok(200, this.serializeSubscription(subscription));
      }
      case 'DELETE':
        this.checkEtag(request, () => subscriptionEtag(subscription));
        this.subscriptionsById.delete(subscription.subscriptionId);
        return { status: 204 };
      default:
        throw methodNotAllowed(request);
    }
  }

  private validatedSubscription(body: ODataRecord): SimSubscription {
    const notificationUrl = typeof body.notificationUrl === 'string' ? body.notificationUrl : '';
    const resource = typeof body.resource === 'string' ? body.resource : '';
    const clientState = typeof body.clientState === 'string' ? body.clientState : '';
    if (!/^https?:\/\//.test(notificationUrl)) {
      throw new ODataError(400, 'BadRequest', `The notification URL '${notificationUrl}' is not valid.`);
    }
    if (clientState.length > 2048) {
      throw new ODataError(
        400,
        'Application_StringExceededLength',
        'The client state must be 2048 characters or fewer.',
      );
    }
    const set = entitySetOfResource(resource);
    const company = /companies\(([^)]+)\)/.exec(resource)?.[1];
    if (set === undefined || company?.toLowerCase() !== this.identity.companyId || !WEBHOOK_ENTITY_SETS.includes(set)) {
      throw new ODataError(400, 'BadRequest', `The resource '${resource}' does not support webhook subscriptions.`);
    }
    const now = Date.now();
    return {
      subscriptionId: randomBytes(16).toString('hex'),
      notificationUrl,
      resource,
      clientState,
      expirationDateTime: new Date(now + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      lastModifiedDateTime: new Date(now).toISOString(),
      version: 1,
    };
  }

  /** BC's handshake: the subscriber must answer 200 with the validation token as its body. */
  private async handshake(notificationUrl: string): Promise<void> {
    const token = randomBytes(18).toString('base64url');
    const url = new URL(notificationUrl);
    url.searchParams.set('validationToken', token);
    let status = 0;
    let text = '';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        signal: AbortSignal.timeout(this.handshakeTimeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch {
      status = 0;
    }
    if (status !== 200 || text.trim() !== token) {
      throw new ODataError(
        400,
        'BadRequest',
        `The subscription could not be validated: the notification URL answered ${status === 0 ? 'nothing' : `HTTP ${status}`} instead of the validation token.`,
      );
    }
  }

  // ---- serialisation --------------------------------------------------------------------------------------------

  private companyRecord(): ODataRecord {
    return {
      id: this.identity.companyId,
      systemVersion: '25.0.0.0',
      timestamp: 1,
      name: 'CRONUS (simulated)',
      displayName: 'CRONUS (simulated)',
      businessProfileId: '',
      systemCreatedAt: '2026-01-01T00:00:00Z',
      systemCreatedBy: EMPTY_GUID,
      systemModifiedAt: '2026-01-01T00:00:00Z',
      systemModifiedBy: EMPTY_GUID,
    };
  }

  private serializeCustomer(customer: SimCustomer): ODataRecord {
    const record: ODataRecord = { '@odata.etag': customerEtag(customer)(), id: customer.id, number: customer.number };
    for (const field of CUSTOMER_TEXT_FIELDS) {
      record[field] = customer.fields[field] ?? '';
    }
    record.blocked = ' ';
    record.lastModifiedDateTime = customer.lastModifiedDateTime;
    return record;
  }

  private serializeDocument(kind: 'salesOrder' | 'salesCreditMemo', doc: SimDocument, withLines: boolean): ODataRecord {
    return kind === 'salesOrder' ? this.serializeOrder(doc, withLines) : this.serializeCreditMemo(doc, withLines);
  }

  private serializeOrder(doc: SimDocument, withLines: boolean): ODataRecord {
    const customer = this.customersById.get(doc.customerId);
    const total = Number(documentTotal(doc).toFixed(2));
    const record: ODataRecord = { '@odata.etag': documentEtag(doc)(), id: doc.id, number: doc.number };
    for (const field of ORDER_TEXT_FIELDS) {
      record[field] = doc.fields[field] ?? '';
    }
    Object.assign(record, {
      customerId: doc.customerId,
      customerNumber: customer?.number ?? '',
      customerName: customer?.fields.displayName ?? '',
      billToCustomerId: doc.customerId,
      billToCustomerNumber: customer?.number ?? '',
      pricesIncludeTax: false,
      discountAmount: 0,
      totalAmountExcludingTax: total,
      totalTaxAmount: 0,
      totalAmountIncludingTax: total,
      fullyShipped: false,
      status: 'Draft',
      lastModifiedDateTime: doc.lastModifiedDateTime,
    });
    if (withLines) {
      record.salesOrderLines = doc.lines.map((line) => this.serializeLine(doc, line));
    }
    return record;
  }

  private serializeCreditMemo(doc: SimDocument, withLines: boolean): ODataRecord {
    const customer = this.customersById.get(doc.customerId);
    const total = Number(documentTotal(doc).toFixed(2));
    const record: ODataRecord = { '@odata.etag': documentEtag(doc)(), id: doc.id, number: doc.number };
    for (const field of CREDIT_MEMO_TEXT_FIELDS) {
      record[field] = doc.fields[field] ?? '';
    }
    Object.assign(record, {
      customerId: doc.customerId,
      customerNumber: customer?.number ?? '',
      customerName: customer?.fields.displayName ?? '',
      totalAmountExcludingTax: total,
      totalTaxAmount: 0,
      totalAmountIncludingTax: total,
      status: 'Draft',
      lastModifiedDateTime: doc.lastModifiedDateTime,
    });
    if (withLines) {
      record.salesCreditMemoLines = doc.lines.map((line) => this.serializeLine(doc, line));
    }
    return record;
  }

  private serializeLine(doc: SimDocument, line: SimLine): ODataRecord {
    const amount = line.quantity * line.unitPrice - line.discountAmount;
    return {
      '@odata.etag': lineEtag(line)(),
      id: line.id,
      documentId: doc.id,
      sequence: line.sequence,
      itemId: line.itemId,
      accountId: EMPTY_GUID,
      lineType: line.lineType,
      lineObjectNumber: line.lineObjectNumber,
      description: line.description,
      unitOfMeasureCode: line.lineType === 'Item' ? 'PCS' : '',
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountAmount: line.discountAmount,
      discountPercent: 0,
      shippedQuantity: line.shippedQuantity ?? 0,
      invoicedQuantity: 0,
      amountExcludingTax: round2(amount),
      taxCode: '',
      taxPercent: 0,
      totalTaxAmount: 0,
      amountIncludingTax: round2(amount),
      netAmount: round2(amount),
      itemVariantId: line.itemVariantId,
    };
  }

  private serializeSubscription(subscription: SimSubscription): ODataRecord {
    return {
      '@odata.etag': subscriptionEtag(subscription),
      subscriptionId: subscription.subscriptionId,
      notificationUrl: subscription.notificationUrl,
      resource: subscription.resource,
      timestamp: subscription.version,
      userId: EMPTY_GUID,
      lastModifiedDateTime: subscription.lastModifiedDateTime,
      clientState: subscription.clientState,
      expirationDateTime: subscription.expirationDateTime,
    };
  }

  private lineSku(line: SimLine): string {
    if (line.itemVariantId !== EMPTY_GUID) {
      const variant = this.catalogItems().find((v) => variantGuid(v.internalId) === line.itemVariantId);
      if (variant !== undefined) {
        return variant.sku;
      }
    }
    return line.lineObjectNumber;
  }

  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }
}

// ---- helpers ----------------------------------------------------------------------------------------------------

function bcError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } };
}

function entraError(status: number, error: string, description: string): SimResponse {
  const now = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${now}`,
      error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
      timestamp: now,
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

const JOURNAL_LINE_FIELDS = [
  'id',
  'lineNumber',
  'accountType',
  'accountNumber',
  'postingDate',
  'documentNumber',
  'externalDocumentNumber',
  'amount',
  'description',
];
const JOURNAL_LINE_WRITABLE = [
  'lineNumber',
  'accountType',
  'accountId',
  'accountNumber',
  'postingDate',
  'documentNumber',
  'externalDocumentNumber',
  'amount',
  'description',
  'comment',
];

function ok(status: number, body: unknown): SimResponse {
  return { status, body };
}

function methodNotAllowed(request: SimRequest): ODataError {
  return new ODataError(
    405,
    'BadRequest_MethodNotAllowed',
    `'${request.method}' requests for this resource are not allowed within Microsoft Dynamics 365 Business Central OData web services.`,
  );
}

function resourceNotFound(segment: string): ODataError {
  return new ODataError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${segment}'.`);
}

function unknownProperty(name: string, entityType: string): ODataError {
  return new ODataError(
    400,
    'BadRequest',
    `The property '${name}' does not exist on type 'Microsoft.NAV.${entityType}'. Make sure to only use property names that are defined by the type.`,
  );
}

/** Parses the JSON body; a property the entity type does not have is BC's 400. */
/** A string property of a request body, else `fallback`. */
function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function readJson(request: SimRequest, entityType: string, allowed: readonly string[]): ODataRecord {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new ODataError(400, 'BadRequest', 'Invalid Request Body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ODataError(400, 'BadRequest', 'Invalid Request Body');
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key) && !key.startsWith('@odata.'));
  if (unknown.length > 0) {
    throw unknownProperty(unknown[0], entityType);
  }
  return body as ODataRecord;
}

function textFields(body: ODataRecord, names: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of names) {
    const value = body[name];
    if (value === undefined || value === null) {
      continue;
    }
    if (typeof value !== 'string') {
      throw new ODataError(
        400,
        'BadRequest',
        `Cannot convert a primitive value to the expected type 'Edm.String' for '${name}'.`,
      );
    }
    fields[name] = value;
  }
  return fields;
}

/** `companies(x)/salesOrders(y)/salesOrderLines` → segments with their keys. */
function splitSegments(path: string): Array<{ name: string; key?: string }> {
  if (path === '') {
    return [];
  }
  return path.split('/').map((segment) => {
    const match = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(segment);
    if (match === null) {
      throw new ODataError(404, 'BadRequest_NotFound', `Bad Request - Error in query syntax: '${segment}'`);
    }
    return match[2] === undefined ? { name: match[1] } : { name: match[1], key: match[2] };
  });
}

/** `…/api/v2.0/companies(<id>)/salesOrders(<id>)/salesOrderLines` → `salesOrders/salesOrderLines`. */
function entitySetPath(pathname: string): string {
  const [, path = ''] = /\/api\/v2\.0\/?(.*)$/.exec(pathname) ?? [];
  const names = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/\(.*\)$/, ''));
  return (names[0] === 'companies' && names.length > 1 ? names.slice(1) : names).join('/');
}

function entitySetOfResource(resource: string): string | undefined {
  return /companies\([^)]*\)\/([A-Za-z]+)/.exec(resource.split('?')[0] ?? '')?.[1];
}

function headerValue(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function absoluteUrl(request: SimRequest): URL {
  return new URL(`${request.url.pathname}${request.url.search}`, request.origin);
}

function documentTotal(doc: SimDocument): number {
  return doc.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice - line.discountAmount, 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function etag(id: string, version: number): string {
  return `W/"${Buffer.from(`'${id};${version};'`).toString('base64')}"`;
}

function customerEtag(customer: SimCustomer): () => string {
  return () => etag(customer.id, customer.version);
}

function documentEtag(doc: SimDocument): () => string {
  return () => etag(doc.id, doc.version);
}

function lineEtag(line: SimLine): () => string {
  return () => etag(line.id, line.version);
}

function subscriptionEtag(subscription: SimSubscription): string {
  return etag(subscription.subscriptionId, subscription.version);
}

/** Deterministic GUIDs for catalog records (BC ids are GUIDs; the catalog's are small numbers). */
export function itemGuid(internalId: string): string {
  return `00000000-0000-4000-8000-${internalId.padStart(12, '0')}`;
}

export function variantGuid(internalId: string): string {
  return `00000000-0000-4000-9000-${internalId.padStart(12, '0')}`;
}

function shipmentGuid(internalId: string): string {
  return `00000000-0000-4000-a000-${internalId.padStart(12, '0')}`;
}

function randomUUIDFrom(seed: string): string {
  const hex = Buffer.from(seed).toString('hex').padEnd(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The variant code of a catalog variant: its SKU without the parent's `<sku>-` prefix. */
export function variantCode(parentSku: string, variantSku: string): string {
  return variantSku.startsWith(`${parentSku}-`) ? variantSku.slice(parentSku.length + 1) : variantSku;
}
