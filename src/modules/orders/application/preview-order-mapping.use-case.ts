import { Injectable } from '@nestjs/common';
import { MappingReader, MappingShops } from 'src/modules/mapping';
import {
  OrderPreviewBuilder,
  unmappableReason,
  type OrderWritePreview,
} from 'src/modules/orders/application/order-preview.builder';
import { OrderPayloadRepository } from 'src/modules/orders/persistence/order-payload.repository';

/** @description The order to preview: a stored one by id, or a payload as Shopify would send it. */
export interface PreviewOrderMappingInput {
  shop: string;
  orderId?: string;
  payload?: unknown;
  /** A saved version (a draft, an older one); absent = the active one. */
  mappingVersion?: number;
}

export type PreviewOrderMappingOutcome =
  | { outcome: 'previewed'; preview: OrderWritePreview }
  | { outcome: 'unknown_shop' }
  | { outcome: 'order_not_found' }
  | { outcome: 'version_not_found' }
  | { outcome: 'unmappable'; reason: string };

/**
 * `previewOrderMapping`: the exact ERP requests writing one order would send under the active (or a given) mapping
 * version, and each decision on the way. Sends nothing.
 */
@Injectable()
export class PreviewOrderMapping {
  constructor(
    private readonly shops: MappingShops,
    private readonly mappings: MappingReader,
    private readonly payloads: OrderPayloadRepository,
    private readonly builder: OrderPreviewBuilder,
  ) {}

  async execute(input: PreviewOrderMappingInput): Promise<PreviewOrderMappingOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    let payload = input.payload;
    if (payload === undefined) {
      const stored = input.orderId === undefined ? null : await this.payloads.find(shop, input.orderId);
      if (stored === null) {
        return { outcome: 'order_not_found' };
      }
      payload = stored.payload;
    }
    const { mapping: active, orderOwner } = await this.mappings.forOrders(shop);
    let mapping = active;
    if (input.mappingVersion !== undefined && input.mappingVersion !== active.version) {
      if ((await this.mappings.version(shop, input.mappingVersion)) === null) {
        return { outcome: 'version_not_found' };
      }
      mapping = await this.mappings.forVersion(shop, input.mappingVersion);
    }
    try {
      return { outcome: 'previewed', preview: await this.builder.build(shop, payload, mapping, orderOwner) };
    } catch (error) {
      const reason = unmappableReason(error);
      if (reason === undefined) {
        throw error;
      }
      return { outcome: 'unmappable', reason };
    }
  }
}
