import { Injectable } from '@nestjs/common';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

/**
 * Retention of dead letters (the dead-letters module's table): those retried `days` ago go; a dead letter never
 * retried stays, whatever its age, until an operator acts on it.
 */
@Injectable()
export class PruneDeadLetters {
  constructor(private readonly deadLetters: DeadLetterRepository) {}

  /** Returns how many dead letters were deleted. */
  async execute(days: number): Promise<number> {
    return this.deadLetters.pruneSettled(days);
  }
}
