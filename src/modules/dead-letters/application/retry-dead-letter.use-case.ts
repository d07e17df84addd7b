import { Injectable } from '@nestjs/common';
import { DeadLetterReplay } from 'src/modules/dead-letters/application/dead-letter-replay';
import type { DeadLetterRow } from 'src/modules/dead-letters/domain/dead-letter.types';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

export type RetryDeadLetterResult =
  | { outcome: 'retried'; deadLetter: DeadLetterRow }
  | { outcome: 'not_found' }
  | { outcome: 'already_retried'; deadLetter: DeadLetterRow }
  | { outcome: 'discarded'; deadLetter: DeadLetterRow };

/**
 * Sends a dead letter back through the pipeline (after the operator fixed its cause, e.g. a SKU mapping) with a
 * fresh attempt count, once (see DeadLetterReplay). A discarded dead letter is not sent.
 */
@Injectable()
export class RetryDeadLetter {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly replay: DeadLetterReplay,
  ) {}

  /** `shops`: the shops the operator may act on (undefined: every shop); another shop's dead letter is not found. */
  async execute(id: string, shops?: readonly string[], actor = 'unknown'): Promise<RetryDeadLetterResult> {
    const deadLetter = await this.repository.findById(id);
    if (deadLetter === null || (shops !== undefined && !shops.includes(deadLetter.shop ?? ''))) {
      return { outcome: 'not_found' };
    }
    if (!(await this.replay.replay(deadLetter, actor))) {
      const now = await this.repository.findById(id);
      return now?.status === 'discarded'
        ? { outcome: 'discarded', deadLetter: now }
        : { outcome: 'already_retried', deadLetter: now ?? deadLetter };
    }
    return {
      outcome: 'retried',
      deadLetter: { ...deadLetter, status: 'retried', retriedAt: new Date(), retriedBy: actor },
    };
  }
}
