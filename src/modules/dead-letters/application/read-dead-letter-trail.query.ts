import { Injectable } from '@nestjs/common';
import { toDeadLetterView, type DeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

/** At most this many dead letters are read for one trace. */
const MAX_DEAD_LETTERS = 200;

/** The dead letters of one resource (an order) as operators see them, without their messages, oldest first. */
@Injectable()
export class ReadDeadLetterTrail {
  constructor(private readonly repository: DeadLetterRepository) {}

  async execute(shop: string, shopifyIds: readonly string[]): Promise<DeadLetterView[]> {
    const rows = await this.repository.ofShopifyIds(shop, [...new Set(shopifyIds)], MAX_DEAD_LETTERS);
    return rows.map(toDeadLetterView);
  }

  /** The Shopify order a dead-lettered order webhook was about, by its webhook id (`X-Shopify-Webhook-Id`). */
  orderOfWebhook(shop: string, webhookId: string): Promise<string | undefined> {
    return this.repository.shopifyIdOfWebhook(shop, webhookId, 'order');
  }
}
