import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AuditModule } from 'src/modules/audit';
import { DeadLettersModule } from 'src/modules/dead-letters';
import { ErpPersistenceModule } from 'src/modules/erp';
import { PruneHistory } from 'src/modules/maintenance/application/prune-history.use-case';
import { maintenanceSchedules } from 'src/modules/maintenance/schedules';
import { PruneHistoryProcessor } from 'src/modules/maintenance/transport/prune-history.processor';
import { OrderHistoryModule } from 'src/modules/orders';

/** Scheduler role: retention of history tables on a Bull repeatable job; each table's owner prunes its own. */
@Module({
  imports: [
    AuditModule,
    DeadLettersModule,
    ErpPersistenceModule,
    OrderHistoryModule,
    BullModule.registerQueue({ name: QueueName.Maintenance }),
  ],
  providers: [PruneHistory, PruneHistoryProcessor, provideSchedules('maintenance', maintenanceSchedules)],
})
export class MaintenanceModule {}
