import { Injectable } from '@nestjs/common';
import { AuditLogRepository, type AuditLogRow } from 'src/modules/audit/persistence/audit-log.repository';

/** At most this many audit rows are read for one trace. */
const MAX_ROWS = 1_000;

/** The audit rows of one shop about some Shopify resources (an order, its GID, its fulfilments), oldest first. */
@Injectable()
export class ReadAuditTrail {
  constructor(private readonly repository: AuditLogRepository) {}

  execute(shop: string, shopifyIds: readonly string[]): Promise<AuditLogRow[]> {
    return this.repository.ofShopifyIds(shop, [...new Set(shopifyIds)], MAX_ROWS);
  }
}
