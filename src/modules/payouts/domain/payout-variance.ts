import { isDecimalString, normaliseMoney, sumMoney } from 'src/modules/orders';
import { balanceCategory, orderTransactions } from 'src/modules/payouts/domain/map-payout-to-deposit';
import type { PayoutVariance, ShopifyPayout } from 'src/modules/payouts/domain/payout.types';

/** @description What the middleware applied to the ERP for an order (orders module), as the report compares it. */
export interface SyncedOrder {
  total: string | null;
}

/**
 * @description The payout's charges and refunds held against what the middleware synced: a transaction of an order
 * the middleware never wrote to the ERP (`order-not-synced`), or without an order at all (`no-order`), and an order
 * whose charges in this payout differ from the total written to the ERP (`amount-differs`, one line for the order's
 * charges; refunds are checked for a synced order only). Amounts compared exactly. Pure; empty when all match.
 */
export function payoutVariances(payout: ShopifyPayout, synced: ReadonlyMap<string, SyncedOrder>): PayoutVariance[] {
  const variances: PayoutVariance[] = [];
  const chargesByOrder = new Map<string, { amounts: string[]; first: (typeof payout.transactions)[number] }>();
  for (const transaction of orderTransactions(payout)) {
    const base = {
      transactionId: transaction.id,
      type: transaction.type,
      orderId: transaction.orderId,
      orderName: transaction.orderName,
      payoutAmount: normaliseMoney(transaction.amount),
    };
    if (transaction.orderId === null) {
      variances.push({ ...base, reason: 'no-order', syncedAmount: null });
      continue;
    }
    const order = synced.get(transaction.orderId);
    if (order === undefined) {
      variances.push({ ...base, reason: 'order-not-synced', syncedAmount: null });
      continue;
    }
    if (balanceCategory(transaction.type) === 'charge') {
      const entry = chargesByOrder.get(transaction.orderId) ?? { amounts: [], first: transaction };
      entry.amounts.push(transaction.amount);
      chargesByOrder.set(transaction.orderId, entry);
    }
  }
  for (const [orderId, { amounts, first }] of chargesByOrder) {
    const charged = sumMoney(amounts);
    const total = synced.get(orderId)?.total ?? null;
    const syncedAmount = total !== null && isDecimalString(total) ? normaliseMoney(total) : null;
    if (syncedAmount !== charged) {
      variances.push({
        transactionId: first.id,
        type: first.type,
        orderId,
        orderName: first.orderName,
        reason: 'amount-differs',
        payoutAmount: charged,
        syncedAmount,
      });
    }
  }
  return variances;
}
