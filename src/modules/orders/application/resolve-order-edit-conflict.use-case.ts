import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  OrderEditConflictRepository,
  type OrderEditConflictRecord,
} from 'src/modules/orders/persistence/order-edit-conflict.repository';

export interface ResolveOrderEditConflictInput {
  shop: string;
  id: string;
  /** The operator's name (their API key's), kept as `resolved_by`. */
  actor: string;
  /** What the operator did about it (e.g. "changed the ERP order by hand"). */
  note?: string;
}

export type ResolveOrderEditConflictResult =
  | { outcome: 'resolved'; conflict: OrderEditConflictRecord }
  | { outcome: 'not_found' }
  | { outcome: 'already_resolved'; conflict: OrderEditConflictRecord };

/**
 * An operator acknowledges an edit conflict: they dealt with the edit in the ERP (or decided not to). The conflict is
 * closed with who and when, and the order's audit trail says so; the next edit of the order opens a new one if the ERP
 * still cannot take it.
 */
@Injectable()
export class ResolveOrderEditConflict {
  constructor(
    private readonly conflicts: OrderEditConflictRepository,
    private readonly audit: AuditWriter,
  ) {}

  async execute(input: ResolveOrderEditConflictInput): Promise<ResolveOrderEditConflictResult> {
    const found = await this.conflicts.find(input.id);
    if (found?.shop !== input.shop) {
      return { outcome: 'not_found' };
    }
    const resolved = await this.conflicts.resolve(input.id, input.actor, input.note ?? null);
    if (resolved === null) {
      return { outcome: 'already_resolved', conflict: (await this.conflicts.find(input.id)) ?? found };
    }
    this.audit.record({
      eventId: randomUUID(),
      entity: 'order',
      shop: input.shop,
      shopifyId: resolved.shopifyOrderId,
      erpId: resolved.erpId,
      status: AuditStatus.Skipped,
      reason:
        `edit-conflict ${resolved.id} resolved by ${input.actor}` + (input.note === undefined ? '' : `: ${input.note}`),
    });
    return { outcome: 'resolved', conflict: resolved };
  }
}
