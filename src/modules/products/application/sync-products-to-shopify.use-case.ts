import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ErrorKind, errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import type { CatalogueShop } from 'src/modules/erp';
import { Flow, FlowPauses } from 'src/modules/flows';
import { ownerOf, OwnershipPolicyService } from 'src/modules/mapping';
import {
  PRODUCT_CREATE,
  VARIANTS_BY_SKU,
  VARIANTS_CREATE,
  VARIANTS_UPDATE,
  type SyncedVariantIds,
} from 'src/modules/products/application/products.shopify-graphql';
import {
  ALL_ERP_FIELDS,
  planProductSync,
  type ErpOwnedField,
  type PlannedVariant,
  type ProductSyncPlan,
} from 'src/modules/products/domain/plan-product-sync';
import type { ProductGroup } from 'src/modules/products/domain/product-sync.types';
import { refusesStaleShopifyIds } from 'src/modules/products/domain/stale-shopify-ids';
import { ProductSyncRepository, type SyncMark } from 'src/modules/products/persistence/product-sync.repository';
import { PRODUCT_SYNC_SETTINGS, type ProductSyncSettings } from 'src/modules/products/products.constants';
import {
  assertNoUserErrors,
  ShopifyAdminClients,
  ShopifyAdminError,
  ShopifyUserErrorsError,
  type ShopifyAdminPort,
} from 'src/modules/shopify';
import { forEachShop, ShopDirectory, type Shop } from 'src/modules/shops';

/** @description What one run did in one shop (returned to Bull and asserted by tests). */
export interface ProductSyncRun {
  groups: number;
  created: number;
  updatedVariants: number;
  createdVariants: number;
  unchanged: number;
  failed: number;
  deferred: number;
  shopifyRequests: number;
}

export type ProductSyncOutcome = ProductSyncRun | { busy: string } | { paused: string };

const PAGE = 100;

/** What a run knows of the shop it writes to. */
interface ShopRun {
  shop: CatalogueShop;
  /** The fields this run may write (the shop's source-of-truth policy). */
  owned: ReadonlySet<ErpOwnedField>;
  shopify: ShopifyAdminPort;
}
const LOOKUP_BATCH = 50;

/** Shopify search values are quoted so SKUs with spaces or colons stay one term. */
function skuTerm(sku: string): string {
  return `sku:'${sku.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * ERP → Shopify product sync: every `erp_item_xref` group changed since it was last synced becomes the writes its
 * plan says (plan-product-sync.ts: ERP-owned fields only, `productSet` only to create, bulk variant mutations for
 * existing products). Shopify ids are written back (inventory sync reads `shopify_inventory_item_id`). A SKU
 * without ids is first looked up in Shopify, so an existing product is adopted and a create whose answer was lost
 * is not repeated. Ids Shopify no longer knows (a product the merchant deleted or re-created) are forgotten and the
 * SKUs looked up again before the write is made once more. One run per connector and shop at a time (advisory lock).
 * Every group's outcome is audited.
 *
 * Per shop: the scheduled job syncs every shop that sells the ERP catalogue (`executeForCatalogueShops`), each with
 * its own Shopify ids and pushed state, its own products, its source-of-truth policy and its own Admin API client.
 */
@Injectable()
export class SyncProductsToShopify {
  private readonly logger = new Logger(SyncProductsToShopify.name);

  constructor(
    private readonly repository: ProductSyncRepository,
    private readonly clients: ShopifyAdminClients,
    private readonly audit: AuditWriter,
    @Inject(PRODUCT_SYNC_SETTINGS) private readonly settings: ProductSyncSettings,
    private readonly locks: AdvisoryLocks,
    private readonly shops: ShopDirectory,
    @Optional() private readonly ownership?: OwnershipPolicyService,
    @Optional() private readonly flows?: FlowPauses,
  ) {}

  private async ownedFields(shop: string): Promise<ReadonlySet<ErpOwnedField>> {
    if (this.ownership === undefined) {
      return ALL_ERP_FIELDS;
    }
    const policy = await this.ownership.policy(shop);
    return new Set([...ALL_ERP_FIELDS].filter((field) => ownerOf(policy, 'product', field) === 'erp'));
  }

  /** Every shop that sells the ERP catalogue, one after the other; a failure is thrown after the others ran. */
  async executeForCatalogueShops(): Promise<Array<ProductSyncOutcome & { shop: string }>> {
    return forEachShop(await this.shops.catalogueShops(), (shop) => this.execute(shop));
  }

  /** One shop's sync (the environment's by default). */
  async execute(shop?: Shop): Promise<ProductSyncOutcome> {
    const target = shop ?? (await this.shops.find(this.shops.bootstrapDomain));
    if (target === undefined) {
      throw new Error(`product sync: no shop ${this.shops.bootstrapDomain} in this deployment`);
    }
    if ((await this.flows?.isPaused(target.domain, Flow.Products)) === true) {
      // The changed items stay pending in PostgreSQL: the first run after the resume pushes them.
      return { paused: 'the products flow is paused for this shop' };
    }
    // The environment's shop keeps the lock name it had before shops (a rolling deploy runs both versions).
    const lock = `erp-sync:product-sync:${this.settings.connector}${target.bootstrap ? '' : `:${target.domain}`}`;
    const result = await this.locks.tryExclusive(lock, () => this.run(target));
    return result ?? { busy: 'another product sync is running for this connector and shop' };
  }

  private async run(shop: Shop): Promise<ProductSyncRun> {
    const runId = randomUUID();
    // The shop's source-of-truth policy, read once per run (one run per shop at a time: the advisory lock above;
    // runs of different shops are made one after the other by executeForCatalogueShops).
    const ctx: ShopRun = {
      owned: await this.ownedFields(shop.domain),
      shop: { domain: shop.domain, bootstrap: shop.bootstrap },
      shopify: this.clients.forShop(shop),
    };
    const totals: ProductSyncRun = {
      groups: 0,
      created: 0,
      updatedVariants: 0,
      createdVariants: 0,
      unchanged: 0,
      failed: 0,
      deferred: 0,
      shopifyRequests: 0,
    };
    let after = '';
    for (;;) {
      const groups = await this.repository.pendingGroups(this.settings.connector, ctx.shop, PAGE, after);
      if (groups.length === 0) {
        break;
      }
      after = groups[groups.length - 1].groupId;
      totals.groups += groups.length;
      await this.adoptExisting(ctx, groups, totals);
      await this.inParallel(groups, (group) => this.syncGroup(ctx, group, runId, totals));
    }
    if (totals.groups > 0) {
      this.logger.log({ ...totals, shop: shop.domain }, 'product sync run finished');
    }
    return totals;
  }

  /** Fills in the Shopify ids of SKUs Shopify already has (by SKU), for rows that have none. */
  private async adoptExisting(ctx: ShopRun, groups: ProductGroup[], totals: ProductSyncRun): Promise<void> {
    const unknown = groups.flatMap((g) => g.rows.filter((r) => r.shopifyVariantId === null && r.active));
    for (let i = 0; i < unknown.length; i += LOOKUP_BATCH) {
      const batch = unknown.slice(i, i + LOOKUP_BATCH);
      totals.shopifyRequests += 1;
      const { data } = await ctx.shopify.request(VARIANTS_BY_SKU, {
        query: batch.map((r) => skuTerm(r.sku)).join(' OR '),
      });
      const bySku = new Map(data.productVariants.nodes.map((v) => [v.sku, v]));
      for (const row of batch) {
        const found = bySku.get(row.sku);
        if (found) {
          row.shopifyProductId = found.product.id;
          row.shopifyVariantId = found.id;
          row.shopifyInventoryItemId = found.inventoryItem.id;
        }
      }
    }
    for (const group of groups) {
      group.shopifyProductId ??= group.rows.find((r) => r.shopifyProductId !== null)?.shopifyProductId ?? null;
    }
  }

  private async syncGroup(ctx: ShopRun, group: ProductGroup, runId: string, totals: ProductSyncRun): Promise<void> {
    const plan = planProductSync(group, ctx.owned);
    const base = {
      eventId: `product-sync:${runId}:${group.groupId}`,
      entity: 'product' as const,
      topic: 'products/sync',
      shop: ctx.shop.domain,
      erpId: group.groupId,
    };
    for (const note of plan.notes) {
      this.audit.record({ ...base, status: AuditStatus.Skipped, reason: `${note.sku}: ${note.reason}` });
    }
    try {
      const { marks, applied } = await this.applyOrRefind(ctx, plan, group, totals);
      await this.repository.mark(this.settings.connector, ctx.shop, [...marks, ...this.otherRows(group, marks)]);
      this.audit.record({ ...base, shopifyId: group.shopifyProductId ?? undefined, ...this.outcome(applied) });
    } catch (error) {
      if (!(error instanceof ShopifyAdminError) || error.kind === ErrorKind.Auth) {
        throw error; // our own infrastructure or credentials: the whole run stops and Bull retries it
      }
      if (error.kind === ErrorKind.Permanent) {
        // Recorded with its reason; retried when the ERP changes the item again (or an operator re-reads items).
        totals.failed += 1;
        await this.repository.mark(
          this.settings.connector,
          ctx.shop,
          group.rows.map((r) => ({ sku: r.sku, changedAt: r.changedAt, pushed: false, error: errorMessage(error) })),
        );
        this.audit.record({
          ...base,
          status: AuditStatus.DeadLettered,
          reason: 'Shopify rejected the write',
          error: errorMessage(error),
        });
      } else {
        totals.deferred += 1; // stays pending: the next run (at most one poll interval away) retries it
        this.audit.record({
          ...base,
          status: AuditStatus.RetryScheduled,
          reason: `${error.kind}; next run`,
          error: errorMessage(error),
        });
      }
    }
  }

  /**
   * Applies the plan. When Shopify answers that the product or a variant we hold ids for no longer exists (the
   * merchant deleted it, perhaps re-created it with new ids for the same SKUs), the group's ids are forgotten, its
   * SKUs are looked up again (adopting a re-created product, else creating it again as a draft) and the new plan is
   * applied once; a second refusal fails the group as any other.
   */
  private async applyOrRefind(
    ctx: ShopRun,
    plan: ProductSyncPlan,
    group: ProductGroup,
    totals: ProductSyncRun,
  ): Promise<{ marks: SyncMark[]; applied: ProductSyncPlan }> {
    try {
      return { marks: await this.apply(ctx, plan, group, totals), applied: plan };
    } catch (error) {
      if (!(error instanceof ShopifyUserErrorsError) || !refusesStaleShopifyIds(error.userErrors)) {
        throw error;
      }
      this.logger.warn(
        { groupId: group.groupId, error: errorMessage(error) },
        'stale Shopify ids: finding the SKUs again',
      );
      await this.repository.forgetShopifyIds(
        this.settings.connector,
        ctx.shop,
        group.groupId,
        group.rows.map((r) => r.sku),
      );
      group.shopifyProductId = null;
      for (const row of group.rows) {
        // What was pushed to the old product says nothing about the new one: every ERP-owned field is written.
        Object.assign(row, {
          shopifyProductId: null,
          shopifyVariantId: null,
          shopifyInventoryItemId: null,
          pushedFields: null,
          pushedHash: null,
        });
      }
      await this.adoptExisting(ctx, [group], totals);
      const replanned = planProductSync(group, ctx.owned);
      return { marks: await this.apply(ctx, replanned, group, totals), applied: replanned };
    }
  }

  private async apply(
    ctx: ShopRun,
    plan: ProductSyncPlan,
    group: ProductGroup,
    totals: ProductSyncRun,
  ): Promise<SyncMark[]> {
    switch (plan.kind) {
      case 'none':
        totals.unchanged += plan.unchanged.length;
        return plan.unchanged.map((p) => this.markOf(p, false));
      case 'create': {
        totals.shopifyRequests += 1;
        const { data } = await ctx.shopify.request(PRODUCT_CREATE, { input: plan.input });
        const payload = assertNoUserErrors(data.productSet, 'productSet');
        const product = payload.product!;
        await this.repository.saveGroupProduct(this.settings.connector, ctx.shop, group.groupId, product.id);
        group.shopifyProductId = product.id;
        totals.created += 1;
        return this.withIds(plan.variants, product.id, product.variants.nodes);
      }
      case 'update': {
        totals.unchanged += plan.unchanged.length;
        const returned: SyncedVariantIds[] = [];
        if (plan.updates.length > 0) {
          totals.shopifyRequests += 1;
          const { data } = await ctx.shopify.request(VARIANTS_UPDATE, {
            productId: plan.productId,
            variants: plan.updates,
          });
          returned.push(
            ...(assertNoUserErrors(data.productVariantsBulkUpdate, 'productVariantsBulkUpdate').productVariants ?? []),
          );
          totals.updatedVariants += plan.updates.length;
        }
        if (plan.creates.length > 0) {
          totals.shopifyRequests += 1;
          const { data } = await ctx.shopify.request(VARIANTS_CREATE, {
            productId: plan.productId,
            variants: plan.creates,
          });
          returned.push(
            ...(assertNoUserErrors(data.productVariantsBulkCreate, 'productVariantsBulkCreate').productVariants ?? []),
          );
          totals.createdVariants += plan.creates.length;
        }
        await this.repository.saveGroupProduct(this.settings.connector, ctx.shop, group.groupId, plan.productId);
        return [
          ...this.withIds(plan.variants, plan.productId, returned),
          ...plan.unchanged.map((p) => this.markOf(p, false)),
        ];
      }
    }
  }

  private withIds(variants: PlannedVariant[], productId: string, returned: SyncedVariantIds[]): SyncMark[] {
    const bySku = new Map(returned.map((v) => [v.sku, v]));
    return variants.map((p) => {
      const ids = bySku.get(p.fields.sku);
      return {
        ...this.markOf(p, true),
        productId,
        variantId: ids?.id ?? p.row.shopifyVariantId,
        inventoryItemId: ids?.inventoryItem.id ?? p.row.shopifyInventoryItemId,
      };
    });
  }

  private markOf(p: PlannedVariant, pushed: boolean): SyncMark {
    return {
      sku: p.row.sku,
      changedAt: p.row.changedAt,
      productId: p.row.shopifyProductId,
      variantId: p.row.shopifyVariantId,
      inventoryItemId: p.row.shopifyInventoryItemId,
      fields: p.fields,
      hash: p.hash,
      pushed,
      error: null,
    };
  }

  /** Rows of the group that are not variants (the parent item, inactive items): covered by this sync too. */
  private otherRows(group: ProductGroup, marks: SyncMark[]): SyncMark[] {
    const done = new Set(marks.map((m) => m.sku));
    return group.rows
      .filter((r) => !done.has(r.sku))
      .map((r) => ({
        sku: r.sku,
        changedAt: r.changedAt,
        productId: r.shopifyProductId ?? group.shopifyProductId,
        pushed: false,
        error: null,
      }));
  }

  private outcome(plan: ProductSyncPlan): { status: AuditStatus; reason: string } {
    switch (plan.kind) {
      case 'none':
        return { status: AuditStatus.Skipped, reason: 'no ERP-owned field changed: no write' };
      case 'create':
        return {
          status: AuditStatus.Succeeded,
          reason: `created product with ${plan.variants.length} variant(s) (SKU, price, cost, barcode, title); images, SEO, description and tags left to Shopify`,
        };
      case 'update': {
        const fields = [...new Set(plan.variants.flatMap((v) => v.changed))].join(', ');
        return {
          status: AuditStatus.Succeeded,
          reason: `updated ${plan.updates.length} variant(s) (${fields || 'none'}), created ${plan.creates.length}; Shopify-owned fields not written`,
        };
      }
    }
  }

  private async inParallel<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, items.length) }, worker));
  }
}
