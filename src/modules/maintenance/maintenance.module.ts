import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { ScheduleRepeatableJobs } from 'src/modules/maintenance/application/schedule-repeatable-jobs.service';
import { HistoryRepository } from 'src/modules/maintenance/persistence/history.repository';
import { PruneHistoryProcessor } from 'src/modules/maintenance/transport/prune-history.processor';

/** Scheduler role: retention of history tables on a Bull repeatable job. */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Maintenance })],
  providers: [HistoryRepository, PruneHistoryProcessor, ScheduleRepeatableJobs],
})
export class MaintenanceModule {}
