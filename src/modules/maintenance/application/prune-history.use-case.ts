import { Injectable } from '@nestjs/common';
import { PruneAuditLog } from 'src/modules/audit';
import { PruneDeadLetters } from 'src/modules/dead-letters';
import { PruneErpCreateDoubts } from 'src/modules/erp';
import type { HistoryPruned, HistoryRetention } from 'src/modules/maintenance/domain/history-retention.types';
import { PruneWebhookInbox } from 'src/modules/orders';

/**
 * Deletes history past its retention by asking each table's owner to prune its own: the orders module its webhook
 * inbox, the audit module its log, the dead-letters module the dead letters already retried, the erp module the
 * records of creates in doubt that have settled. Only rows no live processing reads any more go.
 */
@Injectable()
export class PruneHistory {
  constructor(
    private readonly inbox: PruneWebhookInbox,
    private readonly audit: PruneAuditLog,
    private readonly deadLetters: PruneDeadLetters,
    private readonly erpCreateDoubts: PruneErpCreateDoubts,
  ) {}

  async execute(retention: HistoryRetention): Promise<HistoryPruned> {
    return {
      inbox: await this.inbox.execute(retention.inboxRetentionDays),
      audit: await this.audit.execute(retention.auditRetentionDays),
      deadLetters: await this.deadLetters.execute(retention.deadLetterRetentionDays),
      erpCreateDoubts: await this.erpCreateDoubts.execute(),
    };
  }
}
