import { Inject, Injectable } from '@nestjs/common';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { driftOf, variantGidOf, type ProductWebhookVariant } from 'src/modules/products/domain/product-echo';
import { ProductSyncRepository } from 'src/modules/products/persistence/product-sync.repository';
import { PRODUCT_SYNC_SETTINGS, type ProductSyncSettings } from 'src/modules/products/products.constants';

/** @description The fields of a `products/update` webhook this handler reads. */
export interface ProductUpdatePayload {
  id?: number | string;
  admin_graphql_api_id?: string;
  variants?: ProductWebhookVariant[];
}

export type ProductUpdateOutcome =
  | { outcome: 'echo' }
  | { outcome: 'drift'; drifts: { sku: string; field: string; shopify: string | null; pushed: string | null }[] }
  | { outcome: 'unknown_product' };

/**
 * The product half of "no loops": a `products/update` whose ERP-owned fields (SKU, price, barcode) equal what we
 * last pushed is our own write coming back, or a change of Shopify-owned fields only (images, SEO, description):
 * audited `skipped` (echo), nothing flows to the ERP. A difference is a Shopify-side change of an ERP-owned field:
 * never written to the ERP, audited as drift (the next ERP change of that item pushes the ERP's value again).
 */
@Injectable()
export class HandleProductUpdate {
  constructor(
    private readonly repository: ProductSyncRepository,
    private readonly audit: AuditWriter,
    @Inject(PRODUCT_SYNC_SETTINGS) private readonly settings: ProductSyncSettings,
  ) {}

  /** `shop`: the shop the webhook came from (its audit rows); Shopify's variant ids are global, so the check is not. */
  async execute(
    payload: ProductUpdatePayload,
    eventId: string,
    shop = this.settings.shop,
  ): Promise<ProductUpdateOutcome> {
    const productId =
      payload.admin_graphql_api_id ??
      (payload.id === undefined ? undefined : `gid://shopify/Product/${String(payload.id)}`);
    const variants = (payload.variants ?? []).flatMap((v) => {
      const gid = variantGidOf(v);
      return gid === undefined ? [] : [{ gid, v }];
    });
    const pushed = new Map(
      (await this.repository.pushedVariants(variants.map((v) => v.gid)))
        .filter((p) => p.connector === this.settings.connector)
        .map((p) => [p.shopifyVariantId, p]),
    );
    const base = {
      eventId,
      entity: 'product' as const,
      topic: 'products/update',
      shop,
      shopifyId: productId,
    };
    const known = variants.filter((v) => pushed.get(v.gid)?.pushedFields);
    if (known.length === 0) {
      this.audit.record({ ...base, status: AuditStatus.Skipped, reason: 'not a product the ERP sync has written' });
      return { outcome: 'unknown_product' };
    }
    const drifts = known.flatMap(({ gid, v }) => {
      const p = pushed.get(gid)!;
      return driftOf(v, p.pushedFields!).map((d) => ({ sku: p.sku, ...d }));
    });
    if (drifts.length === 0) {
      this.audit.record({
        ...base,
        status: AuditStatus.Skipped,
        reason: 'echo: ERP-owned fields equal what the sync pushed (our own write, or a Shopify-owned field changed)',
      });
      return { outcome: 'echo' };
    }
    this.audit.record({
      ...base,
      erpId: [...new Set(drifts.map((d) => d.sku))].join(','),
      status: AuditStatus.Skipped,
      reason: `drift: ${drifts
        .map((d) => `${d.sku} ${d.field} is ${d.shopify ?? 'empty'} in Shopify, ${d.pushed ?? 'empty'} from the ERP`)
        .join('; ')}; the ERP owns these fields, not written to the ERP`,
    });
    return { outcome: 'drift', drifts };
  }
}
