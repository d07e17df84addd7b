import { Injectable } from '@nestjs/common';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { selectForBulk } from 'src/modules/dead-letters/application/select-for-bulk';
import {
  summariseSkips,
  type BulkActionReport,
  type BulkSkipReason,
  type DeadLetterSelection,
} from 'src/modules/dead-letters/domain/dead-letter-selection';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

export type BulkDiscardResult = { outcome: 'done'; report: BulkActionReport } | { outcome: 'unfocused' };

/**
 * Discards one bounded batch of the dead letters a selection matches: each stays in the table, status `discarded`,
 * with who and when (and the operator's note) in its trail and the audit log; nothing is deleted. Only a `dead` one
 * is discarded: one retried or discarded already is skipped, with why.
 */
@Injectable()
export class BulkDiscardDeadLetters {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly audit: AuditWriter,
  ) {}

  async execute(
    selection: DeadLetterSelection,
    limit: number,
    actor: string,
    note?: string,
  ): Promise<BulkDiscardResult> {
    const batch = await selectForBulk(this.repository, selection, limit);
    if (batch === undefined) {
      return { outcome: 'unfocused' };
    }
    const skips: Array<{ id: string; reason: BulkSkipReason }> = [...batch.notFound];
    let discarded = 0;
    for (const row of batch.rows) {
      if (row.status === 'dead' && (await this.repository.markDiscarded(row.id, actor, note))) {
        discarded++;
        this.audit.record({
          eventId: row.eventId ?? row.messageId,
          entity: row.entity === 'order' ? 'order' : 'webhook',
          topic: row.topic,
          shop: row.shop ?? '',
          shopifyId: row.shopifyId,
          status: AuditStatus.Skipped,
          reason: `dead letter ${row.id} discarded by ${actor}${note === undefined ? '' : `: ${note}`}`,
        });
        continue;
      }
      const status = row.status === 'dead' ? (await this.repository.findById(row.id))?.status : row.status;
      skips.push({ id: row.id, reason: status === 'retried' ? 'already_retried' : 'already_discarded' });
    }
    return {
      outcome: 'done',
      report: {
        matched: batch.rows.length + batch.notFound.length,
        changed: discarded,
        skipped: summariseSkips(skips.sort((a, b) => Number(a.id) - Number(b.id))),
        hasMore: batch.hasMore,
      },
    };
  }
}
