import type { Queue } from 'bull';
import { ADMIN_ACCESS } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import { AdminRole } from 'src/common/auth/admin-role';
import { JobName } from 'src/common/jobs/job-catalogue';
import { InventoryReconciliationResolver } from 'src/modules/inventory/transport/inventory-reconciliation.resolver';

describe(InventoryReconciliationResolver.name, () => {
  it('is for operators with a key for every shop, behind the admin API key guard', () => {
    const handler = InventoryReconciliationResolver.prototype.startInventoryReconciliation;
    expect(Reflect.getMetadata('__guards__', handler)).toContain(AdminApiKeyGuard);
    expect(Reflect.getMetadata(ADMIN_ACCESS, handler)).toEqual({ role: AdminRole.Operator, allShops: true });
  });

  it('queues an operator-triggered reconciliation (which ignores the window) and returns its job id', async () => {
    const added: Array<{ name: string; data: unknown }> = [];
    const queue = {
      add: (name: string, data: unknown) => {
        added.push({ name, data });
        return Promise.resolve({ id: 17, timestamp: Date.UTC(2026, 11, 2, 3, 0) });
      },
    } as unknown as Queue;
    const sut = new InventoryReconciliationResolver(queue);

    const result = await sut.startInventoryReconciliation();

    expect(added).toEqual([{ name: JobName.InventoryReconcile, data: { trigger: 'operator' } }]);
    expect(result).toEqual({ jobId: '17', queuedAt: new Date('2026-12-02T03:00:00Z') });
  });
});
