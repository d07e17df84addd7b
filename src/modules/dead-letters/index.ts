export { CountRecentDeadLetters } from 'src/modules/dead-letters/application/count-recent-dead-letters.query';
export { PruneDeadLetters } from 'src/modules/dead-letters/application/prune-dead-letters.use-case';
export {
  DeadLetterWorkerModule,
  DeadLettersAdminModule,
  DeadLettersModule,
} from 'src/modules/dead-letters/dead-letters.module';
