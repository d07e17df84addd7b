import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import type { QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';

/**
 * Scheduler role, at boot: the configured location mapping, quantity policy and bundle SKUs are written to
 * PostgreSQL (config rows only; an operator's rows are kept). The repeatable push and reconciliation jobs are in
 * `src/modules/inventory/schedules.ts`, registered (and re-registered after a Redis wipe) by the schedule registrar.
 */
@Injectable()
export class BootstrapInventory implements OnApplicationBootstrap {
  constructor(
    private readonly repository: InventoryRepository,
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
  }
}
