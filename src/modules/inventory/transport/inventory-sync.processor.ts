import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import {
  PushInventoryDeltas,
  type InventoryPushOutcome,
} from 'src/modules/inventory/application/push-inventory-deltas.use-case';
import {
  ReconcileInventory,
  type ReconciliationResult,
} from 'src/modules/inventory/application/reconcile-inventory.use-case';

/** Bull transport of the inventory push and the full reconciliation (scheduler role). */
@Processor(QueueName.ShopifyInventory)
export class InventorySyncProcessor {
  constructor(
    private readonly push: PushInventoryDeltas,
    private readonly reconcile: ReconcileInventory,
  ) {}

  @Process(JobName.InventoryPushDelta)
  pushDelta(): Promise<Array<InventoryPushOutcome & { shop: string }>> {
    return this.push.executeForCatalogueShops();
  }

  @Process(JobName.InventoryReconcile)
  reconcileLevels(
    job: Job<JobPayloads[JobName.InventoryReconcile]>,
  ): Promise<Array<ReconciliationResult & { shop: string }>> {
    const { trigger, shop, location } = job.data;
    return shop === undefined
      ? this.reconcile.executeForCatalogueShops(trigger)
      : this.reconcile.executeForShop(trigger, shop, location);
  }
}
