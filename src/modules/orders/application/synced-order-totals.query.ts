import { Injectable } from '@nestjs/common';
import {
  OrderPayloadRepository,
  type SyncedOrderTotalRow,
} from 'src/modules/orders/persistence/order-payload.repository';

/**
 * What the order writer applied to the ERP for these orders of one shop: each order's total in the shop's currency,
 * read from the payload it applied. An order the writer never applied is not in the answer (the payouts' variance
 * report lists it as not synced).
 */
@Injectable()
export class SyncedOrderTotals {
  constructor(private readonly payloads: OrderPayloadRepository) {}

  async of(shop: string, orderIds: readonly string[]): Promise<Map<string, SyncedOrderTotalRow>> {
    const rows = await this.payloads.syncedTotals(shop, [...new Set(orderIds)]);
    return new Map(rows.map((row) => [row.orderId, row]));
  }
}
