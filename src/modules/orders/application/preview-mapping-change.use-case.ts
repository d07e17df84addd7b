import { Injectable } from '@nestjs/common';
import { MappingReader, MappingShops } from 'src/modules/mapping';
import { OrderPreviewBuilder, unmappableReason } from 'src/modules/orders/application/order-preview.builder';
import { diffRequests, type RequestDifference } from 'src/modules/orders/domain/diff-requests';
import { OrderPayloadRepository } from 'src/modules/orders/persistence/order-payload.repository';

/** Most past orders one preview replays. */
export const MAX_PREVIEW_ORDERS = 1_000;

/** @description Which past orders to replay: the last `last` written, within [since, until) when given. */
export interface PreviewMappingChangeInput {
  shop: string;
  draftVersion: number;
  last: number;
  since?: Date;
  until?: Date;
}

/** @description One past order whose ERP requests the draft changes. */
export interface ChangedOrder {
  orderId: string;
  orderName: string | null;
  differences: RequestDifference[];
}

export type PreviewMappingChangeOutcome =
  | {
      outcome: 'previewed';
      activeVersion: number;
      draftVersion: number;
      /** Orders replayed. */
      examined: number;
      changed: ChangedOrder[];
      /** Orders the writer could not map under one of the versions, with why. */
      unmappable: Array<{ orderId: string; reason: string }>;
    }
  | { outcome: 'unknown_shop' }
  | { outcome: 'version_not_found' };

/**
 * `previewMappingChange`: replays past orders (the payloads the order writer kept) through the active and the draft
 * mapping version and returns, per order the draft changes, the request fields that would differ. Sends nothing.
 */
@Injectable()
export class PreviewMappingChange {
  constructor(
    private readonly shops: MappingShops,
    private readonly mappings: MappingReader,
    private readonly payloads: OrderPayloadRepository,
    private readonly builder: OrderPreviewBuilder,
  ) {}

  async execute(input: PreviewMappingChangeInput): Promise<PreviewMappingChangeOutcome> {
    const shop = await this.shops.resolve(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    if ((await this.mappings.version(shop, input.draftVersion)) === null) {
      return { outcome: 'version_not_found' };
    }
    const { mapping: active, orderOwner } = await this.mappings.forOrders(shop);
    const draft = await this.mappings.forVersion(shop, input.draftVersion);
    const orders = await this.payloads.recent(shop, {
      limit: Math.min(input.last, MAX_PREVIEW_ORDERS),
      since: input.since,
      until: input.until,
    });
    const changed: ChangedOrder[] = [];
    const unmappable: Array<{ orderId: string; reason: string }> = [];
    for (const order of orders) {
      try {
        const before = await this.builder.build(shop, order.payload, active, orderOwner);
        const after = await this.builder.build(shop, order.payload, draft, orderOwner);
        const differences = diffRequests(before.requests, after.requests);
        if (differences.length > 0) {
          changed.push({ orderId: order.orderId, orderName: order.orderName, differences });
        }
      } catch (error) {
        const reason = unmappableReason(error);
        if (reason === undefined) {
          throw error;
        }
        unmappable.push({ orderId: order.orderId, reason });
      }
    }
    return {
      outcome: 'previewed',
      activeVersion: active.version,
      draftVersion: draft.version,
      examined: orders.length,
      changed,
      unmappable,
    };
  }
}
