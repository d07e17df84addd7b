import { Injectable } from '@nestjs/common';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/**
 * Which shop each Shopify order belongs to, as the order writer recorded it (the ERP → Shopify writers deliver an
 * order's fulfilments to that shop only). An order the writer never applied is not in the answer.
 */
@Injectable()
export class OrderShops {
  constructor(private readonly repository: OrderSyncStateRepository) {}

  owners(shopifyOrderIds: readonly string[]): Promise<Map<string, string>> {
    return this.repository.shopsOfOrders([...new Set(shopifyOrderIds)]);
  }
}
