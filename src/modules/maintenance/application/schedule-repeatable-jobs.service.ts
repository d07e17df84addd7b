import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { JOB_SCHEDULES, JobName, QueueName } from 'src/common/jobs/job-catalogue';

/**
 * Registers every repeatable job at boot. Redis keeps nothing across a restart here, so schedules are always
 * re-created from code (fixed job ids make that idempotent), and stale ones with another cron are removed.
 */
@Injectable()
export class ScheduleRepeatableJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleRepeatableJobs.name);

  constructor(@InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    const name = JobName.PruneHistory;
    const schedule = JOB_SCHEDULES[name];
    for (const existing of await this.maintenance.getRepeatableJobs()) {
      if (existing.name === String(name) && existing.cron !== schedule.cron) {
        await this.maintenance.removeRepeatableByKey(existing.key);
      }
    }
    await this.maintenance.add(name, schedule.data, {
      jobId: name,
      repeat: { cron: schedule.cron },
      removeOnComplete: 50,
      removeOnFail: 50,
    });
    this.logger.log({ job: name, cron: schedule.cron }, 'repeatable job registered');
  }
}
