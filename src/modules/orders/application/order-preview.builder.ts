import { Inject, Injectable } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { ERP_PORT, type ErpPort, type ErpRequestPreview } from 'src/modules/erp';
import { applyOrderMapping, type MappingToApply, type SyncOwner } from 'src/modules/mapping';
import { customerDraftHash } from 'src/modules/orders/domain/customer-draft-hash';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { mapShopifyOrderToErp } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { decideOrderFreshness } from 'src/modules/orders/domain/order-staleness';
import { OrderError } from 'src/modules/orders/domain/order.errors';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/** @description One decision the order writer would take for this order (shown, never acted on). */
export interface PreviewDecision {
  kind: 'mapping' | 'ownership' | 'stale' | 'item' | 'customer' | 'order';
  subject: string;
  outcome: string;
}

/** @description What writing one order would send, and why. */
export interface OrderWritePreview {
  orderId: string;
  orderName: string;
  mappingVersion: number;
  /** False when the writer would send nothing (stale, duplicate, the ERP owns the order); requests are then shown as they would be built. */
  wouldSend: boolean;
  requests: ErpRequestPreview[];
  decisions: PreviewDecision[];
}

/**
 * Builds what the order writer (SyncOrderToErp) would send for a Shopify order payload under a given mapping
 * version, through the same steps — decode, map, apply the mapping, staleness against what was applied, ownership,
 * the customer the writer holds — and the connector's own request building. Reads only; sends nothing.
 */
@Injectable()
export class OrderPreviewBuilder {
  constructor(
    @Inject(ERP_PORT) private readonly erp: ErpPort,
    private readonly state: OrderSyncStateRepository,
  ) {}

  /** @throws OrderError when the payload is not an order the writer could map (it would dead-letter it). */
  async build(
    shop: string,
    payload: unknown,
    mapping: MappingToApply,
    orderOwner: SyncOwner,
  ): Promise<OrderWritePreview> {
    const order = decodeOrderPayload(payload);
    const { customer, salesOrder: unmapped } = mapShopifyOrderToErp(order);
    const { salesOrder, decisions: mappingDecisions } = applyOrderMapping(
      payload,
      unmapped,
      mapping,
      this.erp.orderMapping,
    );
    const decisions: PreviewDecision[] = [...mappingDecisions];
    const applied = await this.state.find(shop, salesOrder.externalId);
    const freshness = decideOrderFreshness(
      { updatedAt: salesOrder.sourceUpdatedAt, status: salesOrder.status },
      applied && { updatedAt: applied.lastAppliedUpdatedAt.toISOString(), status: applied.status },
    );
    let wouldSend = true;
    if (!freshness.apply) {
      wouldSend = false;
      decisions.push({
        kind: 'stale',
        subject: 'order',
        outcome: `${freshness.reason}: the ERP already holds this version (updated_at ${applied?.lastAppliedUpdatedAt.toISOString() ?? ''}) or a newer one; nothing sent`,
      });
    }
    if (orderOwner === 'erp' && applied !== null) {
      wouldSend = false;
      decisions.push({
        kind: 'ownership',
        subject: 'order',
        outcome: 'the ERP owns the order once created: not written',
      });
    } else {
      decisions.push({ kind: 'ownership', subject: 'order', outcome: `owner ${orderOwner}: written` });
    }
    const known = await this.state.findCustomer(shop, customer.externalId);
    const knownCustomerErpId =
      known !== null && known.draftHash === customerDraftHash(customer) ? known.erpId : undefined;
    const preview = await this.erp.previewOrderWrite(customer, salesOrder, {
      knownCustomerErpId,
      mayExist: applied !== null,
    });
    return {
      orderId: salesOrder.externalId,
      orderName: salesOrder.reference,
      mappingVersion: mapping.version,
      wouldSend,
      requests: preview.requests,
      decisions: [...decisions, ...preview.decisions],
    };
  }
}

/** The message of a payload the writer could not map, for the preview's answer. */
export function unmappableReason(error: unknown): string | undefined {
  return error instanceof OrderError ? errorMessage(error) : undefined;
}
