import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from 'src/common/jobs/job-catalogue';
import type { FlowScheduleEntry } from 'src/modules/flows/domain/flow';

/** The Bull queues whose repeatable jobs make up the scheduled flows. */
export const FLOW_QUEUES = [
  QueueName.ShopifyProducts,
  QueueName.ShopifyInventory,
  QueueName.ShopifyFulfilments,
  QueueName.OrderReconciliation,
  QueueName.ShopifyPayouts,
] as const;

/**
 * @description The schedules as the scheduler role registered them in Redis (pattern or interval, next run), by job
 * name: what runs, not what the configuration would say, so that a wiped Redis shows as no schedule.
 */
@Injectable()
export class FlowSchedulesReader {
  private readonly logger = new Logger(FlowSchedulesReader.name);
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(QueueName.ShopifyProducts) products: Queue,
    @InjectQueue(QueueName.ShopifyInventory) inventory: Queue,
    @InjectQueue(QueueName.ShopifyFulfilments) fulfilments: Queue,
    @InjectQueue(QueueName.OrderReconciliation) reconciliation: Queue,
    @InjectQueue(QueueName.ShopifyPayouts) payouts: Queue,
  ) {
    this.queues = [products, inventory, fulfilments, reconciliation, payouts];
  }

  async read(): Promise<Map<string, FlowScheduleEntry[]>> {
    const byJob = new Map<string, FlowScheduleEntry[]>();
    await Promise.all(
      this.queues.map(async (queue) => {
        try {
          for (const job of await queue.getRepeatableJobs()) {
            const every = Number(job.every);
            const entry: FlowScheduleEntry = {
              job: job.name,
              cron: typeof job.cron === 'string' && job.cron !== '' ? job.cron : null,
              everyMs: Number.isFinite(every) && every > 0 ? every : null,
              nextRunAt: Number.isFinite(job.next) ? new Date(job.next) : null,
            };
            byJob.set(job.name, [...(byJob.get(job.name) ?? []), entry]);
          }
        } catch (error: unknown) {
          // Redis unreachable: the flows are still listed, their schedules empty.
          this.logger.warn({ queue: queue.name, err: String(error) }, 'could not read the registered schedules');
        }
      }),
    );
    return byJob;
  }
}
