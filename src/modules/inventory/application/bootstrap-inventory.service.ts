import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { INVENTORY_RECONCILE_SCHEDULE, inventoryPushSchedule, QueueName } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';

/**
 * Scheduler role, at boot: the configured location mapping, quantity policy and bundle SKUs are written to
 * PostgreSQL (config rows only; an operator's rows are kept), then the repeatable push and reconciliation jobs are
 * registered — re-registered after a Redis wipe by the next boot, and the push job's work is in PostgreSQL anyway.
 */
@Injectable()
export class BootstrapInventory implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapInventory.name);

  constructor(
    private readonly repository: InventoryRepository,
    @InjectQueue(QueueName.ShopifyInventory) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { inventory } = this.config;
    await this.repository.bootstrapLocationMap(inventory.locationMap);
    await this.repository.bootstrapPolicy(
      this.config.shopify.shopDomain,
      inventory.quantityPolicy as QuantityPolicyMode,
    );
    await this.repository.addBundleSkus(this.config.erp.connector, inventory.bundleSkus);
    await registerRepeatableJobs(
      this.queue,
      [inventoryPushSchedule(this.config.erp.pollIntervalSeconds * 1_000), INVENTORY_RECONCILE_SCHEDULE],
      this.logger,
    );
  }
}
