import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import {
  checkReplayTarget,
  DEFAULT_REPLAY_RATE_PER_SECOND,
  type ReplayTargetProblem,
} from 'src/modules/orders/domain/order-replay';
import { OrderReplayRepository, type OrderReplayRecord } from 'src/modules/orders/persistence/order-replay.repository';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';

export interface StartOrderReplayInput {
  shop: string;
  /** Either the orders created in [createdFrom, createdTo]… */
  createdFrom?: Date;
  createdTo?: Date;
  /** …or these order ids (legacy ids or GIDs). */
  orderIds?: readonly string[];
  force?: boolean;
  /** Orders per second (default DEFAULT_REPLAY_RATE_PER_SECOND); the transport bounds it. */
  ratePerSecond?: number;
  actor: string;
}

export type StartOrderReplayResult =
  | { outcome: 'queued'; replay: OrderReplayRecord }
  | { outcome: 'unknown_shop' }
  | { outcome: 'invalid'; problem: ReplayTargetProblem | 'range-and-ids' };

/** Bull keeps a replay's job this long after it ended (the replay's own row keeps its status for good). */
const JOB_RETENTION = { removeOnComplete: 100, removeOnFail: 100 };
/** A run that fails (Shopify down, say) is tried again, resuming where it stopped. */
const JOB_RETRIES = { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } };

/**
 * Records an operator's background order replay and queues the job that runs it (RunOrderReplay, scheduler role).
 * The replay's id is the job's id: the status (`orderReplay(id)`) and a resume name it.
 */
@Injectable()
export class StartOrderReplay {
  constructor(
    private readonly replays: OrderReplayRepository,
    private readonly shops: ShopDirectory,
    @InjectQueue(QueueName.OrderReplay) private readonly queue: Queue,
  ) {}

  async execute(input: StartOrderReplayInput): Promise<StartOrderReplayResult> {
    const byIds = input.orderIds !== undefined;
    const byRange = input.createdFrom !== undefined || input.createdTo !== undefined;
    if (byIds && byRange) {
      return { outcome: 'invalid', problem: 'range-and-ids' };
    }
    if (!byIds && !byRange) {
      return { outcome: 'invalid', problem: 'empty' };
    }
    const problem = checkReplayTarget(
      byIds
        ? { orderIds: input.orderIds ?? [] }
        : { createdFrom: input.createdFrom ?? new Date(NaN), createdTo: input.createdTo ?? new Date(NaN) },
    );
    if (problem !== null) {
      return { outcome: 'invalid', problem };
    }
    const domain = normalizeShopDomain(input.shop);
    const shop = domain === undefined ? undefined : await this.shops.find(domain);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const replay = await this.replays.create({
      id: randomUUID(),
      shop: shop.domain,
      createdFrom: byIds ? null : (input.createdFrom ?? null),
      createdTo: byIds ? null : (input.createdTo ?? null),
      orderIds: byIds ? [...new Set(input.orderIds)] : null,
      force: input.force === true,
      ratePerSecond: input.ratePerSecond ?? DEFAULT_REPLAY_RATE_PER_SECOND,
      requestedBy: input.actor,
    });
    await this.enqueue(replay.id);
    return { outcome: 'queued', replay };
  }

  /** Queues a replay's run again (one that failed, or that a lost worker left running): it resumes where it stopped. */
  async resume(input: {
    shop: string;
    replayId: string;
  }): Promise<{ outcome: 'queued'; replay: OrderReplayRecord } | { outcome: 'not_found' }> {
    const replay = await this.replays.find(input.replayId);
    if (replay === null || replay.shop !== normalizeShopDomain(input.shop)) {
      return { outcome: 'not_found' };
    }
    if (replay.state !== 'published') {
      await this.enqueue(replay.id);
    }
    return { outcome: 'queued', replay };
  }

  private async enqueue(replayId: string): Promise<void> {
    const data: JobPayloads[JobName.ReplayOrders] = { replayId };
    await this.queue.add(JobName.ReplayOrders, data, { ...JOB_RETENTION, ...JOB_RETRIES });
  }
}
