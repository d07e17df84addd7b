import type { ErpPaymentDraft, ErpSalesOrderDraft } from 'src/modules/erp';
import { compareMoney, isDecimalString, normaliseMoney, subtractMoney } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

/**
 * @description One Shopify order transaction as the Admin API's `Order.transactions` gives it (the orders webhooks do
 * not carry transactions, only `payment_gateway_names`). Amounts are exact decimals with their currency.
 */
export interface ShopifyTender {
  /** Numeric transaction id (the `OrderTransaction` GID's last part). */
  id: string;
  /** `SALE`, `CAPTURE`, `AUTHORIZATION`, `REFUND`, … (OrderTransactionKind). */
  kind: string;
  /** `SUCCESS`, `PENDING`, `FAILURE`, … (OrderTransactionStatus). */
  status: string;
  gateway: string | null;
  shopMoney: { amount: string; currencyCode: string };
  presentmentMoney: { amount: string; currencyCode: string };
  processedAt: string | null;
  createdAt: string;
}

/** Transaction kinds that move money from the customer to the shop. */
const PAYING_KINDS = new Set(['SALE', 'CAPTURE']);

/**
 * @description Whether an order event may carry tenders to record: its `payment_gateway_names` names a gateway of the
 * payment method map. Only then is the order's transactions list read from the Admin API, so an order paid only
 * through unrecorded gateways (a plain card order, by default) costs no extra call. Pure.
 */
export function namesRecordedTender(
  gatewayNames: readonly string[] | undefined,
  methods: Readonly<Record<string, string>>,
): boolean {
  return (gatewayNames ?? []).some((name) => Object.hasOwn(methods, name));
}

/**
 * @description The ERP payment drafts of an order's tenders: every successful `SALE` / `CAPTURE` transaction whose
 * gateway is in `methods` (ERP_PAYMENT_METHOD_MAP), oldest first, in the sales order's document currency, keyed by the
 * Shopify transaction id, with the mapped ERP payment method ('' = none: the ERP's default). The sum never exceeds the
 * order's total: the tender that would pass it is cut to what is left, and those after it are dropped. Pure.
 * @example
 * mapShopifyTendersToErp([{ id: '7001', kind: 'SALE', status: 'SUCCESS', gateway: 'gift_card', … }], salesOrder,
 *   { gift_card: '' }) // → [{ externalId: '7001', gateway: 'gift_card', amount: '25.00', currency: 'USD', … }]
 */
export function mapShopifyTendersToErp(
  tenders: readonly ShopifyTender[],
  order: ErpSalesOrderDraft,
  methods: Readonly<Record<string, string>>,
): ErpPaymentDraft[] {
  const drafts: ErpPaymentDraft[] = [];
  const c = order.currencies;
  // Only a document in the presentment currency, when it differs from the shop's, carries a rate (as the order does).
  const foreign =
    c !== undefined && c.presentmentCurrency !== c.shopCurrency && order.currency === c.presentmentCurrency
      ? c.exchangeRate
      : undefined;
  let left = normaliseMoney(order.total);
  const recorded = tenders
    .filter((t) => PAYING_KINDS.has(t.kind) && t.status === 'SUCCESS')
    .filter((t) => t.gateway !== null && Object.hasOwn(methods, t.gateway))
    .sort((a, b) => Date.parse(a.processedAt ?? a.createdAt) - Date.parse(b.processedAt ?? b.createdAt));
  for (const tender of recorded) {
    const gateway = tender.gateway ?? '';
    const amount = amountInDocumentCurrency(tender, order.currency);
    if (compareMoney(amount, '0') <= 0 || compareMoney(left, '0') <= 0) {
      continue;
    }
    const paid = compareMoney(amount, left) > 0 ? left : amount;
    left = subtractMoney(left, paid);
    const method = methods[gateway];
    drafts.push({
      externalId: tender.id,
      orderExternalId: order.externalId,
      orderReference: order.reference,
      customerExternalId: order.customerExternalId,
      gateway,
      ...(method === undefined || method === '' ? {} : { paymentMethod: method }),
      amount: paid,
      currency: order.currency,
      paidAt: tender.processedAt ?? tender.createdAt,
      ...(foreign === undefined ? {} : { exchangeRate: foreign }),
    });
  }
  return drafts;
}

/** The tender's amount in the document currency: the presentment amount on a presentment-currency document. */
function amountInDocumentCurrency(tender: ShopifyTender, currency: string): string {
  const money =
    tender.presentmentMoney.currencyCode === currency && tender.shopMoney.currencyCode !== currency
      ? tender.presentmentMoney
      : tender.shopMoney;
  if (!isDecimalString(money.amount)) {
    throw new OrderError(OrderErrorCode.InvalidPayload, `transaction ${tender.id} has no decimal amount`);
  }
  return normaliseMoney(money.amount);
}
