import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { Flow, FlowPauses } from 'src/modules/flows';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';

export type StartPayoutsDepositResult =
  | { outcome: 'queued'; shop: string; jobId: string; queuedAt: Date }
  | { outcome: 'unknown_shop' }
  /** PAYOUTS_ERP_BANK_ACCOUNT is not set: the deployment writes no payouts. */
  | { outcome: 'payouts_off' }
  | { outcome: 'shop_disabled'; shop: string }
  | { outcome: 'flow_paused'; shop: string; pausedBy: string; reason: string | null };

/** Bull keeps an operator's run this long after it ended (its outcome is in `shopify_payout` and the audit). */
const JOB_RETENTION = { removeOnComplete: 50, removeOnFail: 50 };

/**
 * An operator's "deposit payouts now" for one shop: queues a one-off `payouts.deposit` job for that shop on the
 * payouts queue, which the scheduler runs through the same code as the hourly schedule, except that held, retrying
 * and failed payouts are taken at once and the audit names the operator. Refused, nothing queued, while payouts are
 * off, the shop is disabled, or its payouts flow is paused.
 */
@Injectable()
export class StartPayoutsDeposit {
  constructor(
    private readonly shops: ShopDirectory,
    private readonly flows: FlowPauses,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.ShopifyPayouts) private readonly queue: Pick<Queue, 'add'>,
  ) {}

  async execute(input: { shop: string; actor: string }): Promise<StartPayoutsDepositResult> {
    const domain = normalizeShopDomain(input.shop);
    const shop = domain === undefined ? undefined : await this.shops.find(domain);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    if (this.config.payouts === undefined) {
      return { outcome: 'payouts_off' };
    }
    if (!shop.enabled) {
      return { outcome: 'shop_disabled', shop: shop.domain };
    }
    const pause = await this.flows.pauseOf(shop.domain, Flow.Payouts);
    if (pause !== undefined) {
      return { outcome: 'flow_paused', shop: shop.domain, pausedBy: pause.pausedBy, reason: pause.reason };
    }
    const data: JobPayloads[JobName.DepositPayouts] = { shop: shop.domain, requestedBy: input.actor };
    const job = await this.queue.add(JobName.DepositPayouts, data, JOB_RETENTION);
    return { outcome: 'queued', shop: shop.domain, jobId: String(job.id), queuedAt: new Date(job.timestamp) };
  }
}
