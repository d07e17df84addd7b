import { InjectQueue } from '@nestjs/bull';
import { Args, ArgsType, Field, Mutation, Resolver } from '@nestjs/graphql';
import type { Queue } from 'bull';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { ResyncInventoryLocation } from 'src/modules/inventory/application/resync-inventory-location.use-case';
import { InventoryLocationResyncRequest } from 'src/modules/inventory/transport/models/inventory-location-resync-request.model';
import { InventoryReconciliationRequest } from 'src/modules/inventory/transport/models/inventory-reconciliation-request.model';

@ArgsType()
export class ResyncInventoryLocationArgs {
  @Field({ description: 'The shop’s myshopify domain.' })
  @IsString()
  @MaxLength(255)
  shop!: string;

  @Field({ description: 'The location: its ERP id, its Shopify location GID or its numeric Shopify id.' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  location!: string;
}

/** Operators start the full inventory reconciliation outside its nightly window (api role; runs in the scheduler). */
@Resolver(() => InventoryReconciliationRequest)
export class InventoryReconciliationResolver {
  constructor(
    @InjectQueue(QueueName.ShopifyInventory) private readonly queue: Queue,
    private readonly resyncLocation: ResyncInventoryLocation,
  ) {}

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

  @Mutation(() => InventoryLocationResyncRequest, {
    description:
      "Re-syncs one stock location of a shop: its levels read from Shopify, and each that differs from the ERP's " +
      '(under the quantity policy) written now; the other locations untouched.',
  })
  @RequireRole(AdminRole.Operator)
  async resyncInventoryLocation(
    @Args(new GraphqlValidationPipe()) args: ResyncInventoryLocationArgs,
  ): Promise<InventoryLocationResyncRequest> {
    const result = await this.resyncLocation.execute(args);
    switch (result.outcome) {
      case 'queued':
        return result;
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'unknown_location':
        throw new GraphqlClientError('the shop stocks no such location (its mapping pairs none)', 'NOT_FOUND');
    }
  }
}
