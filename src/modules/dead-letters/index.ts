export { CountRecentDeadLetters } from 'src/modules/dead-letters/application/count-recent-dead-letters.query';
export { PruneDeadLetters } from 'src/modules/dead-letters/application/prune-dead-letters.use-case';
export { ReadDeadLetterTrail } from 'src/modules/dead-letters/application/read-dead-letter-trail.query';
export {
  DeadLetterTrailModule,
  DeadLetterWorkerModule,
  DeadLettersAdminModule,
  DeadLettersModule,
} from 'src/modules/dead-letters/dead-letters.module';
export type { DeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
