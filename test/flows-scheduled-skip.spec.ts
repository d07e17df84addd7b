import type { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import type { AppConfig } from 'src/config/app-config';
import { FlowPauses } from 'src/modules/flows/application/flow-pauses.service';
import { Flow, type FlowPause } from 'src/modules/flows/domain/flow';
import type { FlowPauseRepository } from 'src/modules/flows/persistence/flow-pause.repository';
import { FulfilErpShipments } from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';
import { PushInventoryDeltas } from 'src/modules/inventory/application/push-inventory-deltas.use-case';
import { ReconcileInventory } from 'src/modules/inventory/application/reconcile-inventory.use-case';
import type { InventorySettings } from 'src/modules/inventory/inventory.constants';
import { ReconcileOrders } from 'src/modules/orders/application/reconcile-orders.use-case';
import { SyncProductsToShopify } from 'src/modules/products/application/sync-products-to-shopify.use-case';
import type { ProductSyncSettings } from 'src/modules/products/products.constants';
import type { ShopDirectory } from 'src/modules/shops';

/**
 * Each scheduled flow skips its run for a shop whose flow an operator paused, before it reads or writes anything:
 * every other dependency of the use case throws if it is touched at all.
 */
const SHOP = 'paused.myshopify.com';

function untouchable<T>(name: string): T {
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        throw new Error(`${name}.${String(property)} was used by a paused flow`);
      },
    },
  ) as T;
}

function pausesOf(...flows: Flow[]): FlowPauses {
  const pauses: FlowPause[] = flows.map((flow) => ({
    shop: SHOP,
    flow,
    pausedAt: new Date(),
    pausedBy: 'ops',
    reason: null,
  }));
  return new FlowPauses({ all: () => Promise.resolve(pauses) } as unknown as FlowPauseRepository);
}

const config = { shopify: { shopDomain: SHOP } } as unknown as AppConfig;
/** The deployment's one shop, as the shops module hands it out (reading it is not touching the flow's work). */
const shop = { domain: SHOP, enabled: true, bootstrap: true, erpScope: {}, adminApiUrl: '', webhookSecrets: [] };
const shops = {
  bootstrapDomain: SHOP,
  find: () => Promise.resolve(shop),
  enabled: () => Promise.resolve([shop]),
  catalogueShops: () => Promise.resolve([shop]),
} as unknown as ShopDirectory;
const settings = { shop: SHOP, connector: 'sandbox' };

describe('scheduled flows paused for their shop', () => {
  it('order reconciliation: no run, the watermark untouched', async () => {
    const sut = new ReconcileOrders(
      untouchable('shopify'),
      shops,
      untouchable('publisher'),
      config,
      untouchable('orders'),
      untouchable('repository'),
      untouchable('audit'),
      untouchable<AdvisoryLocks>('locks'),
      pausesOf(Flow.OrderReconciliation),
    );
    expect(await sut.execute()).toEqual({ shop: SHOP, ran: false, listed: 0, ordersPublished: 0, refundsPublished: 0 });
  });

  it('fulfilments: no run, the shipments left waiting', async () => {
    const sut = new FulfilErpShipments(
      untouchable('shopify'),
      shops,
      untouchable('orderShops'),
      config,
      untouchable('repository'),
      untouchable('audit'),
      untouchable<AdvisoryLocks>('locks'),
      undefined,
      pausesOf(Flow.Fulfilments),
    );
    expect(await sut.execute({ connector: 'sandbox' })).toMatchObject({ ran: false, considered: 0 });
  });

  it('products: no push', async () => {
    const sut = new SyncProductsToShopify(
      untouchable('repository'),
      untouchable('shopify'),
      untouchable('audit'),
      settings as unknown as ProductSyncSettings,
      untouchable<AdvisoryLocks>('locks'),
      shops,
      undefined,
      pausesOf(Flow.Products),
    );
    expect(await sut.execute()).toEqual({ paused: 'the products flow is paused for this shop' });
  });

  it('inventory: neither the delta push nor the reconciliation', async () => {
    const args = [
      untouchable<never>('repository'),
      untouchable<never>('shopify'),
      untouchable<never>('audit'),
      settings as unknown as InventorySettings,
      untouchable<AdvisoryLocks>('locks'),
      shops,
      untouchable<never>('locations'),
      undefined,
      pausesOf(Flow.Inventory),
    ] as const;
    expect(await new PushInventoryDeltas(...args).execute()).toEqual({
      off: 'the inventory flow is paused for this shop',
    });
    expect(await new ReconcileInventory(...args).execute('operator')).toEqual({
      outcome: 'skipped',
      reason: 'the inventory flow is paused for this shop',
    });
  });

  it('runs what is not paused: another flow of the shop goes on', async () => {
    const sut = new ReconcileOrders(
      untouchable('shopify'),
      shops,
      untouchable('publisher'),
      config,
      untouchable('orders'),
      untouchable('repository'),
      untouchable('audit'),
      untouchable<AdvisoryLocks>('locks'),
      pausesOf(Flow.Products),
    );
    // Not paused: it goes for its lock (and so touches what a paused run never does).
    await expect(sut.execute()).rejects.toThrow('locks.tryExclusive was used by a paused flow');
  });
});
