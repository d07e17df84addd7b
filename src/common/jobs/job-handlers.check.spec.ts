import { Process, Processor } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JobName, QueueName, repeatable, type RepeatableJob } from 'src/common/jobs/job-catalogue';
import {
  checkJobHandlers,
  discoverJobHandlers,
  requiredJobs,
  type JobHandlerRef,
} from 'src/common/jobs/job-handlers.check';

const PUSH: JobHandlerRef = {
  queue: QueueName.ShopifyInventory,
  job: JobName.InventoryPushDelta,
  handler: 'InventorySyncProcessor.push',
};
const RECONCILE: JobHandlerRef = {
  queue: QueueName.ShopifyInventory,
  job: JobName.InventoryReconcile,
  handler: 'InventorySyncProcessor.reconcile',
};
const PUSH_SCHEDULE = repeatable(JobName.InventoryPushDelta, { every: 60_000 }, {});
const PRUNE_SCHEDULE = repeatable(
  JobName.PruneHistory,
  { cron: '17 3 * * *' },
  { inboxRetentionDays: 7, auditRetentionDays: 90, deadLetterRetentionDays: 30 },
);

const check =
  (handlers: JobHandlerRef[], schedules: RepeatableJob[] = []) =>
  () =>
    checkJobHandlers(handlers, requiredJobs(handlers, schedules));

describe(checkJobHandlers.name, () => {
  it('passes when every scheduled job and every job of a processed queue has exactly one handler', () => {
    expect(check([PUSH, RECONCILE], [PUSH_SCHEDULE])).not.toThrow();
  });

  it('passes a process with no processors and no schedules (the api role)', () => {
    expect(check([], [])).not.toThrow();
  });

  it('refuses a schedule whose job has no handler, naming the job and the schedule', () => {
    expect(check([PUSH, RECONCILE], [PUSH_SCHEDULE, PRUNE_SCHEDULE])).toThrow(
      'maintenance/prune-history has no @Process handler (schedule prune-history)',
    );
  });

  it('refuses a processed queue with a catalogued job nobody handles, naming the job', () => {
    expect(check([PUSH])).toThrow(
      'shopify-inventory/inventory.reconcile has no @Process handler (queue shopify-inventory is processed here)',
    );
  });

  it('refuses a job with two handlers, naming both', () => {
    const twice = { ...PUSH, handler: 'InventoryPushProcessor.push' };
    expect(check([PUSH, twice, RECONCILE])).toThrow(
      'shopify-inventory/inventory.push-delta has 2 handlers (InventorySyncProcessor.push, InventoryPushProcessor.push)',
    );
  });

  it('refuses a handler of a job the catalogue does not list on its queue', () => {
    const stray = { queue: QueueName.ShopifyInventory, job: JobName.SyncProducts, handler: 'Stray.sync' };
    expect(check([PUSH, RECONCILE, stray])).toThrow(
      'Stray.sync handles shopify-inventory/products.sync, which the job catalogue does not list on queue shopify-inventory',
    );
  });

  it('refuses a schedule on another queue than its job', () => {
    expect(check([PUSH, RECONCILE], [{ ...PUSH_SCHEDULE, queue: QueueName.ShopifyProducts }])).toThrow(
      'schedule inventory.push-delta puts inventory.push-delta on queue shopify-products, but the job catalogue has it on shopify-inventory',
    );
  });

  it('names every problem at once', () => {
    expect(check([PUSH, { ...PUSH, handler: 'Other.push' }], [PRUNE_SCHEDULE])).toThrow(
      /2 handlers.*; .*prune-history has no @Process handler.*; .*inventory\.reconcile has no @Process handler/,
    );
  });
});

@Processor(QueueName.ShopifyInventory)
class InventoryJobs {
  @Process(JobName.InventoryPushDelta)
  push(): void {}

  @Process({ name: JobName.InventoryReconcile, concurrency: 1 })
  reconcile(): void {}

  notAHandler(): void {}
}

@Processor({ name: QueueName.Maintenance })
class MaintenanceJobs {
  @Process()
  anything(): void {}
}

@Injectable()
class NotAProcessor {
  @Process(JobName.SyncProducts)
  stray(): void {}
}

describe(discoverJobHandlers.name, () => {
  it("reads @nestjs/bull's @Processor and @Process metadata of every provider, useValue ones too", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [InventoryJobs, NotAProcessor, { provide: 'maintenance', useValue: new MaintenanceJobs() }],
    }).compile();

    const handlers = discoverJobHandlers(
      moduleRef.get(DiscoveryService),
      moduleRef.get(MetadataScanner),
      moduleRef.get(Reflector),
    );

    expect(handlers).toEqual(
      expect.arrayContaining([
        { queue: 'shopify-inventory', job: 'inventory.push-delta', handler: 'InventoryJobs.push' },
        { queue: 'shopify-inventory', job: 'inventory.reconcile', handler: 'InventoryJobs.reconcile' },
        { queue: 'maintenance', job: '__default__', handler: 'MaintenanceJobs.anything' },
      ]),
    );
    expect(handlers).toHaveLength(3);
  });
});
