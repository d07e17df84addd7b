import { Injectable } from '@nestjs/common';
import type { ErpDepositLine } from 'src/modules/erp';
import type { PayoutVariance } from 'src/modules/payouts/domain/payout.types';
import { DataSource } from 'typeorm';

/** @description Where a payout stands: deposited, to retry, held (does not balance, or not depositable) or failed. */
export type PayoutState = 'deposited' | 'retry' | 'held' | 'failed';

/** @description A payout as the payouts module recorded it (`shopify_payout`). */
export interface PayoutRecord {
  shop: string;
  payoutId: string;
  issuedAt: Date;
  currency: string;
  net: string;
  state: PayoutState;
  connector: string;
  erpId: string | null;
  lines: ErpDepositLine[];
  variances: PayoutVariance[];
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  depositedAt: Date | null;
}

/** What one attempt at a payout leaves recorded. */
export interface PayoutOutcome {
  shop: string;
  payoutId: string;
  issuedAt: string;
  currency: string;
  net: string;
  connector: string;
  state: PayoutState;
  erpId?: string;
  lines: ErpDepositLine[];
  variances: PayoutVariance[];
  error?: string;
  nextAttemptAt?: Date;
}

const COLUMNS = `shop, payout_id, issued_at, currency, net, state, connector, erp_id, lines, variances, attempts,
  last_error, next_attempt_at, deposited_at`;

/** The payouts module's table: what was read and deposited, idempotent on (shop, payout id). */
@Injectable()
export class ShopifyPayoutRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The payouts of a shop already recorded among these ids. */
  async find(shop: string, payoutIds: readonly string[]): Promise<Map<string, PayoutRecord>> {
    if (payoutIds.length === 0) {
      return new Map();
    }
    const rows: PayoutRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM shopify_payout WHERE shop = $1 AND payout_id = ANY($2::text[])`,
      [shop, payoutIds],
    );
    return new Map(rows.map((row) => [row.payout_id, toRecord(row)]));
  }

  /** The latest issue date of a deposited payout of the shop: the next read starts a look-back before it. */
  async lastDepositedIssuedAt(shop: string): Promise<Date | null> {
    const rows: Array<{ issued_at: Date | null }> = await this.dataSource.query(
      `SELECT max(issued_at) AS issued_at FROM shopify_payout WHERE shop = $1 AND state = 'deposited'`,
      [shop],
    );
    const last = rows[0]?.issued_at ?? null;
    return last === null ? null : new Date(last);
  }

  /**
   * Records an attempt. A deposited payout is never changed again (its deposit is the ERP's); any other state is
   * replaced and its attempts counted.
   */
  async record(outcome: PayoutOutcome): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO shopify_payout (shop, payout_id, issued_at, currency, net, state, connector, erp_id, lines, variances,
                                   attempts, last_error, next_attempt_at, deposited_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, 1, $11, $12,
               CASE WHEN $6 = 'deposited' THEN now() END)
       ON CONFLICT (shop, payout_id) DO UPDATE
         SET state = EXCLUDED.state, connector = EXCLUDED.connector, erp_id = EXCLUDED.erp_id, lines = EXCLUDED.lines,
             variances = EXCLUDED.variances, attempts = shopify_payout.attempts + 1, last_error = EXCLUDED.last_error,
             next_attempt_at = EXCLUDED.next_attempt_at, deposited_at = EXCLUDED.deposited_at, updated_at = now()
       WHERE shopify_payout.state <> 'deposited'`,
      [
        outcome.shop,
        outcome.payoutId,
        outcome.issuedAt,
        outcome.currency,
        outcome.net,
        outcome.state,
        outcome.connector,
        outcome.erpId ?? null,
        JSON.stringify(outcome.lines),
        JSON.stringify(outcome.variances),
        outcome.error ?? null,
        outcome.nextAttemptAt ?? null,
      ],
    );
  }

  /** The shop's payouts, newest first (all shops when `shop` is undefined); with variances only, when asked. */
  async list(query: { shop?: string; withVariancesOnly?: boolean; limit: number }): Promise<PayoutRecord[]> {
    const rows: PayoutRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM shopify_payout
        WHERE ($1::text IS NULL OR shop = $1) AND (NOT $2 OR jsonb_array_length(variances) > 0)
        ORDER BY issued_at DESC, payout_id DESC LIMIT $3`,
      [query.shop ?? null, query.withVariancesOnly === true, query.limit],
    );
    return rows.map(toRecord);
  }
}

interface PayoutRow {
  shop: string;
  payout_id: string;
  issued_at: Date;
  currency: string;
  net: string;
  state: PayoutState;
  connector: string;
  erp_id: string | null;
  lines: ErpDepositLine[];
  variances: PayoutVariance[];
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  deposited_at: Date | null;
}

function toRecord(row: PayoutRow): PayoutRecord {
  return {
    shop: row.shop,
    payoutId: row.payout_id,
    issuedAt: new Date(row.issued_at),
    currency: row.currency,
    net: row.net,
    state: row.state,
    connector: row.connector,
    erpId: row.erp_id,
    lines: row.lines,
    variances: row.variances,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at),
    depositedAt: row.deposited_at === null ? null : new Date(row.deposited_at),
  };
}
