import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { DeadLetterReplay } from 'src/modules/dead-letters/application/dead-letter-replay';
import { selectForBulk } from 'src/modules/dead-letters/application/select-for-bulk';
import {
  summariseSkips,
  type BulkActionReport,
  type BulkSkipReason,
  type DeadLetterSelection,
} from 'src/modules/dead-letters/domain/dead-letter-selection';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

export type BulkRetryResult = { outcome: 'done'; report: BulkActionReport } | { outcome: 'unfocused' };

/** Dead letters republished at once within a batch: enough to be quick, few enough not to flood the broker. */
const IN_FLIGHT = 16;

/**
 * Retries one bounded batch of the dead letters a selection matches, each through DeadLetterReplay (once: a dead
 * letter retried or discarded already is skipped, with why). A broker that refuses a message leaves that dead
 * letter `dead` and counts it skipped (`republish_failed`); the others go on.
 */
@Injectable()
export class BulkRetryDeadLetters {
  private readonly logger = new Logger(BulkRetryDeadLetters.name);

  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly replay: DeadLetterReplay,
  ) {}

  async execute(selection: DeadLetterSelection, limit: number, actor: string): Promise<BulkRetryResult> {
    const batch = await selectForBulk(this.repository, selection, limit);
    if (batch === undefined) {
      return { outcome: 'unfocused' };
    }
    const skips: Array<{ id: string; reason: BulkSkipReason }> = [...batch.notFound];
    let retried = 0;
    for (let i = 0; i < batch.rows.length; i += IN_FLIGHT) {
      await Promise.all(
        batch.rows.slice(i, i + IN_FLIGHT).map(async (row) => {
          if (row.status !== 'dead') {
            skips.push({ id: row.id, reason: row.status === 'retried' ? 'already_retried' : 'already_discarded' });
            return;
          }
          const deadLetter = await this.repository.findById(row.id);
          try {
            if (deadLetter !== null && (await this.replay.replay(deadLetter, actor))) {
              retried++;
              return;
            }
          } catch (error: unknown) {
            this.logger.warn({ id: row.id, err: errorMessage(error) }, 'bulk retry: republish failed, left dead');
            skips.push({ id: row.id, reason: 'republish_failed' });
            return;
          }
          // Taken by someone else between the selection and now.
          const now = await this.repository.findById(row.id);
          skips.push({ id: row.id, reason: now?.status === 'discarded' ? 'already_discarded' : 'already_retried' });
        }),
      );
    }
    return {
      outcome: 'done',
      report: {
        matched: batch.rows.length + batch.notFound.length,
        changed: retried,
        skipped: summariseSkips(skips.sort((a, b) => Number(a.id) - Number(b.id))),
        hasMore: batch.hasMore,
      },
    };
  }
}
