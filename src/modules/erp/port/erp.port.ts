import type {
  ErpOrderMappingCapabilities,
  ErpPreviewContext,
  ErpWritePreview,
} from 'src/modules/erp/port/erp-order-mapping';
import type {
  ErpChangePage,
  ErpChangeStream,
  ErpCustomerDraft,
  ErpDeltaQuery,
  ErpDepositDraft,
  ErpInventoryLevel,
  ErpItemChange,
  ErpPaymentDraft,
  ErpPushOutcome,
  ErpPushRequest,
  ErpRecordRef,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpReturnRef,
  ErpSalesOrderDocument,
  ErpSalesOrderDraft,
  ErpSalesOrderEditOutcome,
  ErpSalesOrderQuery,
  ErpShipment,
  ErpWriteOptions,
} from 'src/modules/erp/port/erp.types';

/**
 * The operations the product needs from any ERP. Every write is idempotent on its external key, so that a
 * redelivered message never creates a second record. Failures are thrown as `ErpError` with a kind.
 */
export interface ErpPort {
  /** The connector's name, for logs, metrics and audit rows. */
  readonly name: string;

  /**
   * @description The vendor's default limits, used when ERP_MAX_CONCURRENCY / ERP_MAX_RPS are unset.
   */
  readonly defaultLimits: { maxConcurrency: number; maxRps?: number };

  /** The change streams this connector can read; undefined = all three. */
  readonly changeStreams?: readonly ErpChangeStream[];

  /** What an operator's mapping may set on this connector's sales orders (checked when a mapping is saved). */
  readonly orderMapping: ErpOrderMappingCapabilities;

  /**
   * The requests `upsertCustomer` (unless `context.knownCustomerErpId`) and `upsertSalesOrder` / `cancelSalesOrder`
   * would send for this order, built by the same mappers, and the look-up decisions on the way. Sends nothing and
   * reads only local cross-references: values only a look-up could find are shown as `<…>` placeholders.
   */
  previewOrderWrite(
    customer: ErpCustomerDraft,
    order: ErpSalesOrderDraft,
    context: ErpPreviewContext,
  ): Promise<ErpWritePreview>;

  /** Create or update the customer matched by email, then by `draft.externalId`. */
  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef>;

  /**
   * Create or update the sales order whose external id is `draft.externalId`; never duplicates on redelivery.
   * With `options.mayExist` false (no earlier attempt to write this order was recorded) the connector may create it
   * without looking it up first; absent options mean `mayExist: true`.
   */
  upsertSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef, options?: ErpWriteOptions): Promise<ErpRecordRef>;

  /**
   * @description Apply an edit (quantities, added or removed lines, shipping) of an order the ERP already holds, only
   * while the ERP may still change its document: first reads the document's state (NetSuite `orderStatus`, Business
   * Central the lines' shipped and invoiced quantities, Cin7 Core the sale's fulfilment and invoice status). Once the
   * ERP has shipped or invoiced any of it, nothing is written and `locked` says what the ERP reported. An order the
   * ERP does not hold is created, as by `upsertSalesOrder`. Only for an order written before: a first write never
   * pays for the state read.
   * @example
   * const result = await erp.editSalesOrder(draft, customer);
   * if (result.outcome === 'locked') { recordConflict(result.erpState); }
   */
  editSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpSalesOrderEditOutcome>;

  /**
   * Cancel (or close) the sales order with this external id. If the ERP has no such order yet, creates it from
   * `draft` in cancelled state, so that a cancel that overtook its create still ends cancelled. With
   * `options.mayExist` false the order cannot exist yet and is created cancelled without a look-up.
   */
  cancelSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef, options?: ErpWriteOptions): Promise<ErpRecordRef>;

  /**
   * Record a Shopify refund as the ERP's credit memo / credit note / return document, linked to the sales order
   * when the ERP has it. Idempotent on `draft.externalId` (the Shopify refund id).
   */
  createRefund(draft: ErpRefundDraft, order: ErpRecordRef): Promise<ErpRecordRef>;

  /**
   * @description Record an approved Shopify return as the ERP's return document, created from (or naming) the sales
   * order, with its lines by SKU, quantity and restock yes/no, and no money (the refund's credit memo is the money
   * document). When `draft.exchangeOrder` is set, also upserts that exchange sales order for the sales order's
   * customer. Idempotent on `draft.externalId` (the Shopify return id) and on the exchange order's external id.
   * @example
   * await erp.createReturn(draft, { erpId: '1042', externalId: '6004604174410' });
   */
  createReturn(draft: ErpReturnDraft, order: ErpRecordRef): Promise<ErpReturnRef>;

  /**
   * @description Record an order's tenders (gift cards and other configured gateways) as the ERP's payments against its
   * sales order: NetSuite `customerDeposit` (with `salesOrder`), Business Central `customerPayments` in the payment
   * journal, Cin7 Core `sale/payment` of type `PREPAYMENT`. Idempotent per `draft.externalId` (the Shopify
   * transaction id): a tender the ERP already holds is not written again. Returns one ref per draft, in order.
   * @example
   * await erp.recordPayments([{ externalId: '5001', gateway: 'gift_card', amount: '25.00', currency: 'USD', … }],
   *   { erpId: '5123', externalId: '6004604174410' }, customerRef);
   */
  recordPayments(
    drafts: readonly ErpPaymentDraft[],
    order: ErpRecordRef,
    customer: ErpRecordRef,
  ): Promise<ErpRecordRef[]>;

  /**
   * @description Record a Shopify Payments payout as a bank deposit (NetSuite `deposit`, Business Central general
   * journal lines, the sandbox's `deposit`), idempotent on `draft.externalId`: a second call for the same payout
   * creates nothing new and returns the same record. A connector whose ERP has no fitting record (Cin7 Core) says so
   * in `depositsUnsupported` and throws a Permanent `ErpError` here.
   * @example
   * await erp.createDeposit({ externalId: 'shopify-payout-512', payoutId: '512', depositDate: '2026-10-07',
   *   currency: 'EUR', bankAccount: '1', total: '91.10', memo: 'Shopify payout 512', lines: [...] });
   */
  createDeposit(draft: ErpDepositDraft): Promise<ErpRecordRef>;

  /** Why this connector cannot record deposits, when it cannot (the payouts job then deposits nothing). */
  readonly depositsUnsupported?: string;

  /**
   * @description The sales order documents the ERP holds for these Shopify orders, read from the ERP itself through
   * its documented listing (NetSuite SuiteQL on `transaction`, Business Central `salesOrders` with `$filter`, Cin7 Core
   * `saleList` then `sale`), every page. Two documents for one order are both returned; none is changed.
   * @example
   * const docs = await erp.listSalesOrders({ orders: [{ externalId: '6004604174410', reference: '#1019' }],
   *   from: '2026-10-05T00:00:00Z', to: '2026-10-06T00:00:00Z' });
   */
  listSalesOrders(query: ErpSalesOrderQuery): Promise<ErpSalesOrderDocument[]>;

  /** Items (with price, cost, barcode, variants) modified at or after `query.since`, oldest first, paged. */
  readItemChanges(query: ErpDeltaQuery): Promise<ErpChangePage<ErpItemChange>>;

  /** Stock per item and location modified at or after `query.since` (or all, where the ERP cannot filter). */
  readInventoryLevels(query: ErpDeltaQuery): Promise<ErpChangePage<ErpInventoryLevel>>;

  /** Shipments of Shopify orders modified at or after `query.since`, oldest first, paged. */
  readShipments(query: ErpDeltaQuery): Promise<ErpChangePage<ErpShipment>>;

  /**
   * Checks a push sent to `POST /webhooks/erp/:connector` and says which delta reads it should wake.
   * `secret` is the shared secret (or Business Central client state) configured for pushes; a push signed with a
   * timestamp (NetSuite) is refused outside `replayWindowMs` of now (ERP_PUSH_REPLAY_WINDOW_SECONDS).
   */
  verifyPush(request: ErpPushRequest, secret: string | undefined, options?: { replayWindowMs: number }): ErpPushOutcome;

  /**
   * For ERPs whose pushes need a subscription (Business Central): create the missing ones and renew those that
   * expire soon. Others resolve at once.
   */
  ensurePushSubscriptions(notificationUrl: string, secret: string): Promise<void>;

  /** Cheap authenticated call used by /health/ready and by the circuit breaker's probe. */
  checkConnection(): Promise<void>;
}

/**
 * @description The reads of a connector (the three delta reads and the gap report's sales order listing), for a
 * connector that keeps them in a class of their own.
 */
export type ErpDeltaReads = Pick<
  ErpPort,
  'readItemChanges' | 'readInventoryLevels' | 'readShipments' | 'listSalesOrders'
>;

export const ERP_PORT = Symbol('ERP_PORT');
