import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import {
  INVENTORY_RECONCILE_SCHEDULE,
  inventoryPushSchedule,
  QueueName,
  type RepeatableJob,
} from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import type { QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';

/**
 * Scheduler role, at boot: the configured location mapping, quantity policy and bundle SKUs are written to
 * PostgreSQL (config rows only; an operator's rows are kept), then the repeatable push and reconciliation jobs are
 * registered. Redis keeps nothing we cannot rebuild (S8): once per push interval the schedules are checked and
 * registered again if a Redis wipe lost them; the push's work itself is in PostgreSQL.
 */
@Injectable()
export class BootstrapInventory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BootstrapInventory.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: InventoryRepository,
    @InjectQueue(QueueName.ShopifyInventory) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get schedules(): RepeatableJob[] {
    return [inventoryPushSchedule(this.config.erp.pollIntervalSeconds * 1_000), INVENTORY_RECONCILE_SCHEDULE];
  }

  async onApplicationBootstrap(): Promise<void> {
    const { inventory } = this.config;
    await this.repository.bootstrapLocationMap(inventory.locationMap);
    await this.repository.bootstrapPolicy(
      this.config.shopify.shopDomain,
      inventory.quantityPolicy as QuantityPolicyMode,
    );
    await this.repository.addBundleSkus(this.config.erp.connector, inventory.bundleSkus);
    await registerRepeatableJobs(this.queue, this.schedules, this.logger);
    this.timer = setInterval(() => {
      this.ensureSchedules().catch((error: unknown) =>
        this.logger.warn(`inventory schedules not checked: ${String(error)}`),
      );
    }, this.config.erp.pollIntervalSeconds * 1_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Registers the schedules again when Redis lost them; true if it had to. */
  async ensureSchedules(): Promise<boolean> {
    const present = new Set((await this.queue.getRepeatableJobs()).map((job) => job.id));
    if (this.schedules.every((job) => present.has(job.id))) {
      return false;
    }
    this.logger.warn('inventory schedules missing in Redis (wiped?): registering them again');
    await registerRepeatableJobs(this.queue, this.schedules, this.logger);
    // Anything pending is in PostgreSQL: push it now rather than one interval later.
    await this.queue.add(this.schedules[0].name, {}, { removeOnComplete: 50, removeOnFail: 50 });
    return true;
  }
}
