import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { BulkDiscardDeadLetters } from 'src/modules/dead-letters/application/bulk-discard-dead-letters.use-case';
import { BulkRetryDeadLetters } from 'src/modules/dead-letters/application/bulk-retry-dead-letters.use-case';
import { CountRecentDeadLetters } from 'src/modules/dead-letters/application/count-recent-dead-letters.query';
import { DEAD_LETTER_PUBLISHER } from 'src/modules/dead-letters/application/dead-letter-publisher.port';
import { DeadLetterReplay } from 'src/modules/dead-letters/application/dead-letter-replay';
import { EditAndRetryDeadLetter } from 'src/modules/dead-letters/application/edit-and-retry-dead-letter.use-case';
import { PruneDeadLetters } from 'src/modules/dead-letters/application/prune-dead-letters.use-case';
import { ReadDeadLetterActions } from 'src/modules/dead-letters/application/read-dead-letter-actions.query';
import { ReadDeadLetterTrail } from 'src/modules/dead-letters/application/read-dead-letter-trail.query';
import { RecordDeadLetter } from 'src/modules/dead-letters/application/record-dead-letter.use-case';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterRecorderConsumer } from 'src/modules/dead-letters/transport/dead-letter-recorder.consumer';
import { DeadLetterController } from 'src/modules/dead-letters/transport/dead-letter.controller';
import { RabbitDeadLetterPublisher } from 'src/modules/dead-letters/transport/dead-letter.publisher';
import { DeadLetterResolver } from 'src/modules/dead-letters/transport/dead-letter.resolver';

/** Dead-letter storage and use cases, shared by the api and worker roles. RabbitMQ and the DataSource are global. */
@Module({
  imports: [AuditModule],
  providers: [
    DeadLetterRepository,
    { provide: DEAD_LETTER_PUBLISHER, useClass: RabbitDeadLetterPublisher },
    RecordDeadLetter,
    DeadLetterReplay,
    RetryDeadLetter,
    PruneDeadLetters,
    CountRecentDeadLetters,
  ],
  exports: [
    DeadLetterRepository,
    RecordDeadLetter,
    DeadLetterReplay,
    RetryDeadLetter,
    PruneDeadLetters,
    CountRecentDeadLetters,
  ],
})
export class DeadLettersModule {}

/** The operators' dead-letter API (api role): GraphQL `deadLetters`/`retryDeadLetter` and REST `/admin/dead-letters`. */
@Module({
  imports: [DeadLettersModule, AuditModule],
  providers: [
    DeadLetterResolver,
    BulkRetryDeadLetters,
    BulkDiscardDeadLetters,
    EditAndRetryDeadLetter,
    ReadDeadLetterActions,
  ],
  controllers: [DeadLetterController],
})
export class DeadLettersAdminModule {}

/** Moves dead letters from RabbitMQ's DLQ into PostgreSQL (worker role). */
@Module({ imports: [DeadLettersModule], providers: [DeadLetterRecorderConsumer] })
export class DeadLetterWorkerModule {}

/** The dead letters of one order, for the order trace (api role); needs only the global DataSource. */
@Module({ providers: [DeadLetterRepository, ReadDeadLetterTrail], exports: [ReadDeadLetterTrail] })
export class DeadLetterTrailModule {}
