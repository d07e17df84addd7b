import { Injectable } from '@nestjs/common';
import {
  OrderSyncStateRepository,
  type OrderErpDocument,
  type ProcessedDelivery,
} from 'src/modules/orders/persistence/order-sync-state.repository';

/** At most this many processed deliveries of one order are read (an order updated more often is cut, newest last). */
const MAX_DELIVERIES = 500;

/** @description What the order writer recorded of one Shopify order: its processed deliveries and its ERP document. */
export interface OrderTrail {
  deliveries: ProcessedDelivery[];
  document: OrderErpDocument | null;
}

/** The orders module's part of an order trace (webhook inbox and order state), read through its own repository. */
@Injectable()
export class ReadOrderTrail {
  constructor(private readonly state: OrderSyncStateRepository) {}

  async execute(shop: string, shopifyOrderId: string): Promise<OrderTrail> {
    const [deliveries, document] = await Promise.all([
      this.state.deliveriesOf(shop, shopifyOrderId, MAX_DELIVERIES),
      this.state.documentOf(shop, shopifyOrderId),
    ]);
    return { deliveries, document };
  }

  /** The Shopify order id of a processed order delivery, by its webhook id (`X-Shopify-Webhook-Id`). */
  orderOfWebhook(shop: string, webhookId: string): Promise<string | undefined> {
    return this.state.orderOfWebhook(shop, webhookId);
  }
}
