import { Injectable } from '@nestjs/common';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/** Retention of the webhook inbox (the orders module's table): keys of deliveries completed `days` ago go. */
@Injectable()
export class PruneWebhookInbox {
  constructor(private readonly state: OrderSyncStateRepository) {}

  /** Returns how many inbox keys were deleted. */
  async execute(days: number): Promise<number> {
    return this.state.pruneInbox(days);
  }
}
