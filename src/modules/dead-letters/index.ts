export {
  DeadLetterWorkerModule,
  DeadLettersAdminModule,
  DeadLettersModule,
} from 'src/modules/dead-letters/dead-letters.module';
