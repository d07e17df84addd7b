import { Process, Processor, getQueueToken } from '@nestjs/bull';
import type { Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { JobName, QueueName, repeatable, type RepeatableJob } from 'src/common/jobs/job-catalogue';
import { JobScheduleRegistrar } from 'src/common/jobs/job-schedule.registrar';
import { provideSchedules, type ModuleSchedules } from 'src/common/jobs/job-schedules';
import { JobsModule } from 'src/common/jobs/jobs.module';
import { APP_CONFIG } from 'src/config/app-config';
import { testConfig } from 'test/support/test-config';

/** The part of a Bull (4.x) queue the registrar uses, in memory, with Bull's repeat keys and its reading of them. */
class FakeQueue {
  keys: string[] = [];
  runs: Array<{ name: string; data: unknown }> = [];
  removed: string[] = [];

  constructor(readonly name: string) {}

  getRepeatableJobs() {
    // As Bull reports them: `id` is the key's second `:`-separated part, whatever the job id was.
    return Promise.resolve(this.keys.map((key) => ({ key, id: key.split(':')[1] ?? null })));
  }

  add(name: string, data: unknown, opts: { jobId?: string; repeat?: { cron?: string; every?: number } }) {
    if (opts.repeat === undefined) {
      this.runs.push({ name, data });
    } else {
      const prefix = `${name}:${opts.jobId ?? ''}::`;
      const key = opts.repeat.cron === undefined ? `${prefix}${opts.repeat.every}` : `${prefix}:${opts.repeat.cron}`;
      this.keys = [...this.keys.filter((k) => k !== key), key];
    }
    return Promise.resolve({});
  }

  removeRepeatableByKey(key: string) {
    this.removed.push(key);
    this.keys = this.keys.filter((k) => k !== key);
    return Promise.resolve();
  }
}

@Processor(QueueName.ShopifyInventory)
class InventoryJobs {
  @Process(JobName.InventoryPushDelta)
  push(): void {}

  @Process(JobName.InventoryReconcile)
  reconcile(): void {}
}

@Processor(QueueName.ShopifyInventory)
class PushOnly {
  @Process(JobName.InventoryPushDelta)
  push(): void {}
}

@Processor(QueueName.Maintenance)
class MaintenanceJobs {
  @Process(JobName.PruneHistory)
  prune(): void {}
}

const PUSH = repeatable(JobName.InventoryPushDelta, { every: 60_000 }, {});
const RECONCILE = repeatable(JobName.InventoryReconcile, { cron: '*/15 * * * *' }, { trigger: 'schedule' });
const PRUNE = repeatable(
  JobName.PruneHistory,
  { cron: '17 3 * * *' },
  { inboxRetentionDays: 7, auditRetentionDays: 90, deadLetterRetentionDays: 30 },
);

describe(JobScheduleRegistrar.name, () => {
  let inventory: FakeQueue;
  let maintenance: FakeQueue;

  beforeEach(() => {
    inventory = new FakeQueue(QueueName.ShopifyInventory);
    maintenance = new FakeQueue(QueueName.Maintenance);
  });

  async function boot(processors: Provider[], ...sets: Array<[string, ModuleSchedules]>) {
    const moduleRef = await Test.createTestingModule({
      imports: [JobsModule],
      providers: [
        { provide: APP_CONFIG, useValue: testConfig('unit', 0) },
        { provide: getQueueToken(QueueName.ShopifyInventory), useValue: inventory },
        { provide: getQueueToken(QueueName.Maintenance), useValue: maintenance },
        ...processors,
        ...sets.map(([owner, schedules]) => provideSchedules(owner, () => schedules)),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  it("registers every module's schedules on their queues at boot, and runs the boot-time jobs once", async () => {
    const app = await boot(
      [InventoryJobs, MaintenanceJobs],
      ['inventory', { jobs: [PUSH, RECONCILE] }],
      ['maintenance', { jobs: [PRUNE], runAtBoot: [PRUNE] }],
    );
    try {
      expect(inventory.keys).toEqual([
        'inventory.push-delta:inventory.push-delta::60000',
        'inventory.reconcile:inventory.reconcile:::*/15 * * * *',
      ]);
      expect(maintenance.keys).toEqual(['prune-history:prune-history:::17 3 * * *']);
      expect(maintenance.runs).toEqual([{ name: JobName.PruneHistory, data: PRUNE.data }]);
      expect(inventory.runs).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('replaces a stale schedule of the same job id, also one whose id holds a colon', async () => {
    const stream: RepeatableJob = { ...PUSH, id: `${JobName.InventoryPushDelta}:levels` };
    inventory.keys = [
      'inventory.push-delta:inventory.push-delta::5000',
      'inventory.push-delta:inventory.push-delta:levels::5000',
      'inventory.reconcile:inventory.reconcile:::*/15 * * * *',
    ];
    const app = await boot([InventoryJobs], ['inventory', { jobs: [PUSH, stream, RECONCILE] }]);
    try {
      expect(inventory.removed).toEqual([
        'inventory.push-delta:inventory.push-delta::5000',
        'inventory.push-delta:inventory.push-delta:levels::5000',
      ]);
      expect([...inventory.keys].sort()).toEqual([
        'inventory.push-delta:inventory.push-delta::60000',
        'inventory.push-delta:inventory.push-delta:levels::60000',
        'inventory.reconcile:inventory.reconcile:::*/15 * * * *',
      ]);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when a scheduled job has no handler, naming it, and registers nothing', async () => {
    await expect(boot([PushOnly], ['inventory', { jobs: [PUSH, RECONCILE] }])).rejects.toThrow(
      'shopify-inventory/inventory.reconcile has no @Process handler',
    );
    expect(inventory.keys).toEqual([]);
  });

  it('refuses to start when a job has two handlers', async () => {
    await expect(boot([InventoryJobs, PushOnly], ['inventory', { jobs: [PUSH] }])).rejects.toThrow(
      'shopify-inventory/inventory.push-delta has 2 handlers (InventoryJobs.push, PushOnly.push)',
    );
  });

  describe('after a Redis wipe', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] }));
    afterEach(() => jest.useRealTimers());

    it('registers the schedules of a module that asks for it again within one interval, and runs its restore jobs', async () => {
      const app = await boot(
        [InventoryJobs, MaintenanceJobs],
        ['inventory', { jobs: [PUSH, RECONCILE], recheck: { everyMs: 60_000, runOnRestore: [PUSH] } }],
        ['maintenance', { jobs: [PRUNE] }],
      );
      try {
        await jest.advanceTimersByTimeAsync(60_000);
        expect(inventory.runs).toEqual([]);

        inventory.keys = [];
        maintenance.keys = [];
        await jest.advanceTimersByTimeAsync(60_000);

        expect(inventory.keys).toEqual([
          'inventory.push-delta:inventory.push-delta::60000',
          'inventory.reconcile:inventory.reconcile:::*/15 * * * *',
        ]);
        expect(inventory.runs).toEqual([{ name: JobName.InventoryPushDelta, data: {} }]);
        // Only the modules that ask for the re-check get it (as before: maintenance's comes back at the next boot).
        expect(maintenance.keys).toEqual([]);
      } finally {
        await app.close();
      }
    });
  });
});
