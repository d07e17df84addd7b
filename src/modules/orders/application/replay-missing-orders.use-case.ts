import { Injectable } from '@nestjs/common';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import {
  ReportOrderGaps,
  type OrderGapReport,
  type OrderGapWindow,
} from 'src/modules/orders/application/report-order-gaps.use-case';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

export type ReplayMissingOrdersResult =
  | {
      outcome: 'replayed';
      /** The report the replay was decided on (read just before). */
      report: OrderGapReport;
      /** The missing orders published into the order pipeline, one event each. */
      replayed: string[];
      /** Missing orders Shopify no longer has (deleted since they were listed): nothing to replay. */
      gone: string[];
    }
  | { outcome: 'unknown_shop' }
  | { outcome: 'invalid_window'; reason: string };

/**
 * One call to replay the orders the ERP is missing: runs the gap report for the window, forgets what the middleware
 * had applied for each missing order (our record says the ERP has it; the ERP says it does not), then replays them
 * through ReplayOrders, forced so that each call's events are new to the inbox: read in full, published onto their
 * partitions, written by the order writer with its usual idempotency (the write-started marker is kept, so the
 * connector looks each order up before it creates it). Duplicates are only reported.
 */
@Injectable()
export class ReplayMissingOrders {
  constructor(
    private readonly reportGaps: ReportOrderGaps,
    private readonly state: OrderSyncStateRepository,
    private readonly replay: ReplayOrders,
  ) {}

  async execute(input: OrderGapWindow & { actor: string }): Promise<ReplayMissingOrdersResult> {
    const result = await this.reportGaps.execute(input);
    if (result.outcome !== 'reported') {
      return result;
    }
    const { report } = result;
    const missing = report.missing.map((order) => order.orderId);
    await this.state.forgetApplied(report.shop, missing);
    const replayed = await this.replay.execute({
      shop: report.shop,
      orderIds: missing,
      force: true,
      actor: `${input.actor} (missing in the ERP, from the gap report)`,
    });
    if (replayed.outcome !== 'replayed') {
      return replayed;
    }
    const ids = (outcome: 'published' | 'not_found'): string[] =>
      replayed.orders.filter((order) => order.outcome === outcome).map((order) => order.orderId);
    return { outcome: 'replayed', report, replayed: ids('published'), gone: ids('not_found') };
  }
}
