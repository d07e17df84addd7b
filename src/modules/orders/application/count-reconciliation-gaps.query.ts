import { Injectable } from '@nestjs/common';
import { OrderReconciliationRepository } from 'src/modules/orders/persistence/order-reconciliation.repository';

/** @description What the order reconciliation found the webhooks had missed (and fed into the pipeline) lately. */
export interface ReconciliationGaps {
  orders: number;
  refunds: number;
}

/** The orders and refunds the reconciliation had to feed since a moment: the alert rule on reconciliation gaps. */
@Injectable()
export class CountReconciliationGaps {
  constructor(private readonly repository: OrderReconciliationRepository) {}

  execute(since: Date): Promise<ReconciliationGaps> {
    return this.repository.publishedSince(since);
  }
}
