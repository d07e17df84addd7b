import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
// @nestjs/bull keeps its metadata keys (and its own accessor) out of its public index; these are what @Processor and
// @Process write, and what its explorer reads to wire handlers.
import { BULL_MODULE_QUEUE, BULL_MODULE_QUEUE_PROCESS } from '@nestjs/bull/dist/bull.constants';
import { JOB_QUEUE, type JobName, type RepeatableJob, jobsOfQueue } from 'src/common/jobs/job-catalogue';

/** What Bull runs for a `@Process()` without a name. */
const DEFAULT_JOB = '__default__';

/** @description One `@Process` handler found at boot: the job it takes, on which queue, and where it is. */
export interface JobHandlerRef {
  queue: string;
  job: string;
  /** `Class.method`, for the error message. */
  handler: string;
}

/** @description A job this process must be able to run: one a schedule registers, or one of a queue it processes. */
export interface RequiredJob {
  queue: string;
  job: string;
  /** Why it is required, for the error message. */
  why: string;
}

/**
 * The jobs a process must handle: every job a schedule registers, and every job the catalogue lists for a queue
 * this process has a `@Processor` for (Bull would leave such a job waiting forever, or fail it as unknown).
 */
export function requiredJobs(
  handlers: readonly JobHandlerRef[],
  schedules: readonly RepeatableJob[],
  catalogue: (queue: string) => readonly string[] = jobsOfQueue,
): RequiredJob[] {
  const required: RequiredJob[] = schedules.map((job) => ({
    queue: job.queue,
    job: job.name,
    why: `schedule ${job.id}`,
  }));
  for (const queue of new Set(handlers.map((h) => h.queue))) {
    for (const job of catalogue(queue)) {
      required.push({ queue, job, why: `queue ${queue} is processed here` });
    }
  }
  return required;
}

/**
 * The boot-time check (immich's `JobRepository.setup()`): every required job has exactly one handler, no job has
 * two, every handler is for a job the catalogue lists on that queue, and every schedule is on its job's queue.
 *
 * @throws Error naming every offending job, so that the process refuses to start.
 */
export function checkJobHandlers(
  handlers: readonly JobHandlerRef[],
  required: readonly RequiredJob[],
  queueOfJob: (job: string) => string | undefined = (job) => JOB_QUEUE[job as JobName],
): void {
  const byJob = new Map<string, JobHandlerRef[]>();
  for (const handler of handlers) {
    const key = `${handler.queue}/${handler.job}`;
    byJob.set(key, [...(byJob.get(key) ?? []), handler]);
  }
  const problems: string[] = [];
  for (const [key, found] of byJob) {
    if (found.length > 1) {
      problems.push(`${key} has ${found.length} handlers (${found.map((h) => h.handler).join(', ')})`);
    }
    const [first] = found;
    if (first !== undefined && queueOfJob(first.job) !== first.queue) {
      problems.push(`${first.handler} handles ${key}, which the job catalogue does not list on queue ${first.queue}`);
    }
  }
  const missing = new Set<string>();
  for (const { queue, job, why } of required) {
    const key = `${queue}/${job}`;
    if (queueOfJob(job) !== queue) {
      problems.push(
        `${why} puts ${job} on queue ${queue}, but the job catalogue has it on ${queueOfJob(job) ?? 'none'}`,
      );
    } else if (!byJob.has(key) && !missing.has(key)) {
      missing.add(key);
      problems.push(`${key} has no @Process handler (${why})`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Job handlers do not match the job catalogue: ${problems.join('; ')}`);
  }
}

/** Every `@Process` handler of every `@Processor` provider in the application, read from @nestjs/bull's metadata. */
export function discoverJobHandlers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): JobHandlerRef[] {
  const handlers: JobHandlerRef[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (typeof instance !== 'object' || instance === null) {
      continue;
    }
    // As @nestjs/bull's explorer does: the instance's class, so that useValue and useFactory providers count too.
    const type = instance.constructor as abstract new (...args: never[]) => unknown;
    const processor = reflector.get<{ name?: string } | undefined>(BULL_MODULE_QUEUE, type);
    if (processor === undefined) {
      continue;
    }
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const fn = (prototype as Record<string, unknown>)[method];
      if (typeof fn !== 'function') {
        continue;
      }
      const process = reflector.get<{ name?: string } | undefined>(BULL_MODULE_QUEUE_PROCESS, fn);
      if (process !== undefined) {
        handlers.push({
          queue: processor.name ?? 'default',
          job: process.name ?? DEFAULT_JOB,
          handler: `${type.name}.${method}`,
        });
      }
    }
  }
  return handlers;
}
