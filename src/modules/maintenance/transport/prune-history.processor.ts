import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { HistoryRepository } from 'src/modules/maintenance/persistence/history.repository';

@Processor(QueueName.Maintenance)
export class PruneHistoryProcessor {
  private readonly logger = new Logger(PruneHistoryProcessor.name);

  constructor(private readonly history: HistoryRepository) {}

  @Process(JobName.PruneHistory)
  async prune(job: Job<JobPayloads[JobName.PruneHistory]>): Promise<Record<string, number>> {
    const deleted = await this.history.prune({
      inbox: job.data.inboxRetentionDays,
      audit: job.data.auditRetentionDays,
      deadLetters: job.data.deadLetterRetentionDays,
    });
    this.logger.log({ deleted }, 'history pruned');
    return deleted;
  }
}
