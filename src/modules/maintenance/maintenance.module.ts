import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { AuditModule } from 'src/modules/audit';
import { DeadLettersModule } from 'src/modules/dead-letters';
import { PruneHistory } from 'src/modules/maintenance/application/prune-history.use-case';
import { ScheduleRepeatableJobs } from 'src/modules/maintenance/application/schedule-repeatable-jobs.service';
import { PruneHistoryProcessor } from 'src/modules/maintenance/transport/prune-history.processor';
import { OrderHistoryModule } from 'src/modules/orders';

/** Scheduler role: retention of history tables on a Bull repeatable job; each table's owner prunes its own. */
@Module({
  imports: [
    AuditModule,
    DeadLettersModule,
    OrderHistoryModule,
    BullModule.registerQueue({ name: QueueName.Maintenance }),
  ],
  providers: [PruneHistory, PruneHistoryProcessor, ScheduleRepeatableJobs],
})
export class MaintenanceModule {}
