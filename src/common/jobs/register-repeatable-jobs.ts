import type { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import type { RepeatableJob } from 'src/common/jobs/job-catalogue';

const ONE_OFF = { removeOnComplete: 50, removeOnFail: 50 } as const;

/**
 * Bull (4.x) keys a repeatable job `name:jobId::every` or `name:jobId:::cron` (the empty parts are an end date and a
 * time zone, which ours never have). Its `getRepeatableJobs` splits the key on `:` to report `id`, so an id that holds
 * a `:` (the ERP streams' `read-erp-changes:items`) comes back cut short: a job is matched by its key, not that `id`.
 */
function keyPrefixOf(job: RepeatableJob): string {
  return `${job.name}:${job.id}::`;
}

function keyOf(job: RepeatableJob): string {
  return 'cron' in job.repeat ? `${keyPrefixOf(job)}:${job.repeat.cron}` : `${keyPrefixOf(job)}${job.repeat.every}`;
}

/**
 * Registers repeatable jobs on their queue. Schedules are always re-created from code at boot (fixed job ids make
 * that idempotent), and stale ones of the same job id with another schedule are removed.
 */
export async function registerRepeatableJobs(
  queue: Queue,
  jobs: readonly RepeatableJob[],
  logger: Logger,
): Promise<void> {
  const existing = await queue.getRepeatableJobs();
  for (const job of jobs) {
    for (const stale of existing) {
      if (stale.key.startsWith(keyPrefixOf(job)) && stale.key !== keyOf(job)) {
        await queue.removeRepeatableByKey(stale.key);
      }
    }
    await queue.add(job.name, job.data, {
      jobId: job.id,
      repeat: job.repeat,
      ...ONE_OFF,
    });
    logger.log({ job: job.id, repeat: job.repeat }, 'repeatable job registered');
  }
}

/** Enqueues one run of each job now, besides its schedule. */
export async function runOnce(queue: Queue, jobs: readonly RepeatableJob[]): Promise<void> {
  for (const job of jobs) {
    await queue.add(job.name, job.data, ONE_OFF);
  }
}

/**
 * Registers the jobs again when Redis lost any of them (S8: a wipe), then runs `runOnRestore` at once, since their
 * pending work is in PostgreSQL. True if it had to.
 */
export async function restoreRepeatableJobs(
  queue: Queue,
  jobs: readonly RepeatableJob[],
  runOnRestore: readonly RepeatableJob[],
  logger: Logger,
): Promise<boolean> {
  const present = new Set((await queue.getRepeatableJobs()).map((job) => job.key));
  if (jobs.every((job) => present.has(keyOf(job)))) {
    return false;
  }
  logger.warn({ jobs: jobs.map((job) => job.id) }, 'repeatable jobs missing in Redis (wiped?): registering them again');
  await registerRepeatableJobs(queue, jobs, logger);
  await runOnce(queue, runOnRestore);
  return true;
}
