import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { readOrderInFull } from 'src/modules/orders/application/read-order-in-full';
import {
  ReportOrderGaps,
  type OrderGapReport,
  type OrderGapWindow,
} from 'src/modules/orders/application/report-order-gaps.use-case';
import { mapGraphqlOrderToWebhook } from 'src/modules/orders/domain/map-graphql-order-to-webhook';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { ORDER_EVENT_PUBLISHER, type OrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';

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
 * had applied for each missing order (so its event is not skipped as a duplicate of that version), reads each in
 * full through the Admin API and publishes it onto its order partition as an `orders/create` event with a
 * `gap-replay:` event id — the path the reconciliation feeds missed webhooks through, so the order writer writes it
 * with its usual idempotency (the connector looks the order up before creating it). Duplicates are only reported.
 */
@Injectable()
export class ReplayMissingOrders {
  constructor(
    private readonly reportGaps: ReportOrderGaps,
    private readonly state: OrderSyncStateRepository,
    @Inject(ORDER_EVENT_PUBLISHER) private readonly publisher: OrderEventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditWriter,
  ) {}

  async execute(input: OrderGapWindow): Promise<ReplayMissingOrdersResult> {
    const result = await this.reportGaps.execute(input);
    if (result.outcome !== 'reported') {
      return result;
    }
    const { report, shopify, orderGids } = result;
    const missing = report.missing.map((order) => order.orderId);
    await this.state.forgetApplied(report.shop, missing);
    const replayed: string[] = [];
    const gone: string[] = [];
    const replayedAt = Date.now();
    for (const orderId of missing) {
      const order = await readOrderInFull(shopify, orderGids.get(orderId) ?? `gid://shopify/Order/${orderId}`);
      if (order === null) {
        gone.push(orderId);
        continue;
      }
      const eventId = `gap-replay:order:${orderId}:${replayedAt}`;
      await this.publisher.publish({
        shop: report.shop,
        topic: 'orders/create',
        orderId,
        resourceId: orderId,
        eventId,
        apiVersion: this.config.shopify.apiVersion,
        body: Buffer.from(JSON.stringify(mapGraphqlOrderToWebhook(order))),
      });
      const audit = {
        eventId,
        entity: 'order' as const,
        topic: 'orders/create',
        shop: report.shop,
        shopifyId: orderId,
        reason: 'missing in the ERP; replayed from the gap report',
      };
      this.audit.record({ ...audit, status: AuditStatus.Received });
      this.audit.record({ ...audit, status: AuditStatus.Queued });
      replayed.push(orderId);
    }
    return { outcome: 'replayed', report, replayed, gone };
  }
}
