import type { Queue } from 'bull';
import { ADMIN_ACCESS } from 'src/common/auth/admin-access';
import { AdminApiKeyGuard } from 'src/common/auth/admin-api-key.guard';
import { AdminRole } from 'src/common/auth/admin-role';
import { JobName } from 'src/common/jobs/job-catalogue';
import { ResyncInventoryLocation } from 'src/modules/inventory/application/resync-inventory-location.use-case';
import type { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import { InventoryReconciliationResolver } from 'src/modules/inventory/transport/inventory-reconciliation.resolver';
import type { ShopDirectory } from 'src/modules/shops';

describe(InventoryReconciliationResolver.name, () => {
  it('is for operators with a key for every shop, behind the admin API key guard', () => {
    const handler = InventoryReconciliationResolver.prototype.startInventoryReconciliation;
    expect(Reflect.getMetadata('__guards__', handler)).toContain(AdminApiKeyGuard);
    expect(Reflect.getMetadata(ADMIN_ACCESS, handler)).toEqual({ role: AdminRole.Operator, allShops: true });
  });

  const added: Array<{ name: string; data: unknown }> = [];
  const queue = {
    add: (name: string, data: unknown) => {
      added.push({ name, data });
      return Promise.resolve({ id: 17, timestamp: Date.UTC(2026, 11, 2, 3, 0) });
    },
  } as unknown as Queue;
  const shops = {
    find: (domain: string) => Promise.resolve(domain === 'a.myshopify.com' ? { domain, bootstrap: false } : undefined),
  } as unknown as ShopDirectory;
  const locations = {
    of: () =>
      Promise.resolve(
        new Map([
          ['wh-1', 'gid://shopify/Location/1001'],
          ['wh-2', 'gid://shopify/Location/1002'],
        ]),
      ),
  } as unknown as ShopStockLocations;
  const sut = new InventoryReconciliationResolver(queue, new ResyncInventoryLocation(shops, locations, queue));

  beforeEach(() => {
    added.length = 0;
  });

  it('queues an operator-triggered reconciliation (which ignores the window) and returns its job id', async () => {
    const result = await sut.startInventoryReconciliation();

    expect(added).toEqual([{ name: JobName.InventoryReconcile, data: { trigger: 'operator' } }]);
    expect(result).toEqual({ jobId: '17', queuedAt: new Date('2026-12-02T03:00:00Z') });
  });

  it('re-syncs one location for operators of that shop, named by ERP id, GID or numeric Shopify id', async () => {
    const handler = InventoryReconciliationResolver.prototype.resyncInventoryLocation;
    expect(Reflect.getMetadata(ADMIN_ACCESS, handler)).toEqual({ role: AdminRole.Operator, allShops: false });
    for (const location of ['wh-2', 'gid://shopify/Location/1002', '1002']) {
      expect(await sut.resyncInventoryLocation({ shop: 'A.myshopify.com', location })).toMatchObject({
        shop: 'a.myshopify.com',
        erpLocationId: 'wh-2',
        shopifyLocationId: 'gid://shopify/Location/1002',
        jobId: '17',
      });
    }
    expect(added.map((a) => a.data)).toEqual(
      Array.from({ length: 3 }, () => ({ trigger: 'operator', shop: 'a.myshopify.com', location: 'wh-2' })),
    );
  });

  it('refuses a location the shop does not stock, and an unknown shop, queuing nothing', async () => {
    await expect(sut.resyncInventoryLocation({ shop: 'a.myshopify.com', location: 'wh-9' })).rejects.toThrow(
      'the shop stocks no such location',
    );
    await expect(sut.resyncInventoryLocation({ shop: 'b.myshopify.com', location: 'wh-1' })).rejects.toThrow(
      'unknown shop',
    );
    expect(added).toEqual([]);
  });
});
