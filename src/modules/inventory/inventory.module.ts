import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { ErpModule, ErpPersistenceModule } from 'src/modules/erp';
import { FlowsModule } from 'src/modules/flows';
import { BootstrapInventory } from 'src/modules/inventory/application/bootstrap-inventory.service';
import { HandleInventoryLevelUpdate } from 'src/modules/inventory/application/handle-inventory-level-update.use-case';
import { PushInventoryDeltas } from 'src/modules/inventory/application/push-inventory-deltas.use-case';
import { ReconcileInventory } from 'src/modules/inventory/application/reconcile-inventory.use-case';
import { ResyncInventoryLocation } from 'src/modules/inventory/application/resync-inventory-location.use-case';
import { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import { parseDailyWindow } from 'src/modules/inventory/domain/reconcile-window';
import { INVENTORY_SETTINGS, type InventorySettings } from 'src/modules/inventory/inventory.constants';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';
import { inventorySchedules } from 'src/modules/inventory/schedules';
import { InventoryEventsConsumer } from 'src/modules/inventory/transport/inventory-events.consumer';
import { InventoryLocationResyncController } from 'src/modules/inventory/transport/inventory-location-resync.controller';
import { InventoryReconciliationResolver } from 'src/modules/inventory/transport/inventory-reconciliation.resolver';
import { InventorySyncProcessor } from 'src/modules/inventory/transport/inventory-sync.processor';
import { MappingPolicyModule } from 'src/modules/mapping';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

export function inventorySettingsFrom(config: AppConfig): InventorySettings {
  return {
    connector: config.erp.connector,
    shop: config.shopify.shopDomain,
    reconcileWindow: parseDailyWindow(config.inventory.reconcileWindow),
    shopTimeZone: config.inventory.shopTimeZone,
    writeConcurrency: config.inventory.writeConcurrency,
  };
}

const settingsProvider = { provide: INVENTORY_SETTINGS, inject: [APP_CONFIG], useFactory: inventorySettingsFrom };

/** Scheduler role: ERP levels → Shopify `available` (delta pushes and the full reconciliation), on Bull. */
@Module({
  imports: [
    AuditModule,
    MappingPolicyModule,
    FlowsModule,
    ShopsModule,
    ErpPersistenceModule,
    ShopifyAdminModule,
    BullModule.registerQueue({ name: QueueName.ShopifyInventory }),
  ],
  providers: [
    settingsProvider,
    AdvisoryLocks,
    InventoryRepository,
    ShopStockLocations,
    PushInventoryDeltas,
    ReconcileInventory,
    InventorySyncProcessor,
    BootstrapInventory,
    provideSchedules('inventory', inventorySchedules),
  ],
})
export class InventoryModule {}

/**
 * Api role: the operator's `startInventoryReconciliation` and `resyncInventoryLocation` (GraphQL and REST); each
 * queues the job the scheduler runs.
 */
@Module({
  imports: [
    ErpPersistenceModule,
    MappingPolicyModule,
    ShopsModule,
    BullModule.registerQueue({ name: QueueName.ShopifyInventory }),
  ],
  providers: [InventoryRepository, ShopStockLocations, ResyncInventoryLocation, InventoryReconciliationResolver],
  controllers: [InventoryLocationResyncController],
})
export class InventoryAdminModule {}

/** Worker role: the inventory-events consumer (`inventory_levels/update` echo / drift check). */
@Module({
  imports: [AuditModule, ErpModule.forRoot(), ErpPersistenceModule],
  providers: [settingsProvider, InventoryRepository, HandleInventoryLevelUpdate, InventoryEventsConsumer],
})
export class InventoryEventsModule {}
