import type { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import type { RepeatableJob } from 'src/common/jobs/job-catalogue';

/**
 * Registers repeatable jobs on their queue. Redis keeps nothing across a restart here, so schedules are always
 * re-created from code at boot (fixed job ids make that idempotent), and stale ones of the same job id with
 * another schedule are removed.
 */
export async function registerRepeatableJobs(
  queue: Queue,
  jobs: readonly RepeatableJob[],
  logger: Logger,
): Promise<void> {
  const existing = await queue.getRepeatableJobs();
  for (const job of jobs) {
    const cron = 'cron' in job.repeat ? job.repeat.cron : null;
    const every = 'every' in job.repeat ? job.repeat.every : null;
    for (const stale of existing) {
      if (stale.id === job.id && (stale.cron !== cron || Number(stale.every ?? 0) !== Number(every ?? 0))) {
        await queue.removeRepeatableByKey(stale.key);
      }
    }
    await queue.add(job.name, job.data, {
      jobId: job.id,
      repeat: job.repeat,
      removeOnComplete: 50,
      removeOnFail: 50,
    });
    logger.log({ job: job.id, repeat: job.repeat }, 'repeatable job registered');
  }
}
