import { Injectable } from '@nestjs/common';
import type { DeadLetterAction } from 'src/modules/dead-letters/domain/dead-letter-action';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

/** A dead letter's own trail (who retried, edited or discarded it), oldest first; undefined when not found. */
@Injectable()
export class ReadDeadLetterActions {
  constructor(private readonly repository: DeadLetterRepository) {}

  /** `shops`: the shops the caller may read (undefined: every shop); another shop's dead letter is not found. */
  async execute(id: string, shops?: readonly string[]): Promise<DeadLetterAction[] | undefined> {
    const deadLetter = await this.repository.findById(id);
    if (deadLetter === null || (shops !== undefined && !shops.includes(deadLetter.shop ?? ''))) {
      return undefined;
    }
    return this.repository.actionsOf(id);
  }
}
