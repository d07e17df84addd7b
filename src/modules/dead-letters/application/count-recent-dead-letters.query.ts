import { Injectable } from '@nestjs/common';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

/** How many messages were dead-lettered since a moment (the alert rule on dead letters). */
@Injectable()
export class CountRecentDeadLetters {
  constructor(private readonly repository: DeadLetterRepository) {}

  execute(since: Date): Promise<number> {
    return this.repository.countSince(since);
  }
}
