import { connection, matchesTerm, parseSearchQuery, type ConnectionArgs } from 'test/simulators/shopify/connection';
import { graphqlDecimal } from 'test/simulators/shopify/orders-extension';
import {
  isoAt,
  shopifyError,
  type ShopifySimExtension,
  type SimContext,
  type SimRequestContext,
} from 'test/simulators/shopify/sim-context';

/**
 * The Shopify Payments area of the simulator: `shopifyPaymentsAccount { payouts, balanceTransactions }` with the
 * 2026-10 shapes (MoneyV2 amounts as GraphQL Decimals, `legacyResourceId`, `summary`), payouts filtered by
 * `status:` / `issued_at:` and `transactionType`, sorted by ISSUED_AT; balance transactions filtered by `payout_id:`.
 * A test seeds payouts with their transactions (`addPayout`); the payout's net is the sum of its transactions' nets,
 * as Shopify's is, unless the test overrides it. A simulation, not Shopify.
 */

export interface SimBalanceTransactionSeed {
  type: string;
  amount: string;
  fee?: string;
  /** Numeric Shopify order id; with `orderName`, the `associatedOrder`. */
  orderId?: string;
  orderName?: string;
}

export interface SimPayout {
  id: string;
  status: 'SCHEDULED' | 'IN_TRANSIT' | 'PAID' | 'FAILED' | 'CANCELED';
  transactionType: 'DEPOSIT' | 'WITHDRAWAL';
  issuedAt: string;
  currency: string;
  net: string;
  transactions: SimBalanceTransaction[];
}

export interface SimBalanceTransaction {
  id: string;
  payoutId: string;
  type: string;
  amount: string;
  fee: string;
  net: string;
  orderId: string | null;
  orderName: string | null;
  processedAt: string;
}

export interface PayoutsState {
  payouts: Map<string, SimPayout>;
  /** Seeds a payout and its balance transactions; returns it. */
  addPayout(seed: {
    status?: SimPayout['status'];
    issuedAt?: string;
    currency?: string;
    /** Overrides the sum of the transactions' nets (a payout that does not balance). */
    net?: string;
    transactions: SimBalanceTransactionSeed[];
  }): SimPayout;
}

const PAYOUT_FILTERS = ['status', 'issued_at', 'id'];

export function payoutsExtension(context: SimContext): { extension: ShopifySimExtension; state: PayoutsState } {
  const payouts = new Map<string, SimPayout>();
  let nextPayout = 90_000_000;
  let nextTransaction = 80_000_000;

  const money = (amount: string, currency: string): { amount: string; currencyCode: string } => ({
    amount: graphqlDecimal(amount),
    currencyCode: currency,
  });

  const state: PayoutsState = {
    payouts,
    addPayout(seed) {
      const id = String(++nextPayout);
      const currency = seed.currency ?? 'EUR';
      const issuedAt = seed.issuedAt ?? isoAt(context.clock.now());
      const transactions = seed.transactions.map((t) => {
        const fee = t.fee ?? '0.00';
        return {
          id: String(++nextTransaction),
          payoutId: id,
          type: t.type,
          amount: t.amount,
          fee,
          net: cents(toCents(t.amount) - toCents(fee)),
          orderId: t.orderId ?? null,
          orderName: t.orderName ?? null,
          processedAt: issuedAt,
        };
      });
      const net = seed.net ?? cents(transactions.reduce((sum, t) => sum + toCents(t.net), 0));
      const payout: SimPayout = {
        id,
        status: seed.status ?? 'PAID',
        transactionType: toCents(net) < 0 ? 'WITHDRAWAL' : 'DEPOSIT',
        issuedAt,
        currency,
        net,
        transactions,
      };
      payouts.set(id, payout);
      return payout;
    },
  };

  const sumOf = (payout: SimPayout, types: string[], field: 'amount' | 'fee'): string =>
    cents(payout.transactions.filter((t) => types.includes(t.type)).reduce((sum, t) => sum + toCents(t[field]), 0));

  const payoutView = (payout: SimPayout): unknown => ({
    id: `gid://shopify/ShopifyPaymentsPayout/${payout.id}`,
    legacyResourceId: payout.id,
    issuedAt: payout.issuedAt,
    status: payout.status,
    transactionType: payout.transactionType,
    net: money(payout.net, payout.currency),
    summary: {
      chargesGross: money(sumOf(payout, ['CHARGE'], 'amount'), payout.currency),
      chargesFee: money(sumOf(payout, ['CHARGE'], 'fee'), payout.currency),
      refundsFeeGross: money(sumOf(payout, ['REFUND'], 'amount'), payout.currency),
      adjustmentsGross: money(sumOf(payout, ['ADJUSTMENT'], 'amount'), payout.currency),
    },
  });

  const transactionView = (payout: SimPayout, t: SimBalanceTransaction): unknown => ({
    id: `gid://shopify/ShopifyPaymentsBalanceTransaction/${t.id}`,
    type: t.type,
    test: false,
    amount: money(t.amount, payout.currency),
    fee: money(t.fee, payout.currency),
    net: money(t.net, payout.currency),
    sourceOrderTransactionId: t.orderId === null ? null : t.id,
    associatedOrder:
      t.orderId === null ? null : { id: `gid://shopify/Order/${t.orderId}`, name: t.orderName ?? `#${t.orderId}` },
    transactionDate: t.processedAt,
  });

  const account = {
    id: 'gid://shopify/ShopifyPaymentsAccount/1',
    activated: true,
    payouts: (
      args: ConnectionArgs & { sortKey?: string | null; transactionType?: string | null },
      ctx: SimRequestContext,
    ) => {
      const terms = parseSearchQuery(args.query);
      for (const term of terms) {
        if (!PAYOUT_FILTERS.includes(term.key)) {
          throw shopifyError(`Simulator does not support the payouts filter ${term.key}`, 'BAD_REQUEST');
        }
      }
      const matching = [...payouts.values()]
        .filter(
          (p) =>
            args.transactionType === undefined ||
            args.transactionType === null ||
            p.transactionType === args.transactionType,
        )
        .filter((p) =>
          terms.every((term) =>
            term.key === 'status'
              ? matchesTerm(term, p.status)
              : term.key === 'id'
                ? matchesTerm(term, p.id)
                : matchesTerm(term, p.issuedAt),
          ),
        )
        .sort((a, b) =>
          args.sortKey === 'ISSUED_AT' ? Date.parse(a.issuedAt) - Date.parse(b.issuedAt) : Number(a.id) - Number(b.id),
        );
      return connection(matching, args, ctx, payoutView);
    },
    balanceTransactions: (args: ConnectionArgs & { sortKey?: string | null }, ctx: SimRequestContext) => {
      const terms = parseSearchQuery(args.query);
      const payoutTerm = terms.find((term) => term.key === 'payout_id');
      if (payoutTerm === undefined || terms.length !== 1) {
        throw shopifyError('Simulator supports balanceTransactions(query: "payout_id:…") only', 'BAD_REQUEST');
      }
      const payout = payouts.get(payoutTerm.value);
      const rows = payout === undefined ? [] : payout.transactions.map((t) => ({ payout, t }));
      return connection(rows, args, ctx, ({ payout: p, t }) => transactionView(p, t));
    },
  };

  const extension: ShopifySimExtension = {
    name: 'payouts',
    query: { shopifyPaymentsAccount: () => account },
    reset: () => {
      payouts.clear();
    },
  };
  return { extension, state };
}

function toCents(amount: string): number {
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return amount.startsWith('-') ? -value : value;
}

function cents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
