import { InjectQueue } from '@nestjs/bull';
import { Mutation, Resolver } from '@nestjs/graphql';
import type { Queue } from 'bull';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { InventoryReconciliationRequest } from 'src/modules/inventory/transport/models/inventory-reconciliation-request.model';

/** Operators start the full inventory reconciliation outside its nightly window (api role; runs in the scheduler). */
@Resolver(() => InventoryReconciliationRequest)
export class InventoryReconciliationResolver {
  constructor(@InjectQueue(QueueName.ShopifyInventory) private readonly queue: Queue) {}

  @Mutation(() => InventoryReconciliationRequest, {
    description:
      'Queues a full inventory reconciliation (Shopify levels by bulk read, only differences written). Runs now, ' +
      'ignoring the off-hours window; one inventory write runs at a time.',
  })
  // Every location of every shop at once: an operator key limited to some shops may not start it.
  @RequireRole(AdminRole.Operator, { allShops: true })
  async startInventoryReconciliation(): Promise<InventoryReconciliationRequest> {
    const data: JobPayloads[JobName.InventoryReconcile] = { trigger: 'operator' };
    const job = await this.queue.add(JobName.InventoryReconcile, data, { removeOnComplete: 50, removeOnFail: 50 });
    return { jobId: String(job.id), queuedAt: new Date(job.timestamp) };
  }
}
