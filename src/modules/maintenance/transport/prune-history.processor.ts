import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { PruneHistory } from 'src/modules/maintenance/application/prune-history.use-case';
import type { HistoryPruned } from 'src/modules/maintenance/domain/history-retention.types';

@Processor(QueueName.Maintenance)
export class PruneHistoryProcessor {
  private readonly logger = new Logger(PruneHistoryProcessor.name);

  constructor(private readonly pruneHistory: PruneHistory) {}

  @Process(JobName.PruneHistory)
  async prune(job: Job<JobPayloads[JobName.PruneHistory]>): Promise<HistoryPruned> {
    const deleted = await this.pruneHistory.execute(job.data);
    this.logger.log({ deleted }, 'history pruned');
    return deleted;
  }
}
