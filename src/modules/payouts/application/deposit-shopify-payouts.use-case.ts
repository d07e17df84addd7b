import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppError, ErrorKind, errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { ERP_PORTS_BY_SCOPE, type ErpPort, type ErpPortsByScope } from 'src/modules/erp';
import { Flow, FlowPauses } from 'src/modules/flows';
import { SyncedOrderTotals } from 'src/modules/orders';
import {
  PAID_PAYOUTS,
  PAYOUT_BALANCE_TRANSACTIONS,
  type ShopifyPayoutNode,
} from 'src/modules/payouts/application/payouts.shopify-graphql';
import { orderTransactions, planDeposit } from 'src/modules/payouts/domain/map-payout-to-deposit';
import { payoutVariances } from 'src/modules/payouts/domain/payout-variance';
import type { PayoutAccounts, PayoutVariance, ShopifyPayout } from 'src/modules/payouts/domain/payout.types';
import {
  ShopifyPayoutRepository,
  type PayoutOutcome,
  type PayoutRecord,
} from 'src/modules/payouts/persistence/shopify-payout.repository';
import { ShopifyAdminClients, paginate, type ShopifyAdminPort } from 'src/modules/shopify';
import { ShopDirectory, forEachShop, type Shop } from 'src/modules/shops';

export interface DepositShopifyPayoutsResult {
  /** False when payouts are off (no PAYOUTS_ERP_BANK_ACCOUNT), the ERP cannot take deposits, or no shop ran. */
  ran: boolean;
  /** Why nothing ran, when nothing did. */
  skipped?: string;
  /** PAID payouts read in the look-back window. */
  considered: number;
  deposited: number;
  /** Deposited by an earlier run: nothing was written. */
  alreadyDeposited: number;
  /** Payouts that do not balance (or cannot be deposited yet): looked at again later, nothing written. */
  held: number;
  retried: number;
  failed: number;
  /** Variance lines found in the payouts looked at by this run. */
  variances: number;
}

/** A payout is read again this long after the last deposited one's issue date (one issued earlier may be paid later). */
const LOOK_BACK_MS = 14 * 24 * 3_600_000;
/** The first run (nothing deposited yet) reads payouts issued this long ago. */
const FIRST_RUN_MS = 30 * 24 * 3_600_000;
const PAGE_SIZE = 50;
/** 100 transactions cost about 500 points (each carries four objects), under the 1,000 a single query may cost. */
const TRANSACTIONS_PAGE_SIZE = 100;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;
const HELD_RETRY_MS = 3_600_000;
/** A payout that failed for good (refused by the ERP, malformed) is tried once a day, e.g. after a settings fix. */
const FAILED_RETRY_MS = 24 * 3_600_000;

/**
 * Shopify Payments payouts → ERP bank deposits (scheduler role), per enabled shop whose payouts flow is not paused.
 * Reads the PAID deposits issued since a look-back before the last one deposited, skips those already deposited
 * (`shopify_payout`, idempotent on shop and payout id), reads each new payout's balance transactions, plans the deposit
 * exactly (lines summing to the payout's net) with its variance report against what the order writer synced, and
 * writes it through the shop's ERP port (`createDeposit`, itself idempotent on the payout). Every payout looked at
 * leaves a row and an audit entry; a payout that does not balance is held and read again later, nothing written.
 */
@Injectable()
export class DepositShopifyPayouts {
  private readonly logger = new Logger(DepositShopifyPayouts.name);

  constructor(
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    @Inject(ERP_PORTS_BY_SCOPE) private readonly erps: ErpPortsByScope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ShopifyPayoutRepository,
    private readonly syncedTotals: SyncedOrderTotals,
    private readonly audit: AuditWriter,
    private readonly locks: AdvisoryLocks,
    @Optional() private readonly flows?: FlowPauses,
  ) {}

  /**
   * `shop`: that shop only (an operator's run; skipped when not enabled). `requestedBy`: an operator's run, which
   * takes held, retrying and failed payouts at once (not at their next attempt) and names the operator in the audit.
   */
  async execute(input: { now?: Date; shop?: string; requestedBy?: string } = {}): Promise<DepositShopifyPayoutsResult> {
    const empty = emptyResult();
    const accounts = this.config.payouts;
    if (accounts === undefined) {
      return { ...empty, skipped: 'payouts are off: PAYOUTS_ERP_BANK_ACCOUNT is not set' };
    }
    const now = input.now ?? new Date();
    const enabled = await this.shops.enabled();
    const shops = input.shop === undefined ? enabled : enabled.filter((shop) => shop.domain === input.shop);
    if (shops.length === 0 && input.shop !== undefined) {
      return { ...empty, skipped: `shop ${input.shop} is not enabled` };
    }
    const run = { now, requestedBy: input.requestedBy };
    const perShop = await forEachShop(shops, (shop) => this.runShop(shop, accounts, run));
    return perShop.reduce<DepositShopifyPayoutsResult>(
      (sum, r) => ({
        ran: sum.ran || r.ran,
        ...(sum.skipped === undefined && r.skipped !== undefined && !sum.ran ? { skipped: r.skipped } : {}),
        considered: sum.considered + r.considered,
        deposited: sum.deposited + r.deposited,
        alreadyDeposited: sum.alreadyDeposited + r.alreadyDeposited,
        held: sum.held + r.held,
        retried: sum.retried + r.retried,
        failed: sum.failed + r.failed,
        variances: sum.variances + r.variances,
      }),
      empty,
    );
  }

  private async runShop(
    shop: Shop,
    accounts: PayoutAccounts,
    run: { now: Date; requestedBy?: string },
  ): Promise<DepositShopifyPayoutsResult> {
    const { now, requestedBy } = run;
    const result = emptyResult();
    if ((await this.flows?.isPaused(shop.domain, Flow.Payouts)) === true) {
      return { ...result, skipped: `the payouts flow of shop ${shop.domain} is paused` };
    }
    const erp = this.erps.for(shop.erpScope);
    if (erp.depositsUnsupported !== undefined) {
      return { ...result, skipped: erp.depositsUnsupported };
    }
    await this.locks.tryExclusive(`payouts:${shop.domain}`, async () => {
      result.ran = true;
      const shopify = this.clients.forShop(shop);
      const last = await this.repository.lastDepositedIssuedAt(shop.domain);
      const since = new Date((last?.getTime() ?? now.getTime() - FIRST_RUN_MS) - LOOK_BACK_MS);
      const nodes: ShopifyPayoutNode[] = [];
      for await (const node of paginate(
        shopify,
        PAID_PAYOUTS,
        { first: PAGE_SIZE, query: `status:paid issued_at:>='${since.toISOString()}'` },
        (data) => data.shopifyPaymentsAccount?.payouts ?? { nodes: [], pageInfo: { hasNextPage: false } },
      )) {
        nodes.push(node);
      }
      result.considered = nodes.length;
      const known = await this.repository.find(
        shop.domain,
        nodes.map((node) => node.legacyResourceId),
      );
      for (const node of nodes) {
        const record = known.get(node.legacyResourceId);
        if (record?.state === 'deposited') {
          result.alreadyDeposited++;
          continue;
        }
        if (requestedBy === undefined && !isDue(record, now)) {
          continue;
        }
        await this.depositOne(shop.domain, shopify, erp, node, accounts, record?.attempts ?? 0, result, requestedBy);
      }
    });
    return result;
  }

  private async depositOne(
    shop: string,
    shopify: ShopifyAdminPort,
    erp: ErpPort,
    node: ShopifyPayoutNode,
    accounts: PayoutAccounts,
    attempts: number,
    result: DepositShopifyPayoutsResult,
    requestedBy: string | undefined,
  ): Promise<void> {
    const by = requestedBy === undefined ? '' : `; run by ${requestedBy}`;
    const base = {
      shop,
      payoutId: node.legacyResourceId,
      issuedAt: node.issuedAt,
      currency: node.net.currencyCode,
      net: node.net.amount,
      connector: erp.name,
    };
    const audit = {
      eventId: `payout:${node.legacyResourceId}`,
      entity: 'payout' as const,
      topic: 'payouts/deposit',
      shop,
      shopifyId: node.id,
    };
    let variances: PayoutVariance[] = [];
    const started = Date.now();
    try {
      const payout = await this.readPayout(shopify, node);
      const orderIds = orderTransactions(payout).flatMap((t) => (t.orderId === null ? [] : [t.orderId]));
      const synced = await this.syncedTotals.of(shop, orderIds);
      variances = payoutVariances(payout, synced);
      result.variances += variances.length;
      const plan = planDeposit(payout, accounts);
      if (plan.kind !== 'deposit') {
        const held = plan.kind === 'unbalanced';
        await this.record({
          ...base,
          state: held ? 'held' : 'failed',
          lines: [],
          variances,
          error: plan.reason,
          nextAttemptAt: new Date(Date.now() + (held ? HELD_RETRY_MS : FAILED_RETRY_MS)),
        });
        if (held) {
          result.held++;
        } else {
          result.failed++;
        }
        this.audit.record({ ...audit, status: AuditStatus.Skipped, reason: `${plan.kind}${by}`, error: plan.reason });
        return;
      }
      const ref = await erp.createDeposit(plan.draft);
      await this.record({ ...base, state: 'deposited', erpId: ref.erpId, lines: plan.draft.lines, variances });
      result.deposited++;
      this.audit.record({
        ...audit,
        erpId: ref.erpId,
        status: AuditStatus.Succeeded,
        reason:
          variances.length === 0
            ? `deposited ${plan.draft.total} ${plan.draft.currency}${by}`
            : `deposited ${plan.draft.total} ${plan.draft.currency}; ${variances.length} variance(s) with the synced orders${by}`,
        latencyMs: Date.now() - started,
      });
    } catch (error: unknown) {
      const message = errorMessage(error);
      const kind = error instanceof AppError ? error.kind : ErrorKind.Transient;
      const permanent = kind === ErrorKind.Permanent;
      await this.record({
        ...base,
        state: permanent ? 'failed' : 'retry',
        lines: [],
        variances,
        error: message,
        nextAttemptAt: new Date(
          Date.now() +
            (permanent ? FAILED_RETRY_MS : Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(10, attempts))),
        ),
      });
      if (permanent) {
        result.failed++;
        this.logger.warn({ shop, payout: node.legacyResourceId, err: message }, 'payout not deposited (permanent)');
      } else {
        result.retried++;
      }
      this.audit.record({
        ...audit,
        status: permanent ? AuditStatus.DeadLettered : AuditStatus.RetryScheduled,
        reason: `${kind}${by}`,
        error: message,
      });
    }
  }

  /** The payout with every balance transaction it pays out (all pages). */
  private async readPayout(shopify: ShopifyAdminPort, node: ShopifyPayoutNode): Promise<ShopifyPayout> {
    const transactions: ShopifyPayout['transactions'] = [];
    for await (const t of paginate(
      shopify,
      PAYOUT_BALANCE_TRANSACTIONS,
      { first: TRANSACTIONS_PAGE_SIZE, query: `payout_id:${node.legacyResourceId}` },
      (data) => data.shopifyPaymentsAccount?.balanceTransactions ?? { nodes: [], pageInfo: { hasNextPage: false } },
    )) {
      if (t.test) {
        continue;
      }
      transactions.push({
        id: t.id,
        type: t.type,
        amount: t.amount.amount,
        fee: t.fee.amount,
        net: t.net.amount,
        orderId: t.associatedOrder === null ? null : numericId(t.associatedOrder.id),
        orderName: t.associatedOrder?.name ?? null,
      });
    }
    return {
      id: node.legacyResourceId,
      status: node.status,
      issuedAt: node.issuedAt,
      currency: node.net.currencyCode,
      net: node.net.amount,
      transactions,
    };
  }

  private record(outcome: PayoutOutcome): Promise<void> {
    return this.repository.record(outcome);
  }
}

function emptyResult(): DepositShopifyPayoutsResult {
  return { ran: false, considered: 0, deposited: 0, alreadyDeposited: 0, held: 0, retried: 0, failed: 0, variances: 0 };
}

/** A payout never seen, or one whose retry, hold or daily retry of a failure has come due. */
function isDue(record: PayoutRecord | undefined, now: Date): boolean {
  const due = record?.nextAttemptAt ?? null;
  return due === null || due.getTime() <= now.getTime();
}

/** `gid://shopify/Order/123` → `123`. */
function numericId(gid: string): string {
  return /\/(\d+)$/.exec(gid)?.[1] ?? gid;
}
